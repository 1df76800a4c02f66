// What the HTML report shows: the summary numbers, the per-source FV ROI rates and
// the total SS and MSSI models. Filled by the run (branch model) from the joined
// report; the renderer knows nothing of how it was computed.

import type { WeightedHistogram } from '../../model/types.js';

/** Expected events of one kind (SS or MSSI), each with its uncertainty sqrt(sum over sources of count * w^2). */
export interface HtmlExpected {
  readonly perDay: number;
  readonly perDaySigma: number;
  readonly fvPerDay: number;
  readonly fvPerDaySigma: number;
  readonly fvRoiPerDay: number;
  readonly fvRoiPerDaySigma: number;
  readonly inDataset: number;
  readonly inDatasetSigma: number;
}

/** One source's FV ROI rates (events/day), for the bar chart. */
export interface HtmlSource {
  readonly source: string;
  readonly ssFvRoiPerDay: number;
  readonly ssFvRoiSigma: number;
  readonly mssiFvRoiPerDay: number;
  readonly mssiFvRoiSigma: number;
}

export interface HtmlReportInput {
  readonly title: string;
  readonly mssiVersion: string;
  readonly selectionHash: string;
  readonly livetimeDays: number;
  readonly summary: {
    readonly ss: HtmlExpected;
    readonly mssi: HtmlExpected;
    /** MSSI / SS in FV ROI; null when SS FV ROI is 0. */
    readonly fraction: number | null;
  };
  /** Sources that have a rate, in the report's order. */
  readonly sources: readonly HtmlSource[];
  readonly ssTotal: WeightedHistogram;
  readonly mssiTotal: WeightedHistogram;
}
