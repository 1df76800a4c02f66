// `mssi gpu`: what it does (its options are in gpu.ts). Dawn is loaded only here.

import { EXIT } from './exit.js';
import type { GpuOptions } from './gpu.js';

/** Prints the doctor's report; exit 3 when no adapter is usable. */
export async function gpuAction(options: GpuOptions): Promise<number> {
  const gpu = await import('../gpu/index.js');
  const report = await gpu.gpuDoctor();
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${gpu.formatDoctorReport(report)}\n`);
  return report.ok ? EXIT.ok : EXIT.backendUnavailable;
}
