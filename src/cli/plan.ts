// `mssi plan FILES... --shards N --out RUN_DIR`: the plan of a run over many machines
// (RUN_DIR/plan.json), for `mssi run --plan RUN_DIR/plan.json --shard K` on each, in
// any engine, and `mssi merge RUN_DIR` after.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readRatesTable } from '../report/rates.js';
import { expandInputs } from '../run/inputs.js';
import { DEFAULT_SPLIT_ENTRIES } from '../run/splitPolicy.js';
import { shardLoads } from '../shard/balance.js';
import { runLayout } from '../shard/layout.js';
import { createPlan, planHash, readPlan, writePlan, type Plan } from '../shard/plan.js';
import { readShardResults } from '../shard/shardFile.js';
import { EXIT } from './exit.js';
import { defaultJobs, positiveInteger, positiveNumber } from './options.js';

interface PlanCommandOptions {
  shards: number;
  out: string;
  rates?: string;
  livetime?: number;
  splitEntries: number;
  jobs: number;
}

const COMMAND = 'mssi plan';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('plan a run over many machines: the files, cut and balanced by bytes into shards (RUN_DIR/plan.json)')
    .argument('<files...>', 'ROOT files, folders of them, or glob patterns')
    .requiredOption('--shards <n>', 'number of shards (jobs); a file larger than its fair share is cut into entry ranges', positiveInteger('--shards'))
    .requiredOption('-o, --out <run_dir>', 'the run folder: plan.json, then shards/, logs/, cache/')
    .option('-r, --rates <csv>', 'rates table merge uses (it can also be given to merge)')
    .option('--livetime <days>', 'livetime merge uses for "In Dataset" (default 220)', positiveNumber('--livetime'))
    .option(
      '--split-entries <n>',
      'ranges of a cut file have at most about this many entries (and about half a shard\'s share of bytes)',
      positiveInteger('--split-entries'),
      DEFAULT_SPLIT_ENTRIES,
    )
    .option('-j, --jobs <n>', 'worker processes that open big files to cut them', positiveInteger('--jobs'), defaultJobs())
    .action(async (files: string[], options: PlanCommandOptions) => {
      process.exitCode = await planCommand(files, options);
    });
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function refuse(message: string): number {
  process.stderr.write(`${COMMAND}: ${message}\n`);
  return EXIT.usage;
}

async function planCommand(inputs: string[], options: PlanCommandOptions): Promise<number> {
  const { files, problems } = expandInputs(inputs);
  // A plan is run for hours on many machines: an input that names nothing is refused now.
  for (const p of problems) process.stderr.write(`${COMMAND}: ${p.message}\n`);
  if (problems.length > 0) return refuse(`nothing planned: ${problems.length} input(s) name no file`);
  if (files.length === 0) return refuse('no input files');
  if (options.rates !== undefined) {
    try {
      readRatesTable(options.rates);
    } catch (err) {
      return refuse((err as Error).message);
    }
  }
  let plan: Plan;
  try {
    plan = await createPlan(files, {
      shards: options.shards,
      ...(options.rates === undefined ? {} : { ratesPath: options.rates }),
      ...(options.livetime === undefined ? {} : { livetimeDays: options.livetime }),
      splitEntries: options.splitEntries,
      jobs: options.jobs,
      onWarning: (message) => process.stderr.write(`${COMMAND}: warning: ${message}\n`),
    });
  } catch (err) {
    return refuse((err as Error).message);
  }
  const layout = runLayout(options.out);
  const same = existsSync(layout.plan) ? samePlanThere(options.out, plan) : 'none';
  if (same !== 'none' && same !== 'same') return refuse(same);
  try {
    writePlan(options.out, plan);
  } catch (err) {
    return refuse(`cannot write ${layout.plan}: ${(err as Error).message}`);
  }
  const loads = shardLoads(
    plan.tasks.map((t) => t.bytes),
    plan.tasks.map((t) => t.shard),
    plan.shards,
  );
  const heaviest = Math.max(...loads);
  const mean = plan.totalBytes / plan.shards;
  const cut = new Set(plan.tasks.filter((t) => t.range !== null).map((t) => t.input)).size;
  const last = plan.shards - 1;
  process.stdout.write(
    [
      `planned ${plan.inputs.length} file(s), ${megabytes(plan.totalBytes)}, as ${plan.tasks.length} task(s) in ${plan.shards} shard(s): ` +
        `heaviest ${megabytes(heaviest)}${mean > 0 ? ` (${(heaviest / mean).toFixed(2)}x the mean)` : ''}; ${cut} file(s) cut into entry ranges`,
      `${same === 'same' ? 'unchanged' : 'wrote'} ${layout.plan}; run each shard, on any machine that sees the files and the run folder:`,
      `  mssi run --plan ${layout.plan} --shard K      (K = 0${last > 0 ? ` .. ${last}` : ''})`,
      `then: mssi merge ${layout.dir}${plan.rates ? '' : ' --rates CSV'}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** 'same' when RUN_DIR holds this very plan already, else why it must not be replaced. */
function samePlanThere(runDir: string, plan: Plan): 'same' | string {
  const layout = runLayout(runDir);
  let there: Plan;
  try {
    there = readPlan(runDir, { checkSelection: false });
  } catch (err) {
    return `${layout.dir} already holds a plan.json that cannot be read (${(err as Error).message}); choose another --out, or remove it`;
  }
  const hash = planHash(there);
  if (hash === planHash(plan)) return 'same';
  const results = readShardResults(runDir, there, hash).valid.size;
  return `${layout.dir} already holds another plan (with ${results} shard result(s)); choose another --out, or remove ${layout.plan} and ${layout.shardsDir}`;
}
