// One GPU selector per test file, or a skip that says why; on CI a missing adapter fails.

import { GpuUnavailableError, openGpuSelector, type GpuSelector, type GpuSelectorOptions } from '../../src/gpu/index.js';

export const onCi = process.env.CI === 'true';

export interface Acquired {
  selector?: GpuSelector;
  /** Why there is none (printed, and the tests that need one are skipped). */
  reason?: string;
}

/** A selector, or the reason there is none. Anything but "no adapter" is a failure, and on CI so is that. */
export async function acquireSelector(options: GpuSelectorOptions = {}): Promise<Acquired> {
  try {
    return { selector: await openGpuSelector(options) };
  } catch (err) {
    if (err instanceof GpuUnavailableError && !onCi) {
      const reason = `no WebGPU adapter, GPU tests skipped:\n${err.message}`;
      console.warn(reason);
      return { reason };
    }
    throw err;
  }
}

/** Whether some adapter exists here, decided once before the suites are collected (for it.skipIf). */
export const probe: Acquired = await acquireSelector();
probe.selector?.close();
