// The seam for analyseRange (issue 18): counts and model of a chunk under a
// Selection, on this process's one GPU selector, opened (and self-tested) on the
// first call. The counts-only `selector.select()` stays for today's callers.

import type { ModelCounts } from '../model/types.js';
import type { Selection } from '../selection/definition.js';
import type { EventColumns, SelectionCounts } from '../selection/types.js';
import { openGpuSelector, type GpuSelector, type GpuSelectorOptions } from './selector.js';

let shared: Promise<GpuSelector> | undefined;

/** This process's selector (one device per process), opened on first use. */
export function sharedGpuSelector(options: GpuSelectorOptions = {}): Promise<GpuSelector> {
  if (!shared) {
    const opening = openGpuSelector(options);
    shared = opening;
    // A failed open is not kept: the caller reports it, a later call may try again.
    opening.catch(() => {
      if (shared === opening) shared = undefined;
    });
  }
  return shared;
}

/** Counts and model cells of `columns` under `selection`, equal to the float64 reference's. */
export async function selectGpu(columns: EventColumns, selection: Selection): Promise<{ counts: SelectionCounts; model: ModelCounts }> {
  const selector = await sharedGpuSelector({ selection });
  const r = await selector.select(columns, selection);
  const counts: SelectionCounts = { nSS: r.nSS, nSSFV: r.nSSFV, nSSFVROI: r.nSSFVROI, nMSSI: r.nMSSI, nMSSIFV: r.nMSSIFV, nMSSIFVROI: r.nMSSIFVROI };
  return { counts, model: r.model };
}

/** Releases the shared selector's device, if one was opened (a worker's exit). */
export async function closeSharedGpu(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (s) (await s.catch(() => null))?.close();
}
