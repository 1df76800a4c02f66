// `mssi merge RUN_DIR`: the report of a plan's run from plan.json and shards/*.json
// alone (no input file is read or hashed), printed as `mssi run` prints it, and which
// shards are missing or failed. Exit 0 complete, 1 a file failed, 4 shards missing.
// Registered here; the work is in mergeAction.ts, loaded when the command runs.

import type { Command } from 'commander';
import { DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { withExamples } from './help.js';
import { HTML_OPTION_HELP, MODEL_OPTION_HELP, positiveNumber } from './options.js';

export interface MergeOptions {
  rates?: string;
  livetime?: number;
  csv?: string;
  json?: boolean;
  out?: string;
  wide?: boolean;
  model?: string;
  html?: string;
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .description("the report of a plan's run, from RUN_DIR/plan.json and RUN_DIR/shards/*.json only")
    .argument('<run_dir>', 'the run folder of `mssi plan --out`')
    .option('-r, --rates <csv>', "rates table (default: the plan's)")
    .option('--livetime <days>', `livetime for "In Dataset" (default: the plan's, else ${DEFAULT_LIVETIME_DAYS})`, positiveNumber('--livetime'))
    .option('--csv <file>', 'also write the report as CSV to <file> ("-" for stdout, instead of the table)')
    .option('--json', 'print the report as JSON on stdout instead of the table (with a "shards" field)')
    .option('--out <file>', 'also write the JSON report to <file>, whole (e.g. RUN_DIR/report.json)')
    .option('--wide', "the table with every column, whatever the terminal's width (as mssi run --wide)")
    .option('--model <file>', MODEL_OPTION_HELP)
    .option('--html <file>', HTML_OPTION_HELP)
    .addHelpText(
      'after',
      `
Exit status: 0 complete, 1 a file failed (in the report's failures), 2 a run folder, plan or
rates table that cannot be used, 4 shards missing (named on stderr; their files are left out),
5 --out FILE, --csv FILE, --model FILE, --html FILE or stdout could not be written (the rest is printed; 5 wins over 1 and 4).`,
    )
    .action(async (runDir: string, options: MergeOptions) => {
      const { mergeAction } = await import('./mergeAction.js');
      process.exitCode = await mergeAction(runDir, options);
    });
  withExamples(cmd, [
    'mssi merge run/',
    'mssi merge run/ --out run/report.json --csv run/report.csv',
    'mssi merge run/ --json',
  ]);
}

