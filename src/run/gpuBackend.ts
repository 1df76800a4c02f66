// The GPU backend as a worker opens it: for the run's selection. The WGSL kernel
// (src/gpu/) takes the default selection's numbers only, for now (selection/cuts.ts);
// chooseBackend (backend.ts) gives a run with another selection the CPU instead, so
// that a GPU task never runs a selection the kernel does not have.

import type { GpuSelector } from '../gpu/index.js';
import { selectionHash } from '../cache/key.js';
import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';

/** Whether the GPU backend can run this selection (today: the default one only). */
export function gpuRunsSelection(selection: Selection): boolean {
  return selection === DEFAULT_SELECTION || selectionHash(selection) === selectionHash(DEFAULT_SELECTION);
}

/** Opens this worker's GPU selector for `selection` (Dawn is loaded here, on first use). */
export async function openGpuBackend(selection: Selection): Promise<GpuSelector> {
  if (!gpuRunsSelection(selection)) {
    throw new Error('internal error: a GPU task with a selection other than the default (the GPU backend runs the default only)');
  }
  const { openGpuSelector } = await import('../gpu/index.js');
  return openGpuSelector();
}
