// Which backend a run uses. `gpu` needs an adapter that passes the kernel's
// known-answer self-test; `auto` takes a hardware GPU when there is one and the CPU
// otherwise: never a software adapter (llvmpipe, SwiftShader, WARP: slower than the
// CPU backend on the same cores) unless MSSI_GPU_ALLOW_SOFTWARE=1. `gpu` takes a
// software adapter too, with a warning. Dawn is loaded only when a GPU is asked for.

import type { DoctorOptions, DoctorReport } from '../gpu/doctor.js';
import type { BackendName } from '../result.js';

/**
 * MSSI_GPU_ALLOW_SOFTWARE=1 lets `auto` take a software adapter. Here, not in src/gpu/:
 * every run consults it, and the GPU modules load only when a GPU is asked for.
 */
export function softwareAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MSSI_GPU_ALLOW_SOFTWARE === '1';
}

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
  /** One line for stderr, shown even with --quiet: the GPU taken is a software one (a CPU driver). */
  readonly warning: string | null;
}

/** The GPU module's part that choosing needs (tests give a stand-in). */
export interface GpuProbe {
  /** Loads Dawn (npm `webgpu`, an optional dependency); rejects with GpuPackageMissingError without it. */
  loadDawn(): Promise<unknown>;
  readonly GpuPackageMissingError: abstract new (...args: never[]) => Error;
  gpuDoctor(options: DoctorOptions): Promise<DoctorReport>;
  formatDoctorReport(report: DoctorReport): string;
}

export interface ChooseOptions {
  /** Default: the real one, `import('../gpu/index.js')`, loaded only here. */
  readonly loadGpu?: () => Promise<GpuProbe>;
  readonly env?: NodeJS.ProcessEnv;
}

const realGpu = () => import('../gpu/index.js');

export async function chooseBackend(request: BackendRequest, options: ChooseOptions = {}): Promise<BackendChoice> {
  if (request === 'cpu') return { backend: 'cpu', note: null, warning: null };
  const allowSoftware = request === 'gpu' || softwareAllowed(options.env);
  let report: DoctorReport;
  try {
    const gpu = await (options.loadGpu ?? realGpu)();
    try {
      await gpu.loadDawn();
    } catch (err) {
      if (!(err instanceof gpu.GpuPackageMissingError)) throw err;
      if (request === 'gpu') throw new BackendUnavailableError(`--gpu: ${err.message}`);
      return { backend: 'cpu', note: `${err.message}; running on the CPU`, warning: null };
    }
    report = await gpu.gpuDoctor({ allowSoftware });
    if (!report.ok) {
      if (request === 'gpu') throw new BackendUnavailableError(`--gpu: no usable GPU adapter\n${gpu.formatDoctorReport(report)}`);
      const tried = report.attempts.map((a) => `${a.backend}: ${a.outcome}`).join('; ');
      const software = report.attempts.some((a) => a.software === true);
      return {
        backend: 'cpu',
        note: software
          ? `no hardware GPU (${tried}); running on the CPU (MSSI_GPU_ALLOW_SOFTWARE=1 lets --backend auto use a software adapter)`
          : `no usable GPU (${tried || report.error}); running on the CPU`,
        warning: null,
      };
    }
  } catch (err) {
    if (err instanceof BackendUnavailableError) throw err;
    // Dawn itself could not load (no native module for this platform, missing libraries).
    const why = `the WebGPU module could not be loaded (${(err as Error).message})`;
    if (request === 'gpu') throw new BackendUnavailableError(`--gpu: ${why}`);
    return { backend: 'cpu', note: `${why}; running on the CPU`, warning: null };
  }
  const a = report.adapter!;
  const note = `GPU: ${a.device} (${a.backend}${a.description ? `, ${a.description}` : ''}), self-test passed`;
  const warning =
    a.kind.kind === 'software'
      ? `warning: ${a.device} is a software adapter, a CPU driver (${a.kind.why}): ` +
        'the kernel runs on the cores the workers use, slower than --backend cpu (same counts)'
      : null;
  return { backend: 'gpu', note, warning };
}
