// Which adapters --backend auto passes over, decided from the adapter's info alone (faked here).
import { describe, expect, it } from 'vitest';
import { adapterKind, type AdapterInfoFields } from '../../src/gpu/adapterKind.js';
import type { AdapterSummary } from '../../src/gpu/device.js';
import type { DoctorReport } from '../../src/gpu/doctor.js';
import { chooseBackend, softwareAllowed, type GpuProbe } from '../../src/run/backend.js';

const info = (over: Partial<AdapterInfoFields>): AdapterInfoFields => ({
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
  ...over,
});

// As Dawn reports them (llvmpipe and NVIDIA seen on this project's machines; the others as their drivers name themselves).
const LLVMPIPE = info({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', isFallbackAdapter: true });
const LAVAPIPE_GLES = info({ vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'OpenGL ES 3.2 Mesa 24.2' });
const SWIFTSHADER = info({ vendor: 'google', architecture: 'swiftshader', device: 'SwiftShader Device (Subzero)', description: 'SwiftShader driver' });
const WARP = info({ vendor: 'microsoft', device: 'Microsoft Basic Render Driver', description: 'D3D12 Microsoft Basic Render Driver' });
const FALLBACK = info({ vendor: 'unknown', device: 'some adapter', isFallbackAdapter: true });
const NVIDIA = info({ vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 580.159.04 580.159.4.0' });
const AMD = info({ vendor: 'amd', architecture: 'rdna-3', device: 'AMD Radeon RX 7900 XTX (RADV NAVI31)', description: 'radv Mesa 24.2' });
const APPLE = info({ vendor: 'apple', architecture: 'metal-3', device: 'Apple M2', description: 'Metal driver on macOS' });

describe('adapterKind', () => {
  it.each([
    ['llvmpipe', LLVMPIPE, /device "llvmpipe-llvm-15-0-6-256-bits-" names llvmpipe/],
    ['llvmpipe through OpenGL ES', LAVAPIPE_GLES, /names llvmpipe/],
    ['lavapipe', info({ device: 'lavapipe' }), /names lavapipe/],
    ['SwiftShader', SWIFTSHADER, /names SwiftShader/],
    ['WARP', WARP, /names WARP/],
    ["Dawn's fallback flag alone", FALLBACK, /fallback adapter/],
    ['architecture "cpu"', info({ vendor: 'x', architecture: 'cpu', device: 'y' }), /architecture "cpu"/],
  ])('%s is software', (_name, adapter, why) => {
    const kind = adapterKind(adapter);
    expect(kind.kind).toBe('software');
    expect(kind.why).toMatch(why);
  });

  it.each([
    ['NVIDIA', NVIDIA],
    ['AMD (Mesa RADV: "Mesa" alone is no software driver)', AMD],
    ['Apple', APPLE],
  ])('%s is hardware', (_name, adapter) => expect(adapterKind(adapter).kind).toBe('hardware'));

  it('MSSI_GPU_ALLOW_SOFTWARE=1, nothing else, allows a software adapter', () => {
    expect(softwareAllowed({ MSSI_GPU_ALLOW_SOFTWARE: '1' })).toBe(true);
    expect(softwareAllowed({ MSSI_GPU_ALLOW_SOFTWARE: 'yes' })).toBe(false);
    expect(softwareAllowed({})).toBe(false);
  });
});

/** A stand-in for the GPU module: the adapter of `adapters` that the request allows, as gpuDoctor would give it. */
function fakeGpu(adapter: AdapterInfoFields, asked: { allowSoftware?: boolean }[] = []): GpuProbe {
  const summary: AdapterSummary = { backend: 'vulkan', ...adapter, featureLevel: 'core', kind: adapterKind(adapter) };
  return {
    loadDawn: async () => ({}),
    GpuPackageMissingError: class extends Error {},
    async gpuDoctor(options) {
      asked.push({ ...options });
      if (options.allowSoftware === false && summary.kind.kind === 'software') {
        return {
          ok: false,
          attempts: [{ backend: 'vulkan', outcome: `${summary.device} (vulkan): a software adapter, a CPU driver (${summary.kind.why})`, software: true }],
          wallMarginCm: 0,
          error: 'no usable WebGPU adapter',
        } satisfies DoctorReport;
      }
      return { ok: true, adapter: summary, attempts: [{ backend: 'vulkan', outcome: 'ok' }], wallMarginCm: 0 } as DoctorReport;
    },
    formatDoctorReport: () => 'GPU: not available',
  };
}

describe('chooseBackend with the adapter info faked', () => {
  it('auto on a software adapter (the CI machine, lavapipe) runs on the CPU, saying why', async () => {
    const asked: { allowSoftware?: boolean }[] = [];
    const choice = await chooseBackend('auto', { loadGpu: async () => fakeGpu(LLVMPIPE, asked), env: {} });
    expect(asked).toEqual([{ allowSoftware: false }]);
    expect(choice.backend).toBe('cpu');
    expect(choice.note).toMatch(/^no hardware GPU \(vulkan: llvmpipe.*a software adapter.*\); running on the CPU \(MSSI_GPU_ALLOW_SOFTWARE=1/);
    expect(choice.warning).toBeNull();
  });

  it('auto takes a software adapter with MSSI_GPU_ALLOW_SOFTWARE=1, with the warning', async () => {
    const choice = await chooseBackend('auto', { loadGpu: async () => fakeGpu(SWIFTSHADER), env: { MSSI_GPU_ALLOW_SOFTWARE: '1' } });
    expect(choice.backend).toBe('gpu');
    expect(choice.warning).toMatch(/SwiftShader Device \(Subzero\) is a software adapter, a CPU driver .*slower than --backend cpu/);
  });

  it('--gpu takes a software adapter, with a warning that it is a CPU driver', async () => {
    const asked: { allowSoftware?: boolean }[] = [];
    const choice = await chooseBackend('gpu', { loadGpu: async () => fakeGpu(WARP, asked), env: {} });
    expect(asked).toEqual([{ allowSoftware: true }]);
    expect(choice.backend).toBe('gpu');
    expect(choice.warning).toMatch(/a CPU driver/);
  });

  it('auto and --gpu take a hardware GPU, with no warning', async () => {
    for (const request of ['auto', 'gpu'] as const) {
      const choice = await chooseBackend(request, { loadGpu: async () => fakeGpu(NVIDIA), env: {} });
      expect(choice).toEqual({ backend: 'gpu', note: 'GPU: NVIDIA H200 (vulkan, NVIDIA: 580.159.04 580.159.4.0), self-test passed', warning: null });
    }
  });

  it('cpu loads nothing', async () => {
    const choice = await chooseBackend('cpu', { loadGpu: () => Promise.reject(new Error('loaded')) });
    expect(choice).toEqual({ backend: 'cpu', note: null, warning: null });
  });
});
