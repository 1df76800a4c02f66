// `mssi plan FILES... --shards N --out RUN_DIR`: the plan of a run over many machines
// (RUN_DIR/plan.json), for `mssi run --plan RUN_DIR/plan.json --shard K` on each, in
// any engine, and `mssi merge RUN_DIR` after. Registered here; the work is in
// planAction.ts, loaded when the command runs.

import type { Command } from 'commander';
import { DEFAULT_SPLIT_ENTRIES } from '../run/splitPolicy.js';
import { withExamples } from './help.js';
import { defaultJobs, positiveInteger, positiveNumber } from './options.js';

export interface PlanCommandOptions {
  shards: number;
  out: string;
  rates?: string;
  livetime?: number;
  splitEntries: number;
  jobs: number;
  selection?: string;
}

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('plan a run over many machines: the files, cut and balanced by bytes into shards (RUN_DIR/plan.json)')
    .argument('<files...>', 'ROOT files, folders of them, or glob patterns')
    .requiredOption('--shards <n>', 'number of shards (jobs); a file larger than its fair share is cut into entry ranges', positiveInteger('--shards'))
    .requiredOption('-o, --out <run_dir>', 'the run folder: plan.json, then shards/, logs/, cache/')
    .option('-r, --rates <csv>', 'rates table merge uses (it can also be given to merge)')
    .option('--selection <file>', "selection file (TOML or .json) the shards run; the plan records the selection itself (default: the notebook's)")
    .option('--livetime <days>', 'livetime merge uses for "In Dataset" (default 220)', positiveNumber('--livetime'))
    .option(
      '--split-entries <n>',
      'ranges of a cut file have at most about this many entries (and about half a shard\'s share of bytes)',
      positiveInteger('--split-entries'),
      DEFAULT_SPLIT_ENTRIES,
    )
    .option('-j, --jobs <n>', 'worker processes that open big files to cut them', positiveInteger('--jobs'), defaultJobs())
    .addHelpText('after', '\nExit status: 0 planned, 2 bad command line, selection file, files or run folder (e.g. one holding another plan), 5 plan.json could not be written.')
    .action(async (files: string[], options: PlanCommandOptions) => {
      const { planAction } = await import('./planAction.js');
      process.exitCode = await planAction(files, options);
    });
  withExamples(cmd, [
    'mssi plan fixtures/lz/*.root --shards 2 --out run/ --rates fixtures/rates.csv --selection examples/ws2024.toml',
    'mssi run --plan run/plan.json --shard 0',
    'mssi run --plan run/plan.json --shard 1',
  ]);
}

