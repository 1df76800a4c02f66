// Joins file results with the rates table into per-day rates and totals (SELECTION.md).

import type { FileFailure, FileResult } from '../result.js';
import type { SelectionCounts } from '../selection/types.js';
import type { SourceRate } from './rates.js';

export const DEFAULT_LIVETIME_DAYS = 220;

/** The six count columns, in the notebook's order and with its names. */
export const COUNT_COLUMNS: readonly { key: keyof SelectionCounts; count: string; perDay: string }[] = [
  { key: 'nSS', count: 'nSS', perDay: 'SS/day' },
  { key: 'nSSFV', count: 'nSS FV', perDay: 'SS/day FV' },
  { key: 'nSSFVROI', count: 'nSS FV ROI', perDay: 'SS/day FV ROI' },
  { key: 'nMSSI', count: 'nMSSI', perDay: 'MSSI/day' },
  { key: 'nMSSIFV', count: 'nMSSI FV', perDay: 'MSSI/day FV' },
  { key: 'nMSSIFVROI', count: 'nMSSI FV ROI', perDay: 'MSSI/day FV ROI' },
];

export interface ReportRow {
  readonly result: FileResult;
  /** Decays per day of the row's Source; null when the rates table has none. */
  readonly ratePerDay: number | null;
  /** C * eventWeight * rate for each count column; null when the row has no rate or no entries. */
  readonly perDay: SelectionCounts | null;
}

export interface ExpectedEvents {
  readonly perDay: number;
  readonly fvPerDay: number;
  readonly fvRoiPerDay: number;
  /** FV ROI per day times the livetime. */
  readonly inDataset: number;
}

export interface Report {
  readonly livetimeDays: number;
  readonly rows: readonly ReportRow[];
  readonly failures: readonly FileFailure[];
  readonly ss: ExpectedEvents;
  readonly mssi: ExpectedEvents;
  /** MSSI/day FV ROI over SS/day FV ROI; NaN when there is no SS FV ROI rate. */
  readonly fraction: number;
  /** Sources with no rate (left out of the totals). */
  readonly sourcesWithoutRate: readonly string[];
  /** Files with no entries (no eventWeight; they add nothing). */
  readonly emptyFiles: readonly string[];
}

export function buildReport(
  results: readonly FileResult[],
  failures: readonly FileFailure[],
  rates: readonly SourceRate[],
  livetimeDays = DEFAULT_LIVETIME_DAYS,
): Report {
  const rateOf = new Map(rates.map((r) => [r.source, r.ratePerDay]));
  const rows: ReportRow[] = results.map((result) => {
    const ratePerDay = rateOf.get(result.source) ?? null;
    const perDay =
      ratePerDay === null || result.eventWeight === null ? null : perDayOf(result.counts, result.eventWeight, ratePerDay);
    return { result, ratePerDay, perDay };
  });

  // Sums in row order, as pandas' column sum over the joined rows does.
  const sum = (key: keyof SelectionCounts) => rows.reduce((acc, r) => acc + (r.perDay ? r.perDay[key] : 0), 0);
  const expected = (all: keyof SelectionCounts, fv: keyof SelectionCounts, fvRoi: keyof SelectionCounts) => {
    const fvRoiPerDay = sum(fvRoi);
    return { perDay: sum(all), fvPerDay: sum(fv), fvRoiPerDay, inDataset: fvRoiPerDay * livetimeDays };
  };
  const ss = expected('nSS', 'nSSFV', 'nSSFVROI');
  const mssi = expected('nMSSI', 'nMSSIFV', 'nMSSIFVROI');
  const unique = (xs: string[]) => [...new Set(xs)];
  return {
    livetimeDays,
    rows,
    failures,
    ss,
    mssi,
    fraction: ss.fvRoiPerDay === 0 ? NaN : mssi.fvRoiPerDay / ss.fvRoiPerDay,
    sourcesWithoutRate: unique(rows.filter((r) => r.ratePerDay === null).map((r) => r.result.source)),
    emptyFiles: rows.filter((r) => r.result.eventWeight === null).map((r) => r.result.path),
  };
}

/** C/day = C * eventWeight * rate, evaluated left to right like the notebook's pandas columns. */
function perDayOf(counts: SelectionCounts, eventWeight: number, ratePerDay: number): SelectionCounts {
  const of = (c: number) => c * eventWeight * ratePerDay;
  return {
    nSS: of(counts.nSS),
    nSSFV: of(counts.nSSFV),
    nSSFVROI: of(counts.nSSFVROI),
    nMSSI: of(counts.nMSSI),
    nMSSIFV: of(counts.nMSSIFV),
    nMSSIFVROI: of(counts.nMSSIFVROI),
  };
}
