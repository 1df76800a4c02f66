// What guards a command that runs workers (`mssi run`, with FILES or --plan): SIGINT /
// SIGTERM abort it (workers stopped, exit 130 / 143), and an error nothing caught in the
// main process aborts it too (the command then says what finished), with a last-resort
// exit should stopping take too long.

import { EXIT } from './exit.js';
import { onStopSignals, RunInterruptedError } from './interrupt.js';
import { describeError, onFatalError, type FatalOrigin } from './safetyNet.js';

/** The main process failed unexpectedly during the run. */
export class RunCrashedError extends Error {
  constructor(err: unknown, origin: FatalOrigin) {
    super(`internal error in the main process (${origin}): ${describeError(err)}`);
    this.name = 'RunCrashedError';
  }
}

/** Runs `work` with an AbortSignal that SIGINT, SIGTERM (RunInterruptedError) or a fatal error (RunCrashedError) abort. */
export async function withRunGuards(command: string, work: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stopSignals = onStopSignals((signal) => controller.abort(new RunInterruptedError(signal)));
  const stopSafetyNet = onFatalError((err, origin) => {
    controller.abort(new RunCrashedError(err, origin));
    // Stopping the workers cannot take long; if it does, the process must still end.
    setTimeout(() => {
      process.stderr.write(`${command}: ${describeError(err)}; could not stop in time\n`);
      process.exit(EXIT.failure);
    }, 10_000).unref();
  });
  try {
    return await work(controller.signal);
  } finally {
    stopSafetyNet();
    stopSignals();
  }
}
