// `mssi run FILES... --rates rates.csv`: the main job. Its options are registered here;
// the work is in runAction.ts, loaded only when `run` runs (start-up loads no command's
// implementation).

import { Option, type Command } from 'commander';
import { DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../run/backend.js';
import { DEFAULT_GPU_WORKERS } from '../run/gpuWorkers.js';
import { DEFAULT_TASK_TIMEOUT_SECONDS, TIMEOUT_SECONDS_PER_MIB } from '../run/deadline.js';
import { DEFAULT_SPLIT_ENTRIES } from '../run/splitPolicy.js';
import { withExamples } from './help.js';
import { defaultJobs, HTML_OPTION_HELP, MODEL_OPTION_HELP, nonNegativeInteger, positiveInteger, positiveNumber } from './options.js';

/** The environment variables mssi reads (the only ones a user sets; test hooks aside). */
export const ENVIRONMENT_HELP = `
Environment:
  MSSI_CACHE               the cache location when --cache is not given (with --plan: else RUN_DIR/cache)
  XDG_CACHE_HOME           without MSSI_CACHE, the cache is $XDG_CACHE_HOME/mssi (default ~/.cache/mssi)
  MSSI_GPU_BACKEND         WebGPU backends to try, in order, e.g. vulkan or vulkan,opengles
                           (default: vulkan,opengles on Linux, metal on macOS, d3d12,vulkan on Windows)
  MSSI_GPU_ALLOW_SOFTWARE  1: --backend auto may use a software adapter (llvmpipe, lavapipe,
                           SwiftShader, WARP: a CPU driver, slower than --backend cpu); --gpu always may
  MSSI_GPU_NATIVE_LOG      1: let the GPU driver's own messages through to stderr (hidden otherwise)`;

const EXIT_HELP = `
Exit status:
  0        every file was processed
  1        some file failed (named on stderr and in the report); the others were processed
           and reported. Also an internal error of mssi (the report has the files that finished)
  2        bad command line, rates table, selection file or cache location, or no input file;
           nothing was run
  3        --gpu (or --backend gpu) and no GPU adapter passes the self-test; nothing was run
  5        an output could not be written (--csv FILE, --model FILE, --html FILE, stdout other than a closed pipe); the
           rest was printed. It wins over 1: the file asked for is not there
  130, 143 stopped by SIGINT (Ctrl-C) or SIGTERM: workers stopped, finished files kept in the cache
  With --plan --shard: 1 a task failed (the shard file says which), 5 the shard file could not be
  written, 130/143 stopped (no shard file; finished tasks are cached).
  A reader that closes stdout early (mssi run ... | head) ends mssi quietly with 0.`;

export interface RunOptions {
  rates: string;
  backend: BackendRequest;
  gpu?: boolean;
  jobs: number;
  gpuWorkers: number;
  livetime: number;
  csv?: string;
  json?: boolean;
  wide?: boolean;
  cache: string | false;
  rehash?: boolean;
  quiet?: boolean;
  splitEntries: number;
  taskTimeout: number;
  plan?: string;
  shard?: number;
  selection?: string;
  model?: string;
  html?: string;
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run the MSSI selection on ROOT files and print SS/MSSI rates per day')
    .argument('[files...]', 'ROOT files, folders of them, or glob patterns (not with --plan)')
    .option('-r, --rates <csv>', 'rates table: CSV with "Source" and "Rate (Decays/day)" (required, except with --plan)')
    .option('--selection <file>', "selection file (TOML, or JSON by its .json extension; `mssi selection init` writes one): the cuts' numbers, branch and tree names, model bins (default: the notebook's)")
    .option('--plan <file>', 'run one shard of a plan (RUN_DIR/plan.json, from `mssi plan`) instead of FILES, into RUN_DIR/shards/K.json')
    .option('--shard <k>', 'the shard of --plan to run (0-based, e.g. a Slurm array index)', nonNegativeInteger('--shard'))
    .option('-j, --jobs <n>', 'worker processes', positiveInteger('--jobs'), defaultJobs())
    .addOption(
      new Option('--backend <name>', 'where the selection runs: cpu, gpu (WebGPU, fails without an adapter; a software one is used, with a warning) or auto (a hardware GPU when usable, else the CPU)')
        .choices(BACKEND_REQUESTS)
        .default('cpu'),
    )
    .option('--gpu', 'same as --backend gpu')
    .option(
      '--gpu-workers <k>',
      'with a GPU: at most this many of the --jobs workers open a device, the others select on the CPU (same counts); more devices cost more to open than they save',
      positiveInteger('--gpu-workers'),
      DEFAULT_GPU_WORKERS,
    )
    .option('--livetime <days>', 'livetime for "In Dataset"', positiveNumber('--livetime'), DEFAULT_LIVETIME_DAYS)
    .option('--csv <file>', 'also write the report as CSV to <file> ("-" for stdout, instead of the table)')
    .option('--json', 'print the report as JSON on stdout instead of the table')
    .option('--wide', "the table with every column, whatever the terminal's width (by default it fits the terminal: Source and the FV ROI columns, the others while there is room)")
    .option('--model <file>', MODEL_OPTION_HELP)
    .option('--html <file>', HTML_OPTION_HELP)
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
    .addHelpText('after', `${ENVIRONMENT_HELP}\n${EXIT_HELP}`)
    .action(async (files: string[], options: RunOptions, command: Command) => {
      const { runAction } = await import('./runAction.js');
      process.exitCode = await runAction(files, options, command);
    });
  withExamples(cmd, [
    'mssi run fixtures/lz/*.root --rates fixtures/rates.csv',
    'mssi run fixtures/lz --rates fixtures/rates.csv --selection examples/ws2024.toml --json > report.json',
    'mssi run fixtures/lz --rates fixtures/rates.csv --backend auto --csv report.csv --wide',
  ]);
}

