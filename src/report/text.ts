// The human report: the per-file table and the notebook's summary lines.

import { COUNT_COLUMNS, type Report, type ExpectedEvents } from './join.js';
import { RATE_COLUMN } from './rates.js';

/** pandas-like display: six significant digits, no trailing zeros. */
export function displayNumber(v: number | null): string {
  if (v === null) return '';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return v.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

function table(header: string[], rows: string[][], rightAligned: (c: number) => boolean): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((s, c) => (rightAligned(c) ? s.padStart(widths[c]!) : s.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function expectedLines(title: string, kind: string, e: ExpectedEvents): string[] {
  return [
    `Number of ${title} events expected`,
    `N. ${kind} / day:   ${e.perDay}`,
    `In FV / day:     ${e.fvPerDay}`,
    `N. FV ROI / day: ${e.fvRoiPerDay}`,
    `In Dataset:      ${e.inDataset}`,
  ];
}

export function formatReportText(report: Report): string {
  const header = [
    'Source',
    ...COUNT_COLUMNS.map((c) => c.count),
    'eventWeight',
    RATE_COLUMN,
    ...COUNT_COLUMNS.map((c) => c.perDay),
  ];
  const rows = report.rows.map((r) => [
    r.result.source,
    ...COUNT_COLUMNS.map((c) => String(r.result.counts[c.key])),
    displayNumber(r.result.eventWeight),
    r.ratePerDay === null ? 'no rate' : displayNumber(r.ratePerDay),
    ...COUNT_COLUMNS.map((c) => (r.perDay ? displayNumber(r.perDay[c.key]) : '')),
  ]);
  const rule = '----------------------------';
  const fraction = Number.isNaN(report.fraction) ? 'n/a (no SS events in FV ROI)' : report.fraction.toFixed(2);
  const lines = [
    ...table(header, rows, (c) => c > 0),
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
