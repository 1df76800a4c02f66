// A reader that stops early (`mssi inspect FILE | head -1`) ends mssi quietly, with
// status 0: not an internal error, not a stack trace. Every command that writes to
// stdout is checked, with the pipe closed before it writes (EPIPE for sure) and, for
// the long outputs, after its first line (as head does).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { mssi, ROOT_DIR } from './runCli.js';

const BIN = fileURLToPath(new URL('../../bin/mssi', import.meta.url));
const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const NANO = join(ROOT_DIR, 'fixtures', 'real', 'nanoAOD_2015_CMS_Open_Data_ttbar.root');

interface Closed {
  code: number | null;
  signal: NodeJS.Signals | null;
  line: string;
  stderr: string;
}

/**
 * Runs mssi and closes its stdout: at once (`now`: before mssi writes anything, so its
 * first write fails with EPIPE), or after the first line (as `head -1` does).
 */
function closedStdout(args: readonly string[], when: 'now' | 'first line', env: NodeJS.ProcessEnv = {}): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let line = '';
    if (when === 'now') child.stdout.destroy();
    else {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const nl = out.indexOf('\n');
        if (nl >= 0 && line === '') {
          line = out.slice(0, nl);
          child.stdout.destroy();
        }
      });
    }
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, line, stderr }));
  });
}

let runDir: string;
let cache: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-pipes-'));
  runDir = join(dir, 'run');
  cache = join(dir, 'cache');
  const files = ['SS_skim_K40_DomePMTs.root', 'SS_skim_Co60_DomePMTs.root'].map((f) => join(LZ, f));
  expect((await mssi(['plan', ...files, '--shards', '1', '--out', runDir, '--rates', RATES])).code).toBe(0);
  expect((await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '--cache', cache, '-q'])).code).toBe(0);
});

describe('a closed stdout', () => {
  it('ends inspect quietly with status 0', async () => {
    // many branches: far more output than the pipe holds, so mssi is still writing when it closes
    const r = await closedStdout(['inspect', ...Array<string>(6).fill(NANO)], 'first line');
    expect(r.line).toMatch(/nanoAOD_2015_CMS_Open_Data_ttbar\.root: /);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  const commands: [string, () => string[]][] = [
    ['run', () => ['run', join(LZ, 'SS_skim_K40_DomePMTs.root'), '--rates', RATES, '--cache', cache, '-q']],
    ['run --json', () => ['run', join(LZ, 'SS_skim_K40_DomePMTs.root'), '--rates', RATES, '--cache', cache, '-q', '--json']],
    ['merge', () => ['merge', runDir]],
    ['status', () => ['status', runDir]],
    ['cache ls', () => ['cache', 'ls', '--cache', cache]],
    ['inspect', () => ['inspect', NANO]],
    ['inspect --json', () => ['inspect', '--json', NANO]],
    ['gpu', () => ['gpu']],
    ['plan', () => ['plan', join(LZ, 'SS_skim_K40_DomePMTs.root'), '--shards', '1', '--out', `${runDir}-again`]],
    ['submit --dry-run', () => ['submit', '--slurm', join(LZ, 'SS_skim_K40_DomePMTs.root'), '--rates', RATES, '--out', `${runDir}-slurm`, '--shards', '1', '--dry-run']],
    ['simulate', () => ['simulate', `${runDir}-sim`, '--source', 'K40_DomePMTs', '-n', '10', '-q']],
    ['--help', () => ['--help']],
    ['run --help', () => ['run', '--help']],
  ];
  it.each(commands)('ends %s quietly with status 0 when the reader is gone before it writes', async (_name, args) => {
    const r = await closedStdout(args(), 'now');
    expect(r.stderr).not.toMatch(/EPIPE|internal error|Error:/);
    expect(r.signal).toBeNull();
    expect([0, ...(_name === 'gpu' ? [3] : [])]).toContain(r.code); // gpu: 3 without an adapter, as with an open stdout
  });
});
