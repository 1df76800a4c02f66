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
  /**
   * The uncertainty of each perDay column, sqrt(C * w^2) with w = eventWeight * rate (the
   * simulation's Poisson error on C); null with perDay.
   */
  readonly perDaySigma: SelectionCounts | null;
}

export interface ExpectedEvents {
  readonly perDay: number;
  readonly fvPerDay: number;
  readonly fvRoiPerDay: number;
  /** FV ROI per day times the livetime. */
  readonly inDataset: number;
  /** Their uncertainties: sqrt of the rows' summed variances (C * w^2); inDataset's is fvRoiPerDay's times the livetime. */
  readonly perDaySigma: number;
  readonly fvPerDaySigma: number;
  readonly fvRoiPerDaySigma: number;
  readonly inDatasetSigma: number;
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
  const rows: (ReportRow & { variance: SelectionCounts | null })[] = results.map((result) => {
    const ratePerDay = rateOf.get(result.source) ?? null;
    const weighted = ratePerDay !== null && result.eventWeight !== null;
    const perDay = weighted ? perDayOf(result.counts, result.eventWeight!, ratePerDay) : null;
    const variance = weighted ? varianceOf(result.counts, result.eventWeight! * ratePerDay) : null;
    return { result, ratePerDay, perDay, perDaySigma: variance && mapCounts(variance, Math.sqrt), variance };
  });

  // Sums in row order, as pandas' column sum over the joined rows does.
  const sum = (key: keyof SelectionCounts) => rows.reduce((acc, r) => acc + (r.perDay ? r.perDay[key] : 0), 0);
  const sigma = (key: keyof SelectionCounts) => Math.sqrt(rows.reduce((acc, r) => acc + (r.variance ? r.variance[key] : 0), 0));
  const expected = (all: keyof SelectionCounts, fv: keyof SelectionCounts, fvRoi: keyof SelectionCounts): ExpectedEvents => {
    const fvRoiPerDay = sum(fvRoi);
    const fvRoiPerDaySigma = sigma(fvRoi);
    return {
      perDay: sum(all),
      fvPerDay: sum(fv),
      fvRoiPerDay,
      inDataset: fvRoiPerDay * livetimeDays,
      perDaySigma: sigma(all),
      fvPerDaySigma: sigma(fv),
      fvRoiPerDaySigma,
      inDatasetSigma: fvRoiPerDaySigma * livetimeDays,
    };
  };
  const ss = expected('nSS', 'nSSFV', 'nSSFVROI');
  const mssi = expected('nMSSI', 'nMSSIFV', 'nMSSIFVROI');
  const unique = (xs: string[]) => [...new Set(xs)];
  return {
    livetimeDays,
    rows: rows.map(({ variance: _, ...row }) => row),
    failures,
    ss,
    mssi,
    fraction: ss.fvRoiPerDay === 0 ? NaN : mssi.fvRoiPerDay / ss.fvRoiPerDay,
    sourcesWithoutRate: unique(rows.filter((r) => r.ratePerDay === null).map((r) => r.result.source)),
    emptyFiles: rows.filter((r) => r.result.eventWeight === null).map((r) => r.result.path),
  };
}

function mapCounts(c: SelectionCounts, f: (v: number) => number): SelectionCounts {
  return { nSS: f(c.nSS), nSSFV: f(c.nSSFV), nSSFVROI: f(c.nSSFVROI), nMSSI: f(c.nMSSI), nMSSIFV: f(c.nMSSIFV), nMSSIFVROI: f(c.nMSSIFVROI) };
}

/** C * w^2 for each count: the variance of C * w when C is Poisson. */
function varianceOf(counts: SelectionCounts, w: number): SelectionCounts {
  return mapCounts(counts, (c) => c * w * w);
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
