// Runs the four Slurm commands the driver uses, and nothing else: the output is
// returned for a parser in parse.ts; a refusal becomes a SlurmCommandError.

import { execFile } from 'node:child_process';
import { SlurmCommandError, SlurmNotFoundError } from './errors.js';

export type SlurmCommand = 'sbatch' | 'squeue' | 'scontrol' | 'scancel';

/** Runs `command args...`; resolves with its stdout, rejects with a typed error. */
export type SlurmRunner = (command: SlurmCommand, args: readonly string[]) => Promise<string>;

// A controller that does not answer makes the commands retry for minutes; a bound keeps mssi responsive.
const TIMEOUT_MS = 120_000;

export const runSlurm: SlurmRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new SlurmNotFoundError(command));
      const status = typeof err.code === 'number' ? err.code : null;
      const why = err.killed ? `${stderr}\n(stopped after ${TIMEOUT_MS / 1000} s)` : stderr;
      reject(new SlurmCommandError(command, args, status, why));
    });
  });
