// What to say about a worker process that died: how (exit code or signal) and the
// line of its stderr that names the error, which Node or V8 prints before the stack
// and the native backtrace (the last lines are only "Node.js v20..." or addresses).

/** Keep this much of a worker's stderr: more than V8's out-of-memory report with its native stack. */
export const STDERR_KEPT_CHARS = 32 * 1024;

const LINE_CHARS = 300;

/** Lines that say what went wrong, as Node and V8 print them. */
const MEANINGFUL: readonly RegExp[] = [
  /^FATAL ERROR: \S/, // V8: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
  /^(?:Uncaught )?[A-Za-z_$][\w$]*(?:Error|Exception)(?: \[[A-Z0-9_]+\])?: \S/, // "RangeError [ERR_OUT_OF_RANGE]: ..."
  /^(?:Uncaught )?(?:Error|Exception)(?: \[[A-Z0-9_]+\])?(?:: \S|$)/,
  /^#\s*Fatal error in /, // V8 CHECK failures
  /Assertion .* failed/, // Node's native assertions
];

/** Lines that never help: Node's footer, the source excerpt's caret, stack frames. */
const NOISE: readonly RegExp[] = [/^Node\.js v\d/, /^\s*\^+\s*$/, /^\s+at /, /^\s*$/, /^\(Use `node --trace-/];

const cut = (line: string) => (line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 3)}...` : line);

/** The line of a dead worker's stderr that names its error; else its last few lines; '' when it said nothing. */
export function deathDetail(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trimEnd());
  const named = lines.find((l) => MEANINGFUL.some((re) => re.test(l)));
  if (named) return cut(named.trim());
  return lines
    .filter((l) => !NOISE.some((re) => re.test(l)))
    .slice(-3)
    .map((l) => cut(l.trim()))
    .join(' | ');
}

/** "exit code 1", "signal SIGKILL". */
export function howItDied(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}
