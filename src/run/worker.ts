// Entry point of a worker process of `mssi run`: reads and selects, nothing else.
// A GPU task opens this worker's own device once (one device per worker: the
// decompression stays parallel across processes and each feeds its own queue),
// and releases it when the pool says goodbye.

import { analyseRange, type SelectFn } from '../analysis/analyseRange.js';
import type { GpuSelector } from '../gpu/index.js';
import { serveTasks } from '../pool/workerLoop.js';
import type { RangeOutcome, RangeTask } from './tasks.js';

let gpu: Promise<GpuSelector> | null = null;

function gpuSelect(): SelectFn {
  // Dawn is loaded only here, on the first GPU task: a CPU run never loads it.
  gpu ??= import('../gpu/index.js').then((m) => m.openGpuSelector());
  return async (columns) => (await gpu!).select(columns);
}

serveTasks<RangeTask, RangeOutcome>(
  (task, progress) => analyseRange(task, task.backend === 'gpu' ? gpuSelect() : undefined, progress),
  {
    onExit: async () => {
      if (gpu) (await gpu.catch(() => null))?.close();
    },
  },
);
