// A Selection's numbers as the per-event code reads them, worked out once per
// selection: the wall polynomial as a Float64Array, and the bounds around
// 10^log10_cs2_max that let the ROI cut skip most log10 calls.

import type { Selection } from './definition.js';

export interface CompiledSelection {
  readonly selection: Selection;
  /** P(t)'s coefficients, highest power first, as given. */
  readonly wallPoly: Float64Array;
  readonly wallStandoffCm: number;
  readonly driftMinUs: number;
  readonly driftMaxUs: number;
  readonly s1cMin: number;
  readonly s1cMax: number;
  readonly log10S2cMax: number;
  /** S2c in [0, this) has log10(S2c) < log10S2cMax for sure. */
  readonly s2cSurelyBelow: number;
  /** S2c above this has log10(S2c) >= log10S2cMax for sure. */
  readonly s2cSurelyAbove: number;
  readonly s2RawMin: number;
  readonly skipVolumeSubstrings: readonly string[];
}

/** Wall radius P(t) at drift time t (µs), by Horner's rule in float64: acc = 0; acc = acc * t + c. */
export function wallRadius(poly: ArrayLike<number>, driftUs: number): number {
  let acc = 0;
  for (let j = 0; j < poly.length; j++) acc = acc * driftUs + poly[j]!;
  return acc;
}

/** Whether a vertex in this volume is skipped by the MSSI vertex count. */
export function isSkippedVolume(volumeName: string, substrings: readonly string[]): boolean {
  return substrings.some((s) => volumeName.includes(s));
}

const compiled = new WeakMap<Selection, CompiledSelection>();

/** The selection's thresholds (computed once per Selection object). */
export function compileSelection(s: Selection): CompiledSelection {
  let c = compiled.get(s);
  if (c) return c;
  // log10(S2c) < L without calling log10 (about 20 ns) when S2c is far from 10^L:
  // Math.log10 is within an ulp (~1e-15) of the true value, 10^L (|L| <= 300, a normal
  // float64) within an ulp of its own, and log10 of these bounds is ~9e-7 away from L.
  // Only S2c in between, NaN and negative values take Math.log10 (NaN and negative give
  // NaN: false; 0 gives -inf: true).
  const atCut = 10 ** s.roi.log10Cs2Max;
  c = Object.freeze({
    selection: s,
    wallPoly: Float64Array.from(s.fv.wallPoly),
    wallStandoffCm: s.fv.wallStandoffCm,
    driftMinUs: s.fv.driftUs[0],
    driftMaxUs: s.fv.driftUs[1],
    s1cMin: s.roi.cs1Phd[0],
    s1cMax: s.roi.cs1Phd[1],
    log10S2cMax: s.roi.log10Cs2Max,
    s2cSurelyBelow: atCut * (1 - 2e-6),
    s2cSurelyAbove: atCut * (1 + 2e-6),
    s2RawMin: s.roi.s2RawMinPhd,
    skipVolumeSubstrings: Object.freeze([...s.vertices.skipVolumeSubstrings]),
  });
  compiled.set(s, c);
  return c;
}
