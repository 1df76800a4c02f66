// SIGINT (Ctrl-C) and SIGTERM (a batch system's stop) during `mssi run`: the run is
// told once, stops its workers and exits 130 or 143 (128 + the signal's number, as a
// shell reports a command killed by it). A second signal while it stops exits at once.

import { EXIT } from './exit.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';
const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

export const exitCodeOfSignal = (signal: StopSignal): number => (signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);

export class RunInterruptedError extends Error {
  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'RunInterruptedError';
  }

  get exitCode(): number {
    return exitCodeOfSignal(this.signal);
  }
}

/** Calls `onStop` on the first SIGINT or SIGTERM; returns a function that removes the handlers. */
export function onStopSignals(onStop: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const listener = (signal: StopSignal) => {
    if (stopping) process.exit(exitCodeOfSignal(signal));
    stopping = true;
    onStop(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, listener);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, listener);
  };
}
