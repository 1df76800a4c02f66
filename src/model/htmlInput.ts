// What `--html FILE.html` gives the HTML report's renderer (src/report/html/render.ts),
// built from the report and its weighted model.

import type { Report } from '../report/join.js';
import type { ReportProvenance } from '../report/machine.js';
import type { HtmlReportInput } from '../report/html/input.js';
import type { WeightedModel } from './weight.js';

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
    // the totals as the report has them: ExpectedEvents has every field HtmlExpected asks for
    summary: { ss: report.ss, mssi: report.mssi, fraction: Number.isFinite(report.fraction) ? report.fraction : null },
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
