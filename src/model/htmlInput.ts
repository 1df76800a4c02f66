// What `--html FILE.html` gives the HTML report's renderer (branch html:
// src/report/html/render.ts), built from the report and its weighted model.

import type { ExpectedEvents, Report } from '../report/join.js';
import type { ReportProvenance } from '../report/machine.js';
import type { WeightedHistogram } from './types.js';
import type { WeightedModel } from './weight.js';

/**
 * The renderer's input, field for field as src/report/html/input.ts (branch html)
 * defines it; at merge that type replaces this one.
 */
export interface HtmlReportInput {
  readonly title: string;
  readonly mssiVersion: string;
  readonly selectionHash: string;
  readonly livetimeDays: number;
  readonly summary: {
    readonly ss: HtmlExpected;
    readonly mssi: HtmlExpected;
    readonly fraction: number | null;
  };
  readonly sources: readonly {
    readonly source: string;
    readonly ssFvRoiPerDay: number;
    readonly ssFvRoiSigma: number;
    readonly mssiFvRoiPerDay: number;
    readonly mssiFvRoiSigma: number;
  }[];
  readonly ssTotal: WeightedHistogram;
  readonly mssiTotal: WeightedHistogram;
}

export interface HtmlExpected {
  readonly perDay: number;
  readonly fvPerDay: number;
  readonly fvRoiPerDay: number;
  readonly inDataset: number;
  readonly perDaySigma: number;
  readonly fvPerDaySigma: number;
  readonly fvRoiPerDaySigma: number;
  readonly inDatasetSigma: number;
}

const expected = (e: ExpectedEvents): HtmlExpected => ({
  perDay: e.perDay,
  fvPerDay: e.fvPerDay,
  fvRoiPerDay: e.fvRoiPerDay,
  inDataset: e.inDataset,
  perDaySigma: e.perDaySigma,
  fvPerDaySigma: e.fvPerDaySigma,
  fvRoiPerDaySigma: e.fvRoiPerDaySigma,
  inDatasetSigma: e.inDatasetSigma,
});

/**
 * The renderer's input: the report's totals, and per source with a rate its FV ROI
 * rates (the files of a source added, their variances too) and the total histograms.
 */
export function htmlInputOf(report: Report, model: WeightedModel, provenance: ReportProvenance, title = 'MSSI background model'): HtmlReportInput {
  const bySource = new Map<string, { ss: number; ssVar: number; mssi: number; mssiVar: number }>();
  // Sources that have a rate, in the report's order (a file with no entries adds 0).
  for (const r of report.rows) {
    if (r.ratePerDay === null) continue;
    const s = bySource.get(r.result.source) ?? { ss: 0, ssVar: 0, mssi: 0, mssiVar: 0 };
    bySource.set(r.result.source, s);
    if (!r.perDay || !r.perDaySigma) continue;
    s.ss += r.perDay.nSSFVROI;
    s.ssVar += r.perDaySigma.nSSFVROI ** 2;
    s.mssi += r.perDay.nMSSIFVROI;
    s.mssiVar += r.perDaySigma.nMSSIFVROI ** 2;
  }
  return {
    title,
    mssiVersion: provenance.mssiVersion,
    selectionHash: provenance.selectionHash,
    livetimeDays: report.livetimeDays,
    summary: { ss: expected(report.ss), mssi: expected(report.mssi), fraction: Number.isFinite(report.fraction) ? report.fraction : null },
    sources: [...bySource].map(([source, s]) => ({
      source,
      ssFvRoiPerDay: s.ss,
      ssFvRoiSigma: Math.sqrt(s.ssVar),
      mssiFvRoiPerDay: s.mssi,
      mssiFvRoiSigma: Math.sqrt(s.mssiVar),
    })),
    ssTotal: model.ssTotal,
    mssiTotal: model.mssiTotal,
  };
}
