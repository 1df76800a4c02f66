// `mssi gpu` / `mssi doctor`: which adapter mssi would use, on which backend and
// driver, the limits that size its chunks, and the self-test's verdict.

import type { AdapterSummary, BackendName, RelevantLimits } from './device.js';
import { GpuPackageMissingError } from './env.js';
import { DRIVER_HINT, GpuUnavailableError, type GpuAttempt } from './errors.js';
import type { KernelSizes } from './kernel.js';
import { openGpuSelector } from './selector.js';
import type { SelfTestResult } from './selfTest.js';
import { FV_MARGIN_CM } from './thresholds.js';

export interface DoctorReport {
  readonly ok: boolean;
  readonly adapter?: AdapterSummary;
  readonly limits?: RelevantLimits;
  readonly sizes?: KernelSizes;
  readonly selfTest?: SelfTestResult;
  /** Every backend tried before one worked (or all of them, when none did). */
  readonly attempts: readonly GpuAttempt[];
  /** The wall margin (cm) inside which events are decided in float64. */
  readonly wallMarginCm: number;
  readonly error?: string;
  readonly hint?: string;
}

export interface DoctorOptions {
  readonly backends?: BackendName[];
  /** false: pass over software adapters (what `--backend auto` does); default true (what `--gpu` and `mssi gpu` do). */
  readonly allowSoftware?: boolean;
}

export async function gpuDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  try {
    const selector = await openGpuSelector({
      ...(options.backends ? { backends: options.backends } : {}),
      ...(options.allowSoftware !== undefined ? { allowSoftware: options.allowSoftware } : {}),
    });
    try {
      const { adapterInfo, limits, sizes, selfTest } = selector;
      const attempts = [{ backend: adapterInfo.backend, outcome: 'ok: passed the self-test' }];
      return { ok: true, adapter: adapterInfo, limits, sizes, selfTest, attempts, wallMarginCm: FV_MARGIN_CM };
    } finally {
      selector.close();
    }
  } catch (err) {
    const attempts = err instanceof GpuUnavailableError ? err.attempts : [];
    // without the webgpu package, a driver is not what is missing
    const hint = err instanceof GpuPackageMissingError ? {} : { hint: DRIVER_HINT };
    return { ok: false, attempts, wallMarginCm: FV_MARGIN_CM, error: (err as Error).message, ...hint };
  }
}

const MiB = 1024 * 1024;

/** "hardware (why)", or "software (why): a CPU driver; ..." with what auto makes of it. */
export function kindLine(a: AdapterSummary): string {
  if (a.kind.kind === 'hardware') return `hardware GPU (${a.kind.why})`;
  return (
    `software, a CPU driver (${a.kind.why}): --backend auto does not use it ` +
    '(MSSI_GPU_ALLOW_SOFTWARE=1 lets it); --gpu does, slower than --backend cpu'
  );
}

/** The report as lines for a terminal. */
export function formatDoctorReport(r: DoctorReport): string {
  const lines: string[] = [];
  if (r.ok && r.adapter && r.limits && r.sizes && r.selfTest) {
    const a = r.adapter;
    lines.push(
      `GPU: ok`,
      `  adapter      ${a.device}`,
      `  kind         ${kindLine(a)}`,
      `  backend      ${a.backend} (${a.featureLevel} feature level)`,
      `  driver       ${a.description || '(not reported)'}`,
      `  vendor       ${a.vendor || '(not reported)'} ${a.architecture}`.trimEnd(),
      `  limits       storage binding ${(r.limits.maxStorageBufferBindingSize / MiB).toFixed(0)} MiB, buffer ${(r.limits.maxBufferSize / MiB).toFixed(0)} MiB, ` +
        `${r.limits.maxStorageBuffersPerShaderStage} storage buffers/stage, ${r.limits.maxComputeWorkgroupsPerDimension} workgroups/dim`,
      `  chunks       ${r.sizes.maxEvents} events, ${r.sizes.maxVertices} vertices, ${r.sizes.flagCapacity} flagged events per dispatch`,
      `  self-test    passed: ${r.selfTest.events} events, ${r.selfTest.flagged} decided in float64, ${r.selfTest.ms.toFixed(0)} ms`,
      `  wall margin  ${r.wallMarginCm.toPrecision(3)} cm (events closer to the FV wall are decided in float64)`,
    );
  } else {
    lines.push('GPU: not available');
    for (const t of r.attempts) lines.push(`  ${t.backend}: ${t.outcome}`);
    if (r.attempts.length === 0 && r.error) lines.push(`  ${r.error}`);
    if (r.hint) lines.push(`  ${r.hint}`);
  }
  return lines.join('\n');
}
