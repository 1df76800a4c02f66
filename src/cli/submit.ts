// `mssi submit --slurm FILES... --rates CSV --out RUN_DIR`: the run's shards as a
// Slurm array and a merge job (src/slurm/ does the work; this file reads the
// command line). `mssi submit --slurm --resume RUN_DIR` resubmits what is missing.
// Registered here; the work is in submitAction.ts, loaded when the command runs.

import type { Command } from 'commander';
import { DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { withExamples } from './help.js';
import { positiveInteger, positiveNumber } from './options.js';

export interface SubmitFlags {
  slurm?: boolean;
  resume?: string;
  rates?: string;
  out?: string;
  shards?: number;
  jobsPerTask?: number;
  maxRunning?: number;
  sbatchArg?: string[];
  cache?: string;
  splitEntries?: number;
  livetime?: number;
  selection?: string;
  dryRun?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerSubmit(program: Command): void {
  const cmd = program
    .command('submit')
    .description('run the files on a cluster: plan them into shards, submit the shards as a Slurm job array and a merge job that writes the report')
    .argument('[files...]', 'ROOT files, folders of them, or glob patterns (not with --resume)')
    .option('--slurm', 'submit to Slurm (sbatch); the only scheduler driven so far')
    .option('-r, --rates <csv>', 'rates table: CSV with "Source" and "Rate (Decays/day)"')
    .option('-o, --out <run_dir>', 'run folder: plan.json, the batch scripts, shards/, logs/, report.json (on a filesystem every node sees)')
    .option('--shards <n>', 'shards (array tasks); default: about 1-2 GB of input each, at most the site\'s MaxArraySize', positiveInteger('--shards'))
    .option('--jobs-per-task <j>', 'worker processes per array task (its --cpus-per-task; default 1)', positiveInteger('--jobs-per-task'))
    .option('--max-running <m>', 'at most this many tasks of an array at once (--array=...%M; default: no limit)', positiveInteger('--max-running'))
    .option('--sbatch-arg <arg>', 'passed to every sbatch, e.g. --sbatch-arg=--partition=short (repeat for more); --resume reuses them, except --hold', collect)
    .option('--cache <dir>', 'cache the shard tasks read and fill (default RUN_DIR/cache); must be on a filesystem every node sees')
    .option('--split-entries <n>', 'cut files with more entries than this into cluster-aligned ranges', positiveInteger('--split-entries'))
    .option('--livetime <days>', `livetime for "In Dataset" (default ${DEFAULT_LIVETIME_DAYS})`, positiveNumber('--livetime'))
    .option('--selection <file>', "selection file (TOML or .json) the shards run; recorded in the plan (default: the notebook's)")
    .option('--resume <run_dir>', 'resubmit only the shards of RUN_DIR whose result is missing or failed, and a new merge job')
    .option('--dry-run', 'write the plan and the scripts and print the sbatch commands, submitting nothing')
    .addHelpText(
      'after',
      `
Exit status: 0 submitted, 1 Slurm refused or failed (its message is shown), 2 bad command line,
or --resume with jobs of the run still queued or nothing to resume.
The merge job's own exit status is mssi merge's: 0 complete, 1 a file failed, 4 shards missing,
5 the report could not be written.`,
    )
    .action(async (files: string[], flags: SubmitFlags) => {
      const { submitAction } = await import('./submitAction.js');
      process.exitCode = await submitAction(files, flags);
    });
  withExamples(cmd, [
    'mssi submit --slurm fixtures/lz/*.root --rates fixtures/rates.csv --out cluster-run/ --shards 3 --dry-run',
    'mssi submit --slurm fixtures/lz/*.root --rates fixtures/rates.csv --out cluster-run/ --sbatch-arg=--partition=short',
    'mssi submit --slurm --resume cluster-run/',
  ]);
}

