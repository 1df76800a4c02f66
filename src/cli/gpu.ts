// `mssi gpu` (alias `doctor`): the adapter a GPU run would use and the kernel's self-test.

import type { Command } from 'commander';
import { EXIT } from './exit.js';

export function registerGpu(program: Command): void {
  program
    .command('gpu')
    .alias('doctor')
    .description('show the GPU adapter, backend, driver and limits mssi would use, and run the kernel self-test')
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      const gpu = await import('../gpu/index.js');
      const report = await gpu.gpuDoctor();
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${gpu.formatDoctorReport(report)}\n`);
      process.exitCode = report.ok ? EXIT.ok : EXIT.backendUnavailable;
    });
}
