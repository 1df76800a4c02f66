// What the driver asks Slurm: the site's MaxArraySize, the jobs still queued, the
// final state of jobs the controller still remembers (there may be no accounting,
// so no sacct), and submitting or cancelling jobs.

import type { SlurmRunner } from './exec.js';
import {
  jobOfRecord,
  maxArraySizeOf,
  parseConfig,
  parseJobRecords,
  parseSbatchParsable,
  parseSqueue,
  SQUEUE_FORMAT,
  type FinishedJob,
  type QueuedJob,
} from './parse.js';

export async function readMaxArraySize(run: SlurmRunner): Promise<number> {
  return maxArraySizeOf(parseConfig(await run('scontrol', ['show', 'config'])));
}

/**
 * The queued (pending, running, completing ...) jobs and array tasks of `jobIds`,
 * each task on its own line. Asked by user, not by --jobs: squeue refuses a --jobs
 * list when none of its jobs is still known.
 */
export async function queuedJobs(run: SlurmRunner, jobIds: readonly number[]): Promise<QueuedJob[]> {
  if (jobIds.length === 0) return [];
  const user = typeof process.getuid === 'function' ? `${process.getuid()}` : (process.env.USER ?? '');
  const out = await run('squeue', ['--array', '--noheader', `--format=${SQUEUE_FORMAT}`, `--user=${user}`]);
  const wanted = new Set(jobIds);
  return parseSqueue(out).filter((j) => wanted.has(j.arrayJobId));
}

/**
 * The records the controller still holds for a job (an array: one per task that
 * started, and one for tasks not started), or [] once it has forgotten the job
 * (after MinJobAge) or never knew it: scontrol then exits non-zero.
 */
export async function knownJobs(run: SlurmRunner, jobId: number): Promise<FinishedJob[]> {
  let out: string;
  try {
    out = await run('scontrol', ['show', 'job', '-o', `${jobId}`]);
  } catch {
    return [];
  }
  return parseJobRecords(out).map(jobOfRecord);
}

/** `sbatch --parsable ARGS... SCRIPT SCRIPT_ARGS...`; the new job's id. */
export async function sbatch(run: SlurmRunner, args: readonly string[]): Promise<number> {
  return parseSbatchParsable(await run('sbatch', ['--parsable', ...args])).jobId;
}

export async function scancel(run: SlurmRunner, jobIds: readonly number[]): Promise<void> {
  if (jobIds.length > 0) await run('scancel', jobIds.map(String));
}
