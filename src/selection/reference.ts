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
import { zeroCounts, type EventColumns, type JaggedColumn, type SelectionCounts } from './types.js';

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

/** Per-event decisions, for callers that need them event by event (tests, the GPU's fallback). */
export const FV = 1;
export const ROI = 2;
export const MSSI = 4;

/** Decision bits (FV | ROI | MSSI) of event i; ROI is set regardless of FV. */
export function decideEvent(c: EventColumns, i: number): number {
  const x = c.x_cm[i]!;
  const y = c.y_cm[i]!;
  const r = Math.sqrt(x * x + y * y);
  const t = c.driftTime_ns[i]! / 1000;
  const boundary = (((((0 * t + C0) * t + C1) * t + C2) * t + C3) * t + C4) * t + C5 - WALL_MARGIN_CM;
  let bits = 0;
  if (r < boundary && DRIFT_MIN_US < t && t < DRIFT_MAX_US) bits |= FV;

  const s1c = c.correctedS1Area_phd[i]!;
  if (
    S1C_MIN_PHD < s1c &&
    s1c < S1C_MAX_PHD &&
    Math.log10(c.correctedS2Area_phd[i]!) < LOG10_S2C_MAX &&
    c.s2Area_phd[i]! > S2_RAW_MIN_PHD
  ) {
    bits |= ROI;
  }

  if (isMultiScatterSingleIonisation(c, i)) bits |= MSSI;
  return bits;
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
  for (let j = 0; j < n; j++) {
    if (skipped[skipAt + j] !== 0) continue;
    if (s1[s1At + j]! > 0) nS1++;
    if (s2[s2At + j]! > 0) nS2++;
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
  const counts = zeroCounts();
  counts.nSS = stop - start;
  for (let i = start; i < stop; i++) countDecision(counts, decideEvent(c, i));
  return counts;
}
