// `mssi status RUN_DIR`: shards done / failed / missing and events done, from the run
// folder's files alone; with the scheduler's state of each shard's job where the run
// was submitted through a scheduler driver (RUN_DIR/slurm.json: src/slurm/status.ts).
// Registered here; the work is in statusAction.ts, loaded when the command runs.

import type { Command } from 'commander';
import { withExamples } from './help.js';

export interface StatusOptions {
  json?: boolean;
}

export function registerStatus(program: Command): void {
  const cmd = program
    .command('status')
    .description("where a plan's run stands: shards done, failed, missing; events done")
    .argument('<run_dir>', 'the run folder of `mssi plan --out`')
    .option('--json', 'as JSON')
    .action(async (runDir: string, options: StatusOptions) => {
      const { statusAction } = await import('./statusAction.js');
      process.exitCode = await statusAction(runDir, options);
    });
  withExamples(cmd, [
    'mssi status run/',
    'mssi status run/ --json',
  ]);
}

