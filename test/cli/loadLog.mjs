// Preloaded by tests (NODE_OPTIONS=--import) into mssi and, through the environment,
// into its workers: every module a process loads is appended to $MSSI_TEST_LOAD_LOG
// as "pid url", so a test can show what a command loads at start.
import { register } from 'node:module';

const log = process.env.MSSI_TEST_LOAD_LOG;
if (log) {
  register(
    `data:text/javascript,${encodeURIComponent(`
      import { appendFileSync } from 'node:fs';
      export async function load(url, context, next) {
        appendFileSync(${JSON.stringify(log)}, process.pid + ' ' + url + '\\n');
        return next(url, context);
      }`)}`,
  );
}
