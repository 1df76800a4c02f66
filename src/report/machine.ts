// The machine-readable reports (--csv, --json): stable, documented formats for CI
// batch jobs (README "Output formats"). Numbers are written at full precision.
// Schema mssi.report/2 is mssi.report/1 (every field kept, same name, same meaning)
// plus what made the numbers: mssi's version, the selection hash of the cache keys
// and the cut constants. mssi.report/3 is /2 with `cuts` replaced by `selection`: the
// effective selection that hash covers, in the selection file's layout (every field),
// plus the uncertainties: each file's perDaySigma, the totals' *Sigma fields (and in
// CSV, columns after all of /2's).

import { stringify } from 'csv-stringify/sync';
import { COUNT_COLUMNS, type ExpectedEvents, type Report } from './join.js';
import { RATE_COLUMN, SOURCE_COLUMN } from './rates.js';

export const JSON_SCHEMA = 'mssi.report/3';

/** What made a report's numbers (reportProvenance() in provenance.ts gives this process's). */
export interface ReportProvenance {
  /** mssi's own package.json version. */
  readonly mssiVersion: string;
  /** The selection's hash (src/cache/key.ts): part of every cache key, and of a plan. */
  readonly selectionHash: string;
  /** The selection the hash covers, in the layout of a selection file (src/selection/layout.ts). */
  readonly selection: object;
}

const finiteOrNull = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);

export function reportToJson(report: Report, provenance: ReportProvenance): object {
  const expected = (e: ExpectedEvents) => ({
    perDay: e.perDay,
    fvPerDay: e.fvPerDay,
    fvRoiPerDay: e.fvRoiPerDay,
    inDataset: e.inDataset,
    perDaySigma: e.perDaySigma,
    fvPerDaySigma: e.fvPerDaySigma,
    fvRoiPerDaySigma: e.fvRoiPerDaySigma,
    inDatasetSigma: e.inDatasetSigma,
  });
  return {
    schema: JSON_SCHEMA,
    mssiVersion: provenance.mssiVersion,
    selectionHash: provenance.selectionHash,
    selection: provenance.selection,
    livetimeDays: report.livetimeDays,
    files: report.rows.map((r) => ({
      path: r.result.path,
      source: r.result.source,
      contentHash: r.result.contentHash,
      backend: r.result.backend,
      fromCache: r.result.fromCache,
      counts: { ...r.result.counts },
      eventWeight: r.result.eventWeight,
      ratePerDay: r.ratePerDay,
      perDay: r.perDay ? { ...r.perDay } : null,
      perDaySigma: r.perDaySigma ? { ...r.perDaySigma } : null,
    })),
    failures: report.failures.map((f) => ({ path: f.path, error: f.message })),
    sourcesWithoutRate: report.sourcesWithoutRate,
    emptyFiles: report.emptyFiles,
    totals: { ss: expected(report.ss), mssi: expected(report.mssi), fraction: finiteOrNull(report.fraction) },
  };
}

/** One row per file (`kind` file), per failed file (`failed`), and one `total` row. */
export function reportToCsv(report: Report): string {
  const header = [
    'kind',
    SOURCE_COLUMN,
    'File',
    ...COUNT_COLUMNS.map((c) => c.count),
    'eventWeight',
    RATE_COLUMN,
    ...COUNT_COLUMNS.map((c) => c.perDay),
    'SS In Dataset',
    'MSSI In Dataset',
    'fraction',
    'contentHash',
    'error',
    // mssi.report/3: after every earlier column, so that their positions stay
    ...COUNT_COLUMNS.map((c) => `${c.perDay} sigma`),
    'SS In Dataset sigma',
    'MSSI In Dataset sigma',
  ];
  const blank = (n: number) => Array<string>(n).fill('');
  const num = (v: number | null) => (v === null || Number.isNaN(v) ? '' : String(v));
  const rows: string[][] = report.rows.map((r) => [
    'file',
    r.result.source,
    r.result.path,
    ...COUNT_COLUMNS.map((c) => String(r.result.counts[c.key])),
    num(r.result.eventWeight),
    num(r.ratePerDay),
    ...COUNT_COLUMNS.map((c) => (r.perDay ? num(r.perDay[c.key]) : '')),
    ...blank(3),
    r.result.contentHash ?? '',
    '',
    ...COUNT_COLUMNS.map((c) => (r.perDaySigma ? num(r.perDaySigma[c.key]) : '')),
    ...blank(2),
  ]);
  for (const f of report.failures) {
    const error = header.indexOf('error');
    rows.push(['failed', '', f.path, ...blank(error - 3), f.message, ...blank(header.length - error - 1)]);
  }
  const totals = [report.ss.perDay, report.ss.fvPerDay, report.ss.fvRoiPerDay];
  const mssiTotals = [report.mssi.perDay, report.mssi.fvPerDay, report.mssi.fvRoiPerDay];
  const sigmas = [report.ss.perDaySigma, report.ss.fvPerDaySigma, report.ss.fvRoiPerDaySigma, report.mssi.perDaySigma, report.mssi.fvPerDaySigma, report.mssi.fvRoiPerDaySigma];
  rows.push([
    'total',
    '',
    '',
    ...blank(COUNT_COLUMNS.length + 2),
    ...[...totals, ...mssiTotals].map(num),
    num(report.ss.inDataset),
    num(report.mssi.inDataset),
    num(report.fraction),
    '',
    '',
    ...sigmas.map(num),
    num(report.ss.inDatasetSigma),
    num(report.mssi.inDatasetSigma),
  ]);
  return stringify([header, ...rows]);
}
