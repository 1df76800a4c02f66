// `mssi plan FILES... --shards N --out RUN_DIR`: what it does (its options are in plan.ts).

import { existsSync } from 'node:fs';
import { readRatesTable } from '../report/rates.js';
import { selectionOption } from '../selection/selectionFile.js';
import { expandInputs } from '../run/inputs.js';
import { shardLoads } from '../shard/balance.js';
import { runLayout } from '../shard/layout.js';
import { createPlan, planHash, readPlan, writePlan, type Plan } from '../shard/plan.js';
import { readShardResults } from '../shard/shardFile.js';
import { EXIT } from './exit.js';
import type { PlanCommandOptions } from './plan.js';

const COMMAND = 'mssi plan';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function refuse(message: string): number {
  process.stderr.write(`${COMMAND}: ${message}\n`);
  return EXIT.usage;
}

/** Plans FILES into RUN_DIR/plan.json and says how to run its shards; its exit status. */
export async function planAction(inputs: string[], options: PlanCommandOptions): Promise<number> {
  const { files, problems } = expandInputs(inputs);
  // A plan is run for hours on many machines: an input that names nothing is refused now.
  for (const p of problems) process.stderr.write(`${COMMAND}: ${p.message}\n`);
  if (problems.length > 0) return refuse(`nothing planned: ${problems.length} input(s) name no file`);
  if (files.length === 0) return refuse('no input files');
  let selection;
  try {
    selection = selectionOption(options.selection);
    if (options.rates !== undefined) readRatesTable(options.rates);
  } catch (err) {
    return refuse((err as Error).message);
  }
  let plan: Plan;
  try {
    plan = await createPlan(files, {
      shards: options.shards,
      ...(options.rates === undefined ? {} : { ratesPath: options.rates }),
      ...(options.livetime === undefined ? {} : { livetimeDays: options.livetime }),
      splitEntries: options.splitEntries,
      selection,
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
    // the plan is this command's output: one that cannot be written is exit 5, as for mssi run's --csv
    process.stderr.write(`${COMMAND}: cannot write ${layout.plan}: ${(err as Error).message}\n`);
    return EXIT.outputFailed;
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
