// The model's data: per file, integer counts of its SS FV ROI and MSSI FV ROI
// events in 2-D bins of (correctedS1Area_phd, log10 correctedS2Area_phd), with
// ROOT's flow bins; per source, the counts weighted to events/day.

import type { AxisSpec } from '../selection/definition.js';

/**
 * Counts in ROOT's TH2 layout: (xCount + 2) * (yCount + 2) cells, cell = ix + (xCount + 2) * iy,
 * ix = 0 underflow, 1..xCount the bins, xCount + 1 overflow (the same for iy).
 * Float64Array: integers, exact to 2^53.
 */
export interface BinnedCounts {
  readonly cells: Float64Array;
  /** Events with a NaN coordinate: in no cell. */
  nan: number;
}

/** One file's (or entry range's) model counts. */
export interface ModelCounts {
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly ss: BinnedCounts;
  readonly mssi: BinnedCounts;
}

/** A weighted 2-D histogram: value = count * w, variance = count * w^2, summed over sources. */
export interface WeightedHistogram {
  readonly name: string;
  readonly title: string;
  readonly x: AxisSpec & { readonly title: string };
  readonly y: AxisSpec & { readonly title: string };
  /** Same layout as BinnedCounts.cells. */
  readonly values: Float64Array;
  readonly variances: Float64Array;
  /** Unweighted events filled (ROOT's fEntries), flow included, NaN excluded. */
  readonly entries: number;
}

/** Number of cells of a 2-D layout with flow bins. */
export function cellCount(x: AxisSpec, y: AxisSpec): number {
  return (x.count + 2) * (y.count + 2);
}
