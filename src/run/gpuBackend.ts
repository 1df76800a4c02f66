// The GPU backend as a worker opens it: for the run's selection, whose numbers the
// kernel takes as uniforms (src/gpu/thresholds.ts derives its float32 thresholds and
// margins per selection, or leaves a cut it cannot prove to float64 on the host).

import type { GpuSelector } from '../gpu/index.js';
import type { Selection } from '../selection/definition.js';

/** Opens this worker's GPU selector for `selection` (Dawn is loaded here, on first use). */
export async function openGpuBackend(selection: Selection): Promise<GpuSelector> {
  const { openGpuSelector } = await import('../gpu/index.js');
  return openGpuSelector({ selection });
}
