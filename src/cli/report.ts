// Printing a report, the same for `mssi run` and `mssi merge`: warnings on stderr, the
// table (or --csv -, or --json) on stdout, --csv FILE written; the exit status 0 or 1.

import { writeFileSync } from 'node:fs';
import { atomicWrite } from '../cache/atomicWrite.js';
import type { FileFailure, FileResult } from '../result.js';
import { buildReport } from '../report/join.js';
import { reportToCsv, reportToJson } from '../report/machine.js';
import type { SourceRate } from '../report/rates.js';
import { formatReportText } from '../report/text.js';
import { EXIT } from './exit.js';

export interface PrintOptions {
  /** 'mssi run', 'mssi merge': what stderr lines start with. */
  readonly command: string;
  /** The rates table's path, as the user knows it (for warnings). */
  readonly ratesPath: string;
  readonly livetime: number;
  readonly csv?: string;
  readonly json?: boolean;
  /** Fields added to the JSON report (after the report's own). */
  readonly extraJson?: Record<string, unknown>;
  /** Also write the JSON report to this file, whole (temporary name, rename). */
  readonly jsonFile?: string;
}

export function printReport(
  results: readonly FileResult[],
  failures: readonly FileFailure[],
  rates: readonly SourceRate[],
  options: PrintOptions,
): number {
  const report = buildReport(results, failures, rates, options.livetime);
  for (const source of report.sourcesWithoutRate) {
    process.stderr.write(`${options.command}: warning: no rate for Source ${source} in ${options.ratesPath}; left out of the totals\n`);
  }
  for (const path of report.emptyFiles) {
    process.stderr.write(`${options.command}: warning: ${path} has no entries; it adds nothing\n`);
  }
  if (options.csv && options.csv !== '-') {
    try {
      writeFileSync(options.csv, reportToCsv(report));
    } catch (err) {
      process.stderr.write(`${options.command}: cannot write --csv ${options.csv}: ${(err as Error).message}\n`);
      return EXIT.failure;
    }
  }
  const json = () => `${JSON.stringify({ ...reportToJson(report), ...options.extraJson }, null, 2)}\n`;
  if (options.jsonFile) {
    try {
      atomicWrite(options.jsonFile, json());
    } catch (err) {
      process.stderr.write(`${options.command}: cannot write ${options.jsonFile}: ${(err as Error).message}\n`);
      return EXIT.failure;
    }
  }
  if (options.json) process.stdout.write(json());
  else if (options.csv === '-') process.stdout.write(reportToCsv(report));
  else process.stdout.write(formatReportText(report));
  return report.failures.length > 0 ? EXIT.failure : EXIT.ok;
}
