// The human report: the per-file table and the notebook's summary lines.

import { COUNT_COLUMNS, type Report, type ExpectedEvents } from './join.js';
import { RATE_COLUMN } from './rates.js';
import { fitTable, type TableColumn } from './table.js';

/** pandas-like display: six significant digits, no trailing zeros. */
export function displayNumber(v: number | null): string {
  if (v === null) return '';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return v.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

/**
 * The notebook's five lines, unchanged (scripts parse them), then their uncertainties on
 * a line of their own.
 */
function expectedLines(title: string, kind: string, e: ExpectedEvents): string[] {
  return [
    `Number of ${title} events expected`,
    `N. ${kind} / day:   ${e.perDay}`,
    `In FV / day:     ${e.fvPerDay}`,
    `N. FV ROI / day: ${e.fvRoiPerDay}`,
    `In Dataset:      ${e.inDataset}`,
    `1 sigma (simulation statistics): ${kind} / day ± ${displayNumber(e.perDaySigma)}, FV ± ${displayNumber(e.fvPerDaySigma)}, ` +
      `FV ROI ± ${displayNumber(e.fvRoiPerDaySigma)}, In Dataset ± ${displayNumber(e.inDatasetSigma)}`,
  ];
}

export interface TextOptions {
  /** Characters a line of the table may have (the terminal's columns); default: no limit, every column. */
  readonly width?: number;
}

/**
 * The per-file table's columns, in the order printed, and how they give way to a
 * narrow terminal (table.ts): Source and the four FV ROI columns always (Source cut,
 * with an ellipsis, down to 12 characters, where it must), the others by priority while
 * they fit: nSS, Rate, eventWeight, nMSSI, SS/day, MSSI/day, nSS FV, nMSSI FV,
 * SS/day FV, MSSI/day FV, then each per-day column's uncertainty (± SS/day, ...). On a terminal too narrow for even that, the counts go first.
 */
const PRIORITY: Record<string, number> = {
  Source: 0,
  'SS/day FV ROI': 1,
  'MSSI/day FV ROI': 2,
  'nSS FV ROI': 3,
  'nMSSI FV ROI': 4,
  nSS: 5,
  [RATE_COLUMN]: 6,
  eventWeight: 7,
  nMSSI: 8,
  'SS/day': 9,
  'MSSI/day': 10,
  'nSS FV': 11,
  'nMSSI FV': 12,
  'SS/day FV': 13,
  'MSSI/day FV': 14,
};
/** The header of a per-day column's uncertainty. */
export const sigmaHeader = (perDay: string) => `± ${perDay}`;
// After every other column: on a terminal, the uncertainties are the first to give way.
for (const [i, c] of COUNT_COLUMNS.entries()) PRIORITY[sigmaHeader(c.perDay)] = 15 + i;
const REQUIRED = new Set(['Source', 'nSS FV ROI', 'nMSSI FV ROI', 'SS/day FV ROI', 'MSSI/day FV ROI']);
/** The shortest a cut Source may be: enough to tell most sources apart. */
export const SOURCE_CUT_TO = 12;

function reportColumns(report: Report): TableColumn[] {
  const column = (header: string, cells: string[]): TableColumn => ({
    header,
    cells,
    align: header === 'Source' ? 'left' : 'right',
    priority: PRIORITY[header]!,
    required: REQUIRED.has(header),
    ...(header === 'Source' ? { cutTo: SOURCE_CUT_TO } : {}),
  });
  const rows = report.rows;
  return [
    column('Source', rows.map((r) => r.result.source)),
    ...COUNT_COLUMNS.map((c) => column(c.count, rows.map((r) => String(r.result.counts[c.key])))),
    column('eventWeight', rows.map((r) => displayNumber(r.result.eventWeight))),
    column(RATE_COLUMN, rows.map((r) => (r.ratePerDay === null ? 'no rate' : displayNumber(r.ratePerDay)))),
    // each per-day column followed by its uncertainty, shown when there is room (--wide)
    ...COUNT_COLUMNS.flatMap((c) => [
      column(c.perDay, rows.map((r) => (r.perDay ? displayNumber(r.perDay[c.key]) : ''))),
      column(sigmaHeader(c.perDay), rows.map((r) => (r.perDaySigma ? displayNumber(r.perDaySigma[c.key]) : ''))),
    ]),
  ];
}

export function formatReportText(report: Report, options: TextOptions = {}): string {
  const rule = '----------------------------';
  const fraction = Number.isNaN(report.fraction) ? 'n/a (no SS events in FV ROI)' : report.fraction.toFixed(2);
  const lines = [
    ...fitTable(reportColumns(report), { width: options.width ?? Number.POSITIVE_INFINITY }),
    '',
    ...expectedLines('SS', 'SS', report.ss),
    rule,
    ...expectedLines('MSSI', 'MSSI', report.mssi),
    rule,
    'Fraction of events that are MSSI',
    `fraction: ${fraction}`,
  ];
  const cached = report.rows.filter((r) => r.result.fromCache).length;
  lines.push('', `${report.rows.length} file(s) processed, ${cached} from the cache; livetime ${report.livetimeDays} days`);
  if (report.sourcesWithoutRate.length > 0) {
    lines.push(`Left out of the totals, no rate in the rates table: ${report.sourcesWithoutRate.join(', ')}`);
  }
  if (report.emptyFiles.length > 0) {
    lines.push(`Files with no entries (no eventWeight, nothing added): ${report.emptyFiles.join(', ')}`);
  }
  if (report.failures.length > 0) {
    lines.push(`FAILED: ${report.failures.length} file(s):`);
    for (const f of report.failures) lines.push(`  ${f.path}: ${f.message}`);
  }
  return lines.join('\n') + '\n';
}
