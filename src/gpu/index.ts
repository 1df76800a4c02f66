// The GPU backend's public face. Import it lazily (`await import('../gpu/index.js')`)
// so that a CPU run never loads Dawn's native module.

export { openGpuSelector, type GpuSelection, type GpuSelectStats, type GpuSelector, type GpuSelectorOptions } from './selector.js';
export { closeSharedGpu, selectGpu, sharedGpuSelector } from './selectGpu.js';
export { gpuDoctor, formatDoctorReport, type DoctorReport } from './doctor.js';
export { defaultBackends, type AdapterSummary, type BackendName, type RelevantLimits } from './device.js';
export { GpuDeviceError, GpuSelfTestError, GpuUnavailableError, DRIVER_HINT, type GpuAttempt } from './errors.js';
export { GpuPackageMissingError, loadDawn } from './env.js';
export type { SelfTestResult } from './selfTest.js';
export type { KernelSizes } from './kernel.js';
