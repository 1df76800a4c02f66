// The model's binning: SS FV ROI and MSSI FV ROI events into (cS1, log10 cS2) cells,
// in float64, from per-event decision bits. Uniform bins whose edges are exactly
// edge k = low + k * ((high - low) / count), the last one `high`: ROOT's
// TAxis::GetBinLowEdge (fXmin + (bin - 1) * binwidth) and numpy.linspace (uproot's
// axes[i].edges()) compute them so, float64 operation for float64 operation, hence a
// reader of the ROOT file sees the very edges the events were binned by. A value on an
// edge is in the bin above it whatever rounding the arithmetic index had.

import { DEFAULT_SELECTION, type AxisSpec, type Selection } from '../selection/definition.js';
import { FV, MSSI, ROI } from '../selection/reference.js';
import type { NumberArray } from '../selection/types.js';
import { cellCount, type BinnedCounts, type ModelCounts } from './types.js';

/** The model's two axes: x = correctedS1Area_phd, y = log10(correctedS2Area_phd). */
export interface ModelAxes {
  readonly x: AxisSpec;
  readonly y: AxisSpec;
}

/** The binning a selection asks for (the one place the axes are taken from). */
export function modelAxes(selection: Selection): ModelAxes {
  return { x: selection.model.cs1Bins, y: selection.model.log10Cs2Bins };
}

/** Edges 0..count: edge k = low + k * width, width = (high - low) / count, in float64; the last is `high` itself (v >= high is overflow). */
export function axisEdges(a: AxisSpec): Float64Array {
  const edges = new Float64Array(a.count + 1);
  const width = (a.high - a.low) / a.count;
  for (let k = 0; k < a.count; k++) edges[k] = a.low + k * width;
  edges[a.count] = a.high;
  return edges;
}

/** A bin index computed once per axis: the edges and the scale of the first guess. */
export interface AxisBinner {
  readonly axis: AxisSpec;
  readonly edges: Float64Array;
  readonly scale: number;
}

export function axisBinner(axis: AxisSpec): AxisBinner {
  return { axis, edges: axisEdges(axis), scale: axis.count / (axis.high - axis.low) };
}

/**
 * ROOT's bin of `v`: 0 underflow (v < low, -Infinity included), 1..count, count + 1
 * overflow (v >= high, +Infinity included); -1 for NaN (no bin).
 */
export function binOf(v: number, b: AxisBinner): number {
  const { edges } = b;
  const count = b.axis.count;
  if (!(v >= edges[0]!)) return v !== v ? -1 : 0;
  if (v >= edges[count]!) return count + 1;
  // A first guess by arithmetic, then corrected against the exact edges (the guess can be
  // one off next to an edge): afterwards edges[k] <= v < edges[k + 1].
  let k = Math.floor((v - edges[0]!) * b.scale);
  if (k < 0) k = 0;
  else if (k > count - 1) k = count - 1;
  while (k > 0 && v < edges[k]!) k--;
  while (k < count - 1 && v >= edges[k + 1]!) k++;
  return k + 1;
}

function emptyBinned(x: AxisSpec, y: AxisSpec): BinnedCounts {
  return { cells: new Float64Array(cellCount(x, y)), nan: 0 };
}

export function emptyModel(axes: ModelAxes): ModelCounts {
  return { x: axes.x, y: axes.y, ss: emptyBinned(axes.x, axes.y), mssi: emptyBinned(axes.x, axes.y) };
}

const sameAxis = (a: AxisSpec, b: AxisSpec) => a.count === b.count && a.low === b.low && a.high === b.high;

export class ModelAxesMismatchError extends Error {
  constructor(what: string, a: ModelCounts, b: ModelCounts) {
    const show = (m: ModelCounts) => `x ${m.x.count} [${m.x.low}, ${m.x.high}), y ${m.y.count} [${m.y.low}, ${m.y.high})`;
    super(`${what}: model counts of different binnings cannot be added (${show(a)} and ${show(b)})`);
    this.name = 'ModelAxesMismatchError';
  }
}

/** Adds `more` into `into` (the same axes: ranges of one file, files of one source). */
export function addModel(into: ModelCounts, more: ModelCounts, what = 'model'): ModelCounts {
  if (!sameAxis(into.x, more.x) || !sameAxis(into.y, more.y)) throw new ModelAxesMismatchError(what, into, more);
  for (const [a, b] of [
    [into.ss, more.ss],
    [into.mssi, more.mssi],
  ] as const) {
    const cells = a.cells;
    const add = b.cells;
    for (let i = 0; i < cells.length; i++) cells[i]! += add[i]!;
    a.nan += b.nan;
  }
  return into;
}

/** A copy (the caller may add into it). */
export function copyModel(m: ModelCounts): ModelCounts {
  return {
    x: m.x,
    y: m.y,
    ss: { cells: m.ss.cells.slice(), nan: m.ss.nan },
    mssi: { cells: m.mssi.cells.slice(), nan: m.mssi.nan },
  };
}

const FV_ROI = FV | ROI;

/** Bins events into a model; one per task (the edges are computed once). */
export class ModelBinner {
  private readonly bx: AxisBinner;
  private readonly by: AxisBinner;
  private readonly stride: number;

  constructor(readonly model: ModelCounts) {
    this.bx = axisBinner(model.x);
    this.by = axisBinner(model.y);
    this.stride = model.x.count + 2;
  }

  /**
   * Adds events [0, n): each with FV and ROI in `bits` to `ss` at (s1c, log10 s2c), and
   * to `mssi` too when it also has MSSI. Only those events take a log10.
   */
  add(bits: Uint8Array, s1c: NumberArray, s2c: NumberArray, n: number): void {
    const { ss, mssi } = this.model;
    for (let i = 0; i < n; i++) {
      const b = bits[i]!;
      if ((b & FV_ROI) !== FV_ROI) continue;
      const ix = binOf(s1c[i]!, this.bx);
      const iy = binOf(Math.log10(s2c[i]!), this.by);
      const isMssi = (b & MSSI) !== 0;
      if (ix < 0 || iy < 0) {
        ss.nan++;
        if (isMssi) mssi.nan++;
        continue;
      }
      const cell = ix + this.stride * iy;
      ss.cells[cell]!++;
      if (isMssi) mssi.cells[cell]!++;
    }
  }
}

/** Events filled (flow cells included, NaN excluded). */
export function filledEntries(b: BinnedCounts): number {
  let sum = 0;
  for (let i = 0; i < b.cells.length; i++) sum += b.cells[i]!;
  return sum;
}
