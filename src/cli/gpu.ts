// `mssi gpu` (alias `doctor`): the adapter a GPU run would use and the kernel's self-test.
// Registered here; the work is in gpuAction.ts, loaded when the command runs.

import type { Command } from 'commander';
import { withExamples } from './help.js';

export interface GpuOptions {
  json?: boolean;
}

export function registerGpu(program: Command): void {
  const cmd = program
    .command('gpu')
    .alias('doctor')
    .description('show the GPU adapter, backend, driver and limits mssi would use, and run the kernel self-test')
    .option('--json', 'as JSON')
    .addHelpText(
      'after',
      `
It says whether the adapter is a hardware GPU or a software one (llvmpipe, lavapipe,
SwiftShader, WARP: a CPU driver), and why: --backend auto never uses a software adapter
unless MSSI_GPU_ALLOW_SOFTWARE=1; --gpu does, with a warning.
Exit status: 0 an adapter passed the self-test, 3 none did.`,
    )
    .action(async (options: GpuOptions) => {
      const { gpuAction } = await import('./gpuAction.js');
      process.exitCode = await gpuAction(options);
    });
  withExamples(cmd, [
    'mssi gpu',
    'mssi gpu --json',
  ]);
}
