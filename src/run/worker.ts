// Entry point of a worker process of `mssi run`: reads and selects, nothing else.
// A GPU task opens this worker's own device once (one device per worker: the
// decompression stays parallel across processes and each feeds its own queue),
// and releases it when the pool says goodbye.

import './consoleToStderr.js'; // first: no library may write to a stdout
import { analyseRange } from '../analysis/analyseRange.js';
import type { GpuSelector } from '../gpu/index.js';
import { serveTasks } from '../pool/workerLoop.js';
import type { RangeOutcome, RangeTask } from './tasks.js';

let gpu: Promise<GpuSelector> | null = null;

async function runTask(task: RangeTask, progress: (events: number) => void): Promise<RangeOutcome> {
  if (task.backend !== 'gpu') return analyseRange(task, undefined, progress);
  // Dawn is loaded only here, on the first GPU task: a CPU run never loads it. The
  // device is open (and self-tested) before the task's first read, so that a task's
  // selection time is the selection's alone.
  gpu ??= import('../gpu/index.js').then((m) => m.openGpuSelector());
  const selector = await gpu;
  return analyseRange(task, (columns) => selector.select(columns), progress);
}

serveTasks<RangeTask, RangeOutcome>(runTask, {
  onExit: async () => {
    if (gpu) (await gpu.catch(() => null))?.close();
  },
});
