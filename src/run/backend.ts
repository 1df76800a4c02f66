// Which backend a run uses. `gpu` needs an adapter that passes the kernel's
// known-answer self-test; `auto` takes the GPU when there is one and the CPU
// otherwise. Dawn is loaded only when a GPU is asked for.

import type { BackendName } from '../result.js';

export type BackendRequest = 'auto' | 'gpu' | 'cpu';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'gpu', 'cpu'];

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export interface BackendChoice {
  readonly backend: BackendName;
  /** One line for stderr: which adapter, or why the CPU. */
  readonly note: string | null;
}

export async function chooseBackend(request: BackendRequest): Promise<BackendChoice> {
  if (request === 'cpu') return { backend: 'cpu', note: null };
  let report;
  try {
    const gpu = await import('../gpu/index.js');
    try {
      await gpu.loadDawn();
    } catch (err) {
      if (!(err instanceof gpu.GpuPackageMissingError)) throw err;
      if (request === 'gpu') throw new BackendUnavailableError(`--gpu: ${err.message}`);
      return { backend: 'cpu', note: `${err.message}; running on the CPU` };
    }
    report = await gpu.gpuDoctor();
    if (!report.ok) {
      if (request === 'gpu') throw new BackendUnavailableError(`--gpu: no usable GPU adapter\n${gpu.formatDoctorReport(report)}`);
      const tried = report.attempts.map((a) => `${a.backend}: ${a.outcome}`).join('; ');
      return { backend: 'cpu', note: `no usable GPU (${tried || report.error}); running on the CPU` };
    }
  } catch (err) {
    if (err instanceof BackendUnavailableError) throw err;
    // Dawn itself could not load (no native module for this platform, missing libraries).
    const why = `the WebGPU module could not be loaded (${(err as Error).message})`;
    if (request === 'gpu') throw new BackendUnavailableError(`--gpu: ${why}`);
    return { backend: 'cpu', note: `${why}; running on the CPU` };
  }
  const a = report.adapter!;
  return { backend: 'gpu', note: `GPU: ${a.device} (${a.backend}${a.description ? `, ${a.description}` : ''}), self-test passed` };
}
