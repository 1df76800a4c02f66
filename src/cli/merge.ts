// `mssi merge RUN_DIR`: the report of a plan's run from plan.json and shards/*.json
// alone (no input file is read or hashed), printed as `mssi run` prints it, and which
// shards are missing or failed. Exit 0 complete, 1 a file failed, 4 shards missing.

import type { Command } from 'commander';
import { DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { readRatesTable, type SourceRate } from '../report/rates.js';
import { runLayout } from '../shard/layout.js';
import { mergeRun, type MergeOutcome } from '../shard/merge.js';
import type { Plan } from '../shard/plan.js';
import { EXIT } from './exit.js';
import { positiveNumber } from './options.js';
import { printReport } from './report.js';

interface MergeOptions {
  rates?: string;
  livetime?: number;
  csv?: string;
  json?: boolean;
  out?: string;
}

const COMMAND = 'mssi merge';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description("the report of a plan's run, from RUN_DIR/plan.json and RUN_DIR/shards/*.json only")
    .argument('<run_dir>', 'the run folder of `mssi plan --out`')
    .option('-r, --rates <csv>', "rates table (default: the plan's)")
    .option('--livetime <days>', `livetime for "In Dataset" (default: the plan's, else ${DEFAULT_LIVETIME_DAYS})`, positiveNumber('--livetime'))
    .option('--csv <file>', 'also write the report as CSV to <file> ("-" for stdout, instead of the table)')
    .option('--json', 'print the report as JSON on stdout instead of the table (with a "shards" field)')
    .option('--out <file>', 'also write the JSON report to <file>, whole (e.g. RUN_DIR/report.json)')
    .action((runDir: string, options: MergeOptions) => {
      process.exitCode = mergeCommand(runDir, options);
    });
}

function usage(message: string): number {
  process.stderr.write(`${COMMAND}: ${message}\n`);
  return EXIT.usage;
}

const list = (xs: readonly number[]) => (xs.length > 12 ? `${xs.slice(0, 12).join(', ')}, ... (${xs.length})` : xs.join(', '));

function mergeCommand(runDir: string, options: MergeOptions): number {
  if (options.json && options.csv === '-') return usage('--json and --csv - both want stdout; choose one');
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
  const code = printReport(outcome.results, outcome.failures, rates, {
    command: COMMAND,
    ratesPath,
    livetime: options.livetime ?? plan.livetimeDays ?? DEFAULT_LIVETIME_DAYS,
    csv: options.csv,
    json: options.json,
    jsonFile: options.out,
    extraJson: { shards: { ...shards, unreportedFiles: outcome.unreported } },
  });
  return shards.missing.length > 0 ? EXIT.incomplete : code;
}
