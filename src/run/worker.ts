// Entry point of a worker process of `mssi run`: reads files (to cut them into ranges,
// and to select), nothing else. A GPU task opens this worker's own device once (one
// device per worker: the decompression stays parallel across processes and each feeds
// its own queue), and releases it when the pool says goodbye.

import './consoleToStderr.js'; // first: no library may write to a stdout
import { basename } from 'node:path';
import { analyseRange } from '../analysis/analyseRange.js';
import type { GpuSelector } from '../gpu/index.js';
import { WORKER_SEAT_ENV } from '../pool/pool.js';
import { serveTasks, type ProgressReporter } from '../pool/workerLoop.js';
import { openGpuBackend } from './gpuBackend.js';
import { planRanges } from './planRanges.js';
import type { RangeOutcome, RangeTask, WorkerReply, WorkerTask } from './tasks.js';

let gpu: Promise<GpuSelector> | null = null;
/** This worker's seat in the pool: the first --gpu-workers seats open a device. */
const seat = Number(process.env[WORKER_SEAT_ENV] ?? 0);

async function select(task: RangeTask, progress: ProgressReporter): Promise<RangeOutcome> {
  // The CPU's answers are the GPU's, to the event: a worker without a device selects on the CPU.
  if (task.backend !== 'gpu' || !(seat < (task.gpuWorkers ?? Infinity))) return analyseRange(task, undefined, progress);
  // Dawn is loaded only here, on the first GPU task: a CPU run never loads it. The
  // device is open (and self-tested) before the task's first read, so that a task's
  // selection time is the selection's alone.
  // A run has one selection: the device is opened for the first task's.
  gpu ??= openGpuBackend(task.selection);
  const selector = await gpu;
  return analyseRange(task, (columns) => selector.select(columns), progress);
}

/**
 * Test-only: MSSI_TEST_HANG_ON=<file name> makes every task on a file of that name
 * never finish, as a worker stuck on a damaged file would (the CLI tests check the
 * run's deadline with it). Nothing else sets or reads it.
 */
const hangOn = process.env.MSSI_TEST_HANG_ON;
const hang = () => new Promise<never>(() => setInterval(() => {}, 1 << 30));

async function runTask(task: WorkerTask, progress: ProgressReporter): Promise<WorkerReply> {
  const path = task.kind === 'plan' ? task.plan.path : task.range.path;
  if (hangOn && basename(path) === hangOn) await hang();
  if (task.kind === 'plan') return planRanges(task.plan.path, task.plan.tree, task.plan.splitEntries, task.plan.minPieces);
  return select(task.range, progress);
}

serveTasks<WorkerTask, WorkerReply>(runTask, {
  onExit: async () => {
    if (gpu) (await gpu.catch(() => null))?.close();
  },
});
