// `mssi gpu` (alias `doctor`): the adapter a GPU run would use and the kernel's self-test.
// Registered here; the work is in gpuAction.ts, loaded when the command runs.

import type { Command } from 'commander';

export interface GpuOptions {
  json?: boolean;
}

export function registerGpu(program: Command): void {
  program
    .command('gpu')
    .alias('doctor')
    .description('show the GPU adapter, backend, driver and limits mssi would use, and run the kernel self-test')
    .option('--json', 'as JSON')
    .action(async (options: GpuOptions) => {
      const { gpuAction } = await import('./gpuAction.js');
      process.exitCode = await gpuAction(options);
    });
}
