// The numbers the report draws from a WeightedHistogram (ROOT's TH2 layout with
// flow bins): its projections on x and on y over the in-range bins, and what fell
// in the flow bins (not drawn).

import { axisEdges } from '../../model/bin.js';
import { cellCount, type WeightedHistogram } from '../../model/types.js';

/** A 1-D histogram: bin k spans [edges[k], edges[k + 1]). */
export interface Projection {
  readonly edges: Float64Array;
  readonly values: Float64Array;
  /** sqrt of the summed variances. */
  readonly sigmas: Float64Array;
}

/** The histogram's cell arrays do not have the layout its axes give. */
export class HistogramShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistogramShapeError';
  }
}

export function checkShape(h: WeightedHistogram): void {
  const want = cellCount(h.x, h.y);
  for (const [what, a] of [['values', h.values], ['variances', h.variances]] as const) {
    if (a.length !== want) {
      throw new HistogramShapeError(
        `histogram ${h.name}: ${what} has ${a.length} cells, but its axes (${h.x.count} x ${h.y.count} bins + flow) need ${want}`,
      );
    }
  }
}


/** Sum over the in-range y bins of each in-range x bin. */
export function projectX(h: WeightedHistogram): Projection {
  checkShape(h);
  const stride = h.x.count + 2;
  const values = new Float64Array(h.x.count);
  const variances = new Float64Array(h.x.count);
  for (let iy = 1; iy <= h.y.count; iy++) {
    for (let ix = 1; ix <= h.x.count; ix++) {
      values[ix - 1]! += h.values[ix + stride * iy]!;
      variances[ix - 1]! += h.variances[ix + stride * iy]!;
    }
  }
  return { edges: axisEdges(h.x), values, sigmas: variances.map(Math.sqrt) };
}

/** Sum over the in-range x bins of each in-range y bin. */
export function projectY(h: WeightedHistogram): Projection {
  checkShape(h);
  const stride = h.x.count + 2;
  const values = new Float64Array(h.y.count);
  const variances = new Float64Array(h.y.count);
  for (let iy = 1; iy <= h.y.count; iy++) {
    for (let ix = 1; ix <= h.x.count; ix++) {
      values[iy - 1]! += h.values[ix + stride * iy]!;
      variances[iy - 1]! += h.variances[ix + stride * iy]!;
    }
  }
  return { edges: axisEdges(h.y), values, sigmas: variances.map(Math.sqrt) };
}

export interface FlowSummary {
  /** Sum of the values of the in-range cells. */
  readonly inRange: number;
  /** Sum of the values of the flow cells (under- or overflow on either axis). */
  readonly flow: number;
  readonly flowSigma: number;
}

export function flowSummary(h: WeightedHistogram): FlowSummary {
  checkShape(h);
  const stride = h.x.count + 2;
  let inRange = 0;
  let flow = 0;
  let flowVariance = 0;
  for (let iy = 0; iy <= h.y.count + 1; iy++) {
    for (let ix = 0; ix <= h.x.count + 1; ix++) {
      const cell = ix + stride * iy;
      if (ix >= 1 && ix <= h.x.count && iy >= 1 && iy <= h.y.count) inRange += h.values[cell]!;
      else {
        flow += h.values[cell]!;
        flowVariance += h.variances[cell]!;
      }
    }
  }
  return { inRange, flow, flowSigma: Math.sqrt(flowVariance) };
}
