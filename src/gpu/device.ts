// Adapter and device acquisition, one backend at a time. Whether an adapter's
// answers can be trusted is decided by the self-test (selfTest.ts), never by
// its name: Dawn's null backend, for one, "runs" kernels and returns garbage.

import { adapterKind, type AdapterKind } from './adapterKind.js';
import { GpuPackageMissingError, loadDawn, withNativeStderrMuted } from './env.js';

export type BackendName = 'vulkan' | 'opengles' | 'metal' | 'd3d12' | 'null';

/** How each backend is asked for. */
interface BackendSpec {
  readonly createOptions: string[];
  readonly featureLevel: 'core' | 'compatibility';
}

const SPECS: Record<BackendName, BackendSpec> = {
  vulkan: { createOptions: ['backend=vulkan'], featureLevel: 'core' },
  // Mesa's EGL/llvmpipe reaches only the compatibility feature level.
  opengles: { createOptions: ['backend=opengles'], featureLevel: 'compatibility' },
  metal: { createOptions: ['backend=metal'], featureLevel: 'core' },
  d3d12: { createOptions: ['backend=d3d12'], featureLevel: 'core' },
  // Never trusted (it fails the self-test); only for proving that the self-test works.
  null: { createOptions: ['backend=null'], featureLevel: 'core' },
};

/** The backends tried by default, in order, on this platform (MSSI_GPU_BACKEND=a,b overrides). */
export function defaultBackends(): BackendName[] {
  const fromEnv = process.env.MSSI_GPU_BACKEND?.split(',').map((s) => s.trim()).filter(Boolean);
  if (fromEnv && fromEnv.length > 0) return fromEnv.filter(isBackendName);
  if (process.platform === 'darwin') return ['metal'];
  if (process.platform === 'win32') return ['d3d12', 'vulkan'];
  return ['vulkan', 'opengles'];
}

export function isBackendName(s: string): s is BackendName {
  return Object.hasOwn(SPECS, s);
}

/** What the user sees of an adapter. */
export interface AdapterSummary {
  readonly backend: BackendName;
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  /** The driver, as the adapter describes itself (e.g. "llvmpipe: Mesa 25.0.7 ..."). */
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  readonly featureLevel: 'core' | 'compatibility';
  /** A real GPU, or a software driver running on the CPU (adapterKind.ts), and why. */
  readonly kind: AdapterKind;
}

/** The limits that decide mssi's chunk sizes. */
export interface RelevantLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
}

/** A device and what keeps it alive: Dawn aborts the process if `gpu` is collected while the device lives. */
export interface DeviceHandle {
  readonly gpu: GPU;
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  readonly limits: RelevantLimits;
  /** Set when the device is lost (driver crash, destroy()). */
  lostReason: string | undefined;
}

/** Thrown (and turned into an attempt's outcome) when a backend gives no device. */
export class NoDeviceError extends Error {
  override name = 'NoDeviceError';
}

const NEEDED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/** A fresh adapter and device on one backend (a second requestDevice on one adapter throws in Dawn). */
export async function acquireDevice(backend: BackendName): Promise<DeviceHandle> {
  const spec = SPECS[backend];
  let dawn;
  try {
    dawn = await loadDawn();
  } catch (err) {
    if (err instanceof GpuPackageMissingError) throw err; // no backend can do better: the caller says so once
    throw new NoDeviceError(`cannot load Dawn (npm "webgpu") for ${process.platform}-${process.arch}: ${(err as Error).message}`);
  }
  const gpu = withNativeStderrMuted(() => dawn.create(spec.createOptions));
  // Dawn builds (and prints warnings about) the adapter synchronously inside this call.
  const pending = withNativeStderrMuted(() => gpu.requestAdapter({ featureLevel: spec.featureLevel, powerPreference: 'high-performance' }));
  const adapter = await pending;
  if (!adapter) {
    throw new NoDeviceError(
      backend === 'vulkan'
        ? 'no adapter (no Vulkan driver, or one Dawn rejects, e.g. Mesa 22 lavapipe)'
        : 'no adapter',
    );
  }
  // Ask for the adapter's own limits: the compatibility level's defaults are far lower.
  const requiredLimits: Record<string, number> = {};
  for (const name of NEEDED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ label: `mssi ${backend}`, requiredLimits });
  const info = {
    vendor: adapter.info.vendor,
    architecture: adapter.info.architecture,
    device: adapter.info.device,
    description: adapter.info.description,
    isFallbackAdapter: adapter.info.isFallbackAdapter ?? false,
  };
  const handle: DeviceHandle = {
    gpu,
    device,
    adapter: { backend, ...info, featureLevel: spec.featureLevel, kind: adapterKind(info) },
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
    },
    lostReason: undefined,
  };
  void device.lost.then((lost) => {
    handle.lostReason = `${lost.reason}: ${lost.message}`;
  });
  return handle;
}

/** A short name for messages: "llvmpipe: Mesa 25.0.7 (vulkan)". */
export function adapterLabel(a: AdapterSummary): string {
  return `${a.description || a.device || a.vendor || 'unknown adapter'} (${a.backend})`;
}
