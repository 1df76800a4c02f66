// Preloaded by tests (NODE_OPTIONS=--import) into mssi and, through the environment, into
// its workers: every path under $MSSI_TEST_OPEN_LOG_DIR that the process opens or reads
// is appended to $MSSI_TEST_OPEN_LOG ("pid path"), so a test can show that a run read no
// input file at all. It patches node:fs before mssi's modules load, and re-syncs the ESM
// named exports (`import { openSync } from 'node:fs'`) to the patched functions.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.MSSI_TEST_OPEN_LOG_DIR;
const log = process.env.MSSI_TEST_OPEN_LOG;
if (dir && log) {
  const append = fs.appendFileSync;
  const note = (p) => {
    if (typeof p === 'number') return; // an fd: its open was noted
    const path = resolve(p instanceof URL ? fileURLToPath(p) : String(p));
    if (path.startsWith(dir)) append(log, `${process.pid} ${path}\n`);
  };
  const wrap = (target, name) => {
    const original = target[name];
    target[name] = function (p, ...rest) {
      note(p);
      return original.call(this, p, ...rest);
    };
  };
  for (const name of ['open', 'openSync', 'readFile', 'readFileSync', 'createReadStream']) wrap(fs, name);
  for (const name of ['open', 'readFile']) wrap(fs.promises, name);
  syncBuiltinESMExports();
}
