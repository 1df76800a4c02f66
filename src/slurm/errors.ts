// Typed errors of the Slurm driver: each names the command, its exit status and
// what Slurm said, so that a refusal (a bad partition, a limit) reads as Slurm's own.

import { commandLine } from './shell.js';

/** A Slurm command exited non-zero (or was killed): Slurm refused or failed. */
export class SlurmCommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    /** The exit status, or null when it was ended by a signal. */
    readonly exitStatus: number | null,
    readonly stderr: string,
  ) {
    const said = stderr.trim() === '' ? 'nothing on stderr' : stderr.trim().replace(/\s*\n\s*/g, '; ');
    super(`${commandLine(command, args)} exited ${exitStatus ?? 'by a signal'}: ${said}`);
    this.name = 'SlurmCommandError';
  }
}

/** A Slurm command is not on PATH (no Slurm client here). */
export class SlurmNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`${command} not found on PATH: run this on a Slurm login node (or install the Slurm client commands)`);
    this.name = 'SlurmNotFoundError';
  }
}

/** A Slurm command's output is not in the form asked for (--parsable, --format, Key = Value). */
export class SlurmOutputError extends Error {
  constructor(command: string, expected: string, got: string) {
    const shown = got.length > 200 ? `${got.slice(0, 200)}...` : got;
    super(`${command}: expected ${expected}, got ${JSON.stringify(shown)}`);
    this.name = 'SlurmOutputError';
  }
}

/** RUN_DIR/slurm.json is missing, unreadable or not what this driver writes. */
export class SlurmRunRecordError extends Error {
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'SlurmRunRecordError';
  }
}
