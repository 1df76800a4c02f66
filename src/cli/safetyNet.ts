// The main process's last line of defence: an exception nothing caught, or a promise
// rejection nobody handled (Node's default for both: print a stack and die, leaving an
// empty stdout). While a command has a handler registered (`mssi run`: stop the workers
// and print the report of the files that finished), the error goes to it; otherwise it
// is reported on stderr and the process exits 1.

import { EXIT } from './exit.js';

export type FatalOrigin = 'uncaught exception' | 'unhandled promise rejection';
export type FatalHandler = (err: unknown, origin: FatalOrigin) => void;

const handlers: FatalHandler[] = [];
let installed = false;

/** "TypeError: x" (a stack's first line is the error's own). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

export function installSafetyNet(): void {
  if (installed) return;
  installed = true;
  const onFatal = (err: unknown, origin: FatalOrigin) => {
    const handler = handlers.at(-1);
    if (handler) return handler(err, origin);
    process.stderr.write(`mssi: internal error (${origin}): ${describeError(err)}\n`);
    process.exit(EXIT.failure);
  };
  // A reader that stops early (`mssi cache ls | head`) closes stdout: nothing more is
  // wanted, so that is the end, quietly, not an internal error. Any other failure to
  // write stdout (a full disk, `> /dev/full`) loses the output: exit 5, saying why.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    try {
      process.stderr.write(`mssi: cannot write the output to stdout: ${err.message}\n`);
    } finally {
      process.exit(EXIT.outputFailed);
    }
  });
  // stderr closed early (`mssi run 2>&1 | head`): warnings and progress have nowhere to
  // go; that must not stop the work, nor turn into an error of its own.
  process.stderr.on('error', () => {});
  process.on('uncaughtException', (err) => onFatal(err, 'uncaught exception'));
  process.on('unhandledRejection', (reason) => onFatal(reason, 'unhandled promise rejection'));
}

/** Sends fatal errors to `handler` until the returned function is called. */
export function onFatalError(handler: FatalHandler): () => void {
  handlers.push(handler);
  return () => {
    const at = handlers.lastIndexOf(handler);
    if (at >= 0) handlers.splice(at, 1);
  };
}
