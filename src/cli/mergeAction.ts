// `mssi merge RUN_DIR`: what it does (its options are in merge.ts).

import { DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { readRatesTable, type SourceRate } from '../report/rates.js';
import { runLayout } from '../shard/layout.js';
import { mergeRun, type MergeOutcome } from '../shard/merge.js';
import type { Plan } from '../shard/plan.js';
import { EXIT } from './exit.js';
import type { MergeOptions } from './merge.js';
import { modelPathProblem } from './modelPath.js';
import { printReport } from './report.js';

const COMMAND = 'mssi merge';

function usage(message: string): number {
  process.stderr.write(`${COMMAND}: ${message}\n`);
  return EXIT.usage;
}

const list = (xs: readonly number[]) => (xs.length > 12 ? `${xs.slice(0, 12).join(', ')}, ... (${xs.length})` : xs.join(', '));

/** The report of RUN_DIR's plan and shard results; its exit status. */
export async function mergeAction(runDir: string, options: MergeOptions): Promise<number> {
  if (options.json && options.csv === '-') return usage('--json and --csv - both want stdout; choose one');
  const modelProblem = modelPathProblem(options.model);
  if (modelProblem) return usage(modelProblem);
  let plan: Plan;
  let outcome: MergeOutcome;
  try {
    ({ plan, outcome } = mergeRun(runDir));
  } catch (err) {
    return usage((err as Error).message);
  }
  const ratesPath = options.rates ?? plan.rates?.path;
  if (ratesPath === undefined) return usage('no rates table: give --rates CSV (the plan has none)');
  let rates: SourceRate[];
  try {
    rates = readRatesTable(options.rates ?? plan.rates!.absolutePath);
  } catch (err) {
    return usage((err as Error).message);
  }

  const { shards } = outcome;
  const layout = runLayout(runDir);
  for (const { problem } of shards.problems) process.stderr.write(`${COMMAND}: ${problem}\n`);
  for (const stray of shards.strays) process.stderr.write(`${COMMAND}: warning: ${stray}\n`);
  if (shards.missing.length > 0) {
    process.stderr.write(
      `${COMMAND}: ${shards.missing.length} of ${shards.total} shard(s) missing: ${list(shards.missing)}; ` +
        `${outcome.unreported.length} file(s) are left out of the report until they have run ` +
        `(mssi run --plan ${layout.plan} --shard K)\n`,
    );
  }
  if (shards.failed.length > 0) {
    process.stderr.write(`${COMMAND}: ${shards.failed.length} shard(s) with a failed task: ${list(shards.failed)} (the files are in the report's failures)\n`);
  }
  const code = await printReport(outcome.results, outcome.failures, rates, {
    command: COMMAND,
    selection: plan.selection,
    ratesPath,
    livetime: options.livetime ?? plan.livetimeDays ?? DEFAULT_LIVETIME_DAYS,
    csv: options.csv,
    json: options.json,
    wide: options.wide,
    jsonFile: options.out,
    modelFile: options.model,
    htmlFile: options.html,
    extraJson: { shards: { ...shards, unreportedFiles: outcome.unreported } },
  });
  // An output that could not be written (5) says more than missing shards (4): the report asked for is not there.
  if (code === EXIT.outputFailed) return code;
  return shards.missing.length > 0 ? EXIT.incomplete : code;
}
