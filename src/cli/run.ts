// `mssi run FILES... --rates rates.csv`: the main job. Its options are registered here;
// the work is in runAction.ts, loaded only when `run` runs (start-up loads no command's
// implementation).

import { Option, type Command } from 'commander';
import { DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../run/backend.js';
import { DEFAULT_TASK_TIMEOUT_SECONDS, TIMEOUT_SECONDS_PER_MIB } from '../run/deadline.js';
import { DEFAULT_SPLIT_ENTRIES } from '../run/splitPolicy.js';
import { defaultJobs, nonNegativeInteger, positiveInteger, positiveNumber } from './options.js';

export interface RunOptions {
  rates: string;
  backend: BackendRequest;
  gpu?: boolean;
  jobs: number;
  livetime: number;
  csv?: string;
  json?: boolean;
  cache: string | false;
  rehash?: boolean;
  quiet?: boolean;
  splitEntries: number;
  taskTimeout: number;
  plan?: string;
  shard?: number;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the MSSI selection on ROOT files and print SS/MSSI rates per day')
    .argument('[files...]', 'ROOT files, folders of them, or glob patterns (not with --plan)')
    .option('-r, --rates <csv>', 'rates table: CSV with "Source" and "Rate (Decays/day)" (required, except with --plan)')
    .option('--plan <file>', 'run one shard of a plan (RUN_DIR/plan.json, from `mssi plan`) instead of FILES, into RUN_DIR/shards/K.json')
    .option('--shard <k>', 'the shard of --plan to run (0-based, e.g. a Slurm array index)', nonNegativeInteger('--shard'))
    .option('-j, --jobs <n>', 'worker processes', positiveInteger('--jobs'), defaultJobs())
    .addOption(
      new Option('--backend <name>', 'where the selection runs: cpu, gpu (WebGPU, fails without an adapter) or auto (GPU when usable, else CPU)')
        .choices(BACKEND_REQUESTS)
        .default('cpu'),
    )
    .option('--gpu', 'same as --backend gpu')
    .option('--livetime <days>', 'livetime for "In Dataset"', positiveNumber('--livetime'), DEFAULT_LIVETIME_DAYS)
    .option('--csv <file>', 'also write the report as CSV to <file> ("-" for stdout, instead of the table)')
    .option('--json', 'print the report as JSON on stdout instead of the table')
    .option('--cache <dir>', 'cache location: a folder or file:///path (default: $MSSI_CACHE or ~/.cache/mssi; with --plan: $MSSI_CACHE or RUN_DIR/cache)')
    .option('--no-cache', 'neither read nor write the result cache (and do not hash the files)')
    .option('--rehash', 're-hash every file instead of trusting the size/mtime/inode memo')
    .option(
      '--split-entries <n>',
      'cut files with more entries than this into cluster-aligned ranges (files over 16 MB and over a quarter of a worker\'s share of the input)',
      positiveInteger('--split-entries'),
      DEFAULT_SPLIT_ENTRIES,
    )
    .option(
      '--task-timeout <seconds>',
      `stop a task (a file, or a range of a big one) still running after this many seconds plus ${TIMEOUT_SECONDS_PER_MIB} s per MiB of its share of the file; that file fails`,
      positiveNumber('--task-timeout'),
      DEFAULT_TASK_TIMEOUT_SECONDS,
    )
    .option('-q, --quiet', 'no progress output (warnings and failures still go to stderr)')
    .action(async (files: string[], options: RunOptions, command: Command) => {
      const { runAction } = await import('./runAction.js');
      process.exitCode = await runAction(files, options, command);
    });
}

