// The float64 side of the GPU backend: the selection of SELECTION.md for any
// Selection (the reference's operations in the reference's order: Horner from 0,
// t = ns / 1000, Math.log10), and the model's binning, for the events the kernel
// hands back (near a cut, near a bin edge, not float32) and the chunks it cannot
// take. Simple on purpose: it is what the kernel's answers are held to.

import { axisBinner, binOf as binOfBinner, type AxisBinner } from '../model/bin.js';
import { isMultiScatterSingleIonisation, FV, MSSI, ROI } from '../selection/reference.js';
import type { AxisSpec, Selection } from '../selection/definition.js';
import type { ModelCounts } from '../model/types.js';
import { cellCount } from '../model/types.js';
import type { EventColumns, SelectionCounts } from '../selection/types.js';

// The edges and the bin of a value are the model's own (src/model/bin.ts: edge k =
// low + k * ((high - low) / count), the last one high), so that the GPU bins by the
// very edges the CPU path and the written histograms use.

const binners = new WeakMap<AxisSpec, AxisBinner>();
function binnerOf(axis: AxisSpec): AxisBinner {
  let b = binners.get(axis);
  if (!b) binners.set(axis, (b = axisBinner(axis)));
  return b;
}

/** Edge k (0..count) of an axis, as the model computes it. */
export function axisEdge(axis: AxisSpec, k: number): number {
  return binnerOf(axis).edges[k]!;
}

/** ROOT's bin number of v (0 underflow, count + 1 overflow, -1 for NaN), as the model bins. */
export function binOf(axis: AxisSpec, v: number): number {
  return binOfBinner(v, binnerOf(axis));
}


/** An empty model for a selection's binning. */
export function zeroModel(sel: Selection): ModelCounts {
  const x = sel.model.cs1Bins;
  const y = sel.model.log10Cs2Bins;
  return { x, y, ss: { cells: new Float64Array(cellCount(x, y)), nan: 0 }, mssi: { cells: new Float64Array(cellCount(x, y)), nan: 0 } };
}

/** Adds one SS FV ROI event (and MSSI FV ROI when `mssi`) at (cS1, cS2) to the model. */
export function binEvent(model: ModelCounts, s1c: number, s2c: number, mssi: boolean): void {
  const ix = binOf(model.x, s1c);
  const iy = binOf(model.y, Math.log10(s2c));
  if (ix < 0 || iy < 0) {
    model.ss.nan++;
    if (mssi) model.mssi.nan++;
    return;
  }
  const cell = ix + (model.x.count + 2) * iy;
  model.ss.cells[cell]!++;
  if (mssi) model.mssi.cells[cell]!++;
}

/** Adds `more` into `into` (same binning). */
export function addModel(into: ModelCounts, more: ModelCounts): void {
  for (const h of ['ss', 'mssi'] as const) {
    const a = into[h].cells;
    const b = more[h].cells;
    for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
    into[h].nan += more[h].nan;
  }
}

/** Decision bits (FV | ROI | MSSI) of event i under `sel`, in float64; ROI regardless of FV. */
export function decideEvent64(c: EventColumns, i: number, sel: Selection): number {
  const x = c.x_cm[i]!;
  const y = c.y_cm[i]!;
  const r = Math.sqrt(x * x + y * y);
  const t = c.driftTime_ns[i]! / 1000;
  let acc = 0;
  for (const k of sel.fv.wallPoly) acc = acc * t + k;
  const [dLo, dHi] = sel.fv.driftUs;
  const fv = r < acc - sel.fv.wallStandoffCm && dLo < t && t < dHi;
  const s1c = c.correctedS1Area_phd[i]!;
  const [sLo, sHi] = sel.roi.cs1Phd;
  const roi = sLo < s1c && s1c < sHi && Math.log10(c.correctedS2Area_phd[i]!) < sel.roi.log10Cs2Max && c.s2Area_phd[i]! > sel.roi.s2RawMinPhd;
  return (fv ? FV : 0) | (roi ? ROI : 0) | (isMultiScatterSingleIonisation(c, i) ? MSSI : 0);
}

/** Counts (nSS excepted: the caller counts events) and model of event i, decided and binned in float64. */
export function addEvent64(c: EventColumns, i: number, sel: Selection, counts: SelectionCounts, model: ModelCounts): void {
  const bits = decideEvent64(c, i, sel);
  const fv = (bits & FV) !== 0;
  const fvRoi = fv && (bits & ROI) !== 0;
  const mssi = (bits & MSSI) !== 0;
  if (fv) counts.nSSFV++;
  if (fvRoi) counts.nSSFVROI++;
  if (mssi) {
    counts.nMSSI++;
    if (fv) counts.nMSSIFV++;
    if (fvRoi) counts.nMSSIFVROI++;
  }
  if (fvRoi) binEvent(model, c.correctedS1Area_phd[i]!, c.correctedS2Area_phd[i]!, mssi);
}

/** Events [start, stop) in float64 (nSS included). */
export function select64(c: EventColumns, sel: Selection, start: number, stop: number, counts: SelectionCounts, model: ModelCounts): void {
  counts.nSS += stop - start;
  for (let i = start; i < stop; i++) addEvent64(c, i, sel, counts, model);
}
