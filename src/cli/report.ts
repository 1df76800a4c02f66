// Printing a report, the same for `mssi run` and `mssi merge`: warnings on stderr, the
// table (or --csv -, or --json) on stdout, --csv FILE (and merge's --out FILE)
// written; the exit status 0, 1 (a file failed) or 5 (an output could not be written).

import { writeFileSync } from 'node:fs';
import { atomicWrite } from '../cache/atomicWrite.js';
import type { FileFailure, FileResult } from '../result.js';
import { modelAxes } from '../model/bin.js';
import { weightModel } from '../model/weight.js';
import { buildReport } from '../report/join.js';
import { reportToCsv, reportToJson } from '../report/machine.js';
import { reportProvenance } from '../report/provenance.js';
import type { SourceRate } from '../report/rates.js';
import type { Selection } from '../selection/definition.js';
import { formatReportText } from '../report/text.js';
import { EXIT } from './exit.js';
import { tableWidth } from './terminal.js';

export interface PrintOptions {
  /** 'mssi run', 'mssi merge': what stderr lines start with. */
  readonly command: string;
  /** The selection the counts were made with (the report names it, and its hash). */
  readonly selection: Selection;
  /** The rates table's path, as the user knows it (for warnings). */
  readonly ratesPath: string;
  readonly livetime: number;
  readonly csv?: string;
  readonly json?: boolean;
  /** --wide: the whole table, whatever the terminal's width. */
  readonly wide?: boolean;
  /** Fields added to the JSON report (after the report's own). */
  readonly extraJson?: Record<string, unknown>;
  /** Also write the JSON report to this file, whole (temporary name, rename). */
  readonly jsonFile?: string;
  /** --model FILE.json or FILE.root: the weighted model (src/model/outputs.ts). */
  readonly modelFile?: string;
  /** --html FILE: the HTML report. */
  readonly htmlFile?: string;
}

/**
 * Prints the report; returns the exit status. An output file that cannot be written is
 * named on stderr and the rest is still printed (the table too); its status, 5, wins
 * over 1: a caller that finds 1 may read the file it asked for, and with 5 that file is
 * not there (or is an older one).
 */
export async function printReport(
  results: readonly FileResult[],
  failures: readonly FileFailure[],
  rates: readonly SourceRate[],
  options: PrintOptions,
): Promise<number> {
  const report = buildReport(results, failures, rates, options.livetime);
  for (const source of report.sourcesWithoutRate) {
    process.stderr.write(`${options.command}: warning: no rate for Source ${source} in ${options.ratesPath}; left out of the totals\n`);
  }
  for (const path of report.emptyFiles) {
    process.stderr.write(`${options.command}: warning: ${path} has no entries; it adds nothing\n`);
  }
  let unwritten = false;
  const write = async (what: string, doWrite: () => void | Promise<void>) => {
    try {
      await doWrite();
    } catch (err) {
      unwritten = true;
      process.stderr.write(`${options.command}: cannot write ${what}: ${(err as Error).message}; the report is printed on stdout all the same\n`);
    }
  };
  if (options.csv && options.csv !== '-') {
    const csv = options.csv;
    await write(`--csv ${csv}`, () => writeFileSync(csv, reportToCsv(report)));
  }
  const { modelFile, htmlFile } = options;
  if (modelFile !== undefined || htmlFile !== undefined) {
    // loaded only when asked for: a plain run's start-up does not pay for them
    const outputs = await import('../model/outputs.js');
    const weighted = () => weightModel(results, new Map(rates.map((r) => [r.source, r.ratePerDay])), modelAxes(options.selection));
    if (modelFile !== undefined) await write(`--model ${modelFile}`, () => outputs.writeModelFile(modelFile, report, weighted(), reportProvenance(options.selection)));
    if (htmlFile !== undefined) await write(`--html ${htmlFile}`, () => outputs.writeHtmlFile(htmlFile, report, weighted(), reportProvenance(options.selection)));
  }
  const json = () => `${JSON.stringify({ ...reportToJson(report, reportProvenance(options.selection)), ...options.extraJson }, null, 2)}\n`;
  if (options.jsonFile) {
    const file = options.jsonFile;
    await write(file, () => atomicWrite(file, json()));
  }
  if (options.json) process.stdout.write(json());
  else if (options.csv === '-') process.stdout.write(reportToCsv(report));
  else process.stdout.write(formatReportText(report, { width: tableWidth(options.wide) }));
  if (unwritten) return EXIT.outputFailed;
  return report.failures.length > 0 ? EXIT.failure : EXIT.ok;
}
