// Per-shard Slurm states for `mssi status RUN_DIR` (the SchedulerStates hook of
// src/shard/status.ts): for each shard, the state of its task in the latest
// submission that ran it, from squeue while queued and from scontrol once finished
// (while the controller still remembers it). Shards Slurm no longer knows are left
// out: the shard files say what became of them.

import { runSlurm, type SlurmRunner } from './exec.js';
import type { FinishedJob, QueuedJob } from './parse.js';
import { knownJobs, queuedJobs } from './queue.js';
import { jobIdsOf, readSlurmRecord, shardsOfArray, type SubmittedArray } from './runRecord.js';

/** "RUNNING job 12_3", "PENDING (Dependency) job 12_4", "FAILED exit 1 job 12_5", "CANCELLED job 12_6". */
export function describeQueued(job: QueuedJob): string {
  const why = job.reason !== '' && job.reason !== 'None' ? ` (${job.reason})` : '';
  return `${job.state}${why} job ${job.arrayJobId}_${job.taskId ?? ''}`.replace(/_$/, '');
}

export function describeFinished(job: FinishedJob, arrayJobId: number, taskId: number): string {
  let how = '';
  if (job.exitSignal) how = ` signal ${job.exitSignal}`;
  else if (job.exitStatus && job.state !== 'COMPLETED') how = ` exit ${job.exitStatus}`;
  return `${job.state}${how} job ${arrayJobId}_${taskId}`;
}

/** Shard -> its latest array and task index. */
function latestTasks(arrays: readonly SubmittedArray[]): Map<number, { array: SubmittedArray; task: number }> {
  const latest = new Map<number, { array: SubmittedArray; task: number }>();
  for (const array of arrays) for (const shard of shardsOfArray(array)) latest.set(shard, { array, task: shard - array.offset });
  return latest;
}

export async function slurmTaskStates(runDir: string, run: SlurmRunner = runSlurm): Promise<Map<number, string>> {
  const record = readSlurmRecord(runDir);
  const states = new Map<number, string>();
  if (!record) return states;
  const latest = latestTasks(record.submissions.flatMap((s) => s.arrays));
  const queued = new Map<string, QueuedJob>();
  for (const j of await queuedJobs(run, jobIdsOf(record))) if (j.taskId !== null) queued.set(`${j.arrayJobId}_${j.taskId}`, j);

  const finished = new Map<number, Map<number, FinishedJob>>(); // array job id -> task -> record
  const recordsOf = async (arrayJobId: number) => {
    let byTask = finished.get(arrayJobId);
    if (!byTask) {
      byTask = new Map();
      for (const job of await knownJobs(run, arrayJobId)) for (const t of job.taskIds) byTask.set(t, job);
      finished.set(arrayJobId, byTask);
    }
    return byTask;
  };
  for (const [shard, { array, task }] of [...latest].sort((a, b) => a[0] - b[0])) {
    const q = queued.get(`${array.jobId}_${task}`);
    if (q) {
      states.set(shard, describeQueued(q));
      continue;
    }
    const f = (await recordsOf(array.jobId)).get(task);
    if (f) states.set(shard, describeFinished(f, array.jobId, task));
  }
  return states;
}

/** The hook `mssi status` loads when RUN_DIR/slurm.json exists. */
export const slurmStates = {
  scheduler: 'slurm',
  states(runDir: string): Promise<Map<number, string>> | null {
    return readSlurmRecord(runDir) ? slurmTaskStates(runDir) : null;
  },
};
