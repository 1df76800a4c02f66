// The float64 reference selection of SELECTION.md: one pass over TypedArrays.
// Every other backend is checked against this function, event for event.

import {
  DRIFT_MAX_US,
  DRIFT_MIN_US,
  LOG10_S2C_MAX,
  S1C_MAX_PHD,
  S1C_MIN_PHD,
  S2_RAW_MIN_PHD,
  WALL_MARGIN_CM,
  WALL_POLY,
} from './cuts.js';
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

// Unrolled Horner of WALL_POLY: identical operations in identical order to wallRadius().
const [C0, C1, C2, C3, C4, C5] = WALL_POLY as [number, number, number, number, number, number];

// log10(S2c) < LOG10_S2C_MAX without calling log10 (about 20 ns) when S2c is far
// from 10^LOG10_S2C_MAX (31622.7766... for 4.5): Math.log10 is within an ulp (~1e-15)
// of the true value, and log10 of these bounds is ~9e-7 away from the cut. Only S2c
// in between, NaN and negative values take Math.log10 (NaN and negative give NaN:
// false; 0 gives -inf: true).
const S2C_AT_CUT = 10 ** LOG10_S2C_MAX;
export const S2C_SURELY_BELOW = S2C_AT_CUT * (1 - 2e-6);
export const S2C_SURELY_ABOVE = S2C_AT_CUT * (1 + 2e-6);

/** Math.log10(s2c) < LOG10_S2C_MAX, for every float64 s2c. */
export function log10Below(s2c: number): boolean {
  if (s2c >= 0 && s2c < S2C_SURELY_BELOW) return true;
  if (s2c > S2C_SURELY_ABOVE) return false;
  return Math.log10(s2c) < LOG10_S2C_MAX;
}

/** Per-event decisions, for callers that need them event by event (tests, the GPU's fallback). */
export const FV = 1;
export const ROI = 2;
export const MSSI = 4;

/** 1 when the event is in the fiducial volume, else 0 (all of SELECTION.md's FV, in float64). */
function fiducial(x: number, y: number, driftNs: number): number {
  const r = Math.sqrt(x * x + y * y);
  const t = driftNs / 1000;
  const boundary = (((((0 * t + C0) * t + C1) * t + C2) * t + C3) * t + C4) * t + C5 - WALL_MARGIN_CM;
  // & of 0/1 values rather than &&: the same result, without unpredictable branches
  return +(r < boundary) & +(DRIFT_MIN_US < t) & +(t < DRIFT_MAX_US);
}

/** 1 when the event is in the region of interest, else 0 (regardless of FV). */
function regionOfInterest(s1c: number, s2c: number, s2: number): number {
  return +(S1C_MIN_PHD < s1c && s1c < S1C_MAX_PHD && log10Below(s2c) && s2 > S2_RAW_MIN_PHD);
}

/** Decision bits (FV | ROI | MSSI) of event i; ROI is set regardless of FV. */
export function decideEvent(c: EventColumns, i: number): number {
  const fv = fiducial(c.x_cm[i]!, c.y_cm[i]!, c.driftTime_ns[i]!);
  const roi = regionOfInterest(c.correctedS1Area_phd[i]!, c.correctedS2Area_phd[i]!, c.s2Area_phd[i]!);
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

/** The six counts over events [start, stop) of `c` (default: all). */
export function selectReference(c: EventColumns, start = 0, stop = c.entries): SelectionCounts {
  const { x_cm, y_cm, driftTime_ns, correctedS1Area_phd, correctedS2Area_phd, s2Area_phd } = c;
  let fv = 0;
  let fvRoi = 0;
  let mssi = 0;
  let mssiFv = 0;
  let mssiFvRoi = 0;
  for (let i = start; i < stop; i++) {
    const f = fiducial(x_cm[i]!, y_cm[i]!, driftTime_ns[i]!);
    const fr = f & regionOfInterest(correctedS1Area_phd[i]!, correctedS2Area_phd[i]!, s2Area_phd[i]!);
    const m = +isMultiScatterSingleIonisation(c, i);
    fv += f;
    fvRoi += fr;
    mssi += m;
    mssiFv += m & f;
    mssiFvRoi += m & fr;
  }
  return { nSS: stop - start, nSSFV: fv, nSSFVROI: fvRoi, nMSSI: mssi, nMSSIFV: mssiFv, nMSSIFVROI: mssiFvRoi };
}
