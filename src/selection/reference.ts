// The float64 reference selection of SELECTION.md: one pass over TypedArrays.
// Every other backend is checked against this function, event for event.

import { compileSelection, type CompiledSelection } from './compiled.js';
import { DEFAULT_SELECTION, type Selection } from './definition.js';
import type { EventColumns, JaggedColumn, SelectionCounts } from './types.js';

/** An event whose vertex count exceeds a per-vertex vector it indexes. */
export class VertexCountError extends Error {
  constructor(
    readonly entry: number,
    readonly vertexCount: number,
    readonly column: string,
    readonly length: number,
  ) {
    super(
      `entry ${entry}: nRQMCTruthVertices is ${vertexCount} but ${column} has only ${length} element(s)`,
    );
    this.name = 'VertexCountError';
  }
}

/** Math.log10(s2c) < the selection's log10_cs2_max, for every float64 s2c (compiled.ts has the bounds). */
export function log10Below(s2c: number, cs: CompiledSelection = compileSelection(DEFAULT_SELECTION)): boolean {
  if (s2c >= 0 && s2c < cs.s2cSurelyBelow) return true;
  if (s2c > cs.s2cSurelyAbove) return false;
  return Math.log10(s2c) < cs.log10S2cMax;
}

/** Per-event decisions, for callers that need them event by event (tests, the GPU's fallback, the model). */
export const FV = 1;
export const ROI = 2;
export const MSSI = 4;

/** 1 when the event is in the fiducial volume, else 0 (all of SELECTION.md's FV, in float64). */
function fiducial(x: number, y: number, driftNs: number, cs: CompiledSelection): number {
  const r = Math.sqrt(x * x + y * y);
  const t = driftNs / 1000;
  // Horner from acc = 0, as wallRadius(): leading zero coefficients change nothing
  // (0 * t + 0 is 0, or NaN for t NaN or infinite, as 0 * t + c is).
  const poly = cs.wallPoly;
  let acc = 0;
  for (let j = 0; j < poly.length; j++) acc = acc * t + poly[j]!;
  const boundary = acc - cs.wallStandoffCm;
  // & of 0/1 values rather than &&: the same result, without unpredictable branches
  return +(r < boundary) & +(cs.driftMinUs < t) & +(t < cs.driftMaxUs);
}

/** 1 when the event is in the region of interest, else 0 (regardless of FV). */
function regionOfInterest(s1c: number, s2c: number, s2: number, cs: CompiledSelection): number {
  return +(cs.s1cMin < s1c && s1c < cs.s1cMax && log10Below(s2c, cs) && s2 > cs.s2RawMin);
}

/** Decision bits (FV | ROI | MSSI) of event i; ROI is set regardless of FV. */
export function decideEvent(c: EventColumns, i: number, selection: Selection = DEFAULT_SELECTION): number {
  const cs = compileSelection(selection);
  const fv = fiducial(c.x_cm[i]!, c.y_cm[i]!, c.driftTime_ns[i]!, cs);
  const roi = regionOfInterest(c.correctedS1Area_phd[i]!, c.correctedS2Area_phd[i]!, c.s2Area_phd[i]!, cs);
  const mssi = isMultiScatterSingleIonisation(c, i) ? MSSI : 0;
  return (fv ? FV : 0) | (roi ? ROI : 0) | mssi;
}

function checkedStart(col: JaggedColumn, name: string, i: number, n: number): number {
  const start = col.offsets[i]!;
  const length = col.offsets[i + 1]! - start;
  if (n > length) throw new VertexCountError(i, n, name, length);
  return start;
}

/** nS1 > nS2 over the event's vertices that are not in a skin or scintillator volume. */
export function isMultiScatterSingleIonisation(c: EventColumns, i: number): boolean {
  // A count that is NaN or negative loops zero times, like Python's range().
  const n = Math.max(0, Math.trunc(c.nRQMCTruthVertices[i]!) || 0);
  if (n === 0) return false;
  const skipAt = checkedStart(c.vertexSkipped, 'mcTruthVertices.volumeName', i, n);
  const s1At = checkedStart(c.detectedS1Photons, 'mcTruthVertices.detectedS1Photons', i, n);
  const s2At = checkedStart(c.detectedS2Photons, 'mcTruthVertices.detectedS2Photons', i, n);
  const skipped = c.vertexSkipped.values;
  const s1 = c.detectedS1Photons.values;
  const s2 = c.detectedS2Photons.values;
  let nS1 = 0;
  let nS2 = 0;
  // Branch-free counting: vertex flags are unpredictable, and mispredictions
  // cost more than the arithmetic.
  for (let j = 0; j < n; j++) {
    const keep = skipped[skipAt + j] === 0 ? 1 : 0;
    nS1 += keep & +(s1[s1At + j]! > 0);
    nS2 += keep & +(s2[s2At + j]! > 0);
  }
  return nS1 > nS2;
}

/** Adds one event's decision bits to the counts (nSS excepted: the caller counts events). */
export function countDecision(into: SelectionCounts, bits: number): void {
  const fv = (bits & FV) !== 0;
  const fvRoi = fv && (bits & ROI) !== 0;
  if (fv) into.nSSFV++;
  if (fvRoi) into.nSSFVROI++;
  if ((bits & MSSI) !== 0) {
    into.nMSSI++;
    if (fv) into.nMSSIFV++;
    if (fvRoi) into.nMSSIFVROI++;
  }
}

/**
 * The six counts over events [start, stop) of `c` (default: all) under `selection`
 * (default: the notebook's). With `bitsOut`, also each event's decision bits:
 * bitsOut[i - start] = FV | ROI | MSSI (ROI regardless of FV).
 */
export function selectReference(
  c: EventColumns,
  start = 0,
  stop = c.entries,
  selection: Selection = DEFAULT_SELECTION,
  bitsOut?: Uint8Array,
): SelectionCounts {
  const cs = compileSelection(selection);
  const { x_cm, y_cm, driftTime_ns, correctedS1Area_phd, correctedS2Area_phd, s2Area_phd } = c;
  if (bitsOut && bitsOut.length < stop - start) throw new RangeError(`bitsOut holds ${bitsOut.length} events, not ${stop - start}`);
  let fv = 0;
  let fvRoi = 0;
  let mssi = 0;
  let mssiFv = 0;
  let mssiFvRoi = 0;
  for (let i = start; i < stop; i++) {
    const f = fiducial(x_cm[i]!, y_cm[i]!, driftTime_ns[i]!, cs);
    const roi = regionOfInterest(correctedS1Area_phd[i]!, correctedS2Area_phd[i]!, s2Area_phd[i]!, cs);
    const fr = f & roi;
    const m = +isMultiScatterSingleIonisation(c, i);
    if (bitsOut) bitsOut[i - start] = f | (roi << 1) | (m << 2);
    fv += f;
    fvRoi += fr;
    mssi += m;
    mssiFv += m & f;
    mssiFvRoi += m & fr;
  }
  return { nSS: stop - start, nSSFV: fv, nSSFVROI: fvRoi, nMSSI: mssi, nMSSIFV: mssiFv, nMSSIFVROI: mssiFvRoi };
}
