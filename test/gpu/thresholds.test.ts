// The float32 constants of the kernel against the float64 reference itself
// (decideEvent), on every float32 within ±2^16 ulps of each boundary. No GPU needed.

import { describe, expect, it } from 'vitest';
import { WALL_MARGIN_CM, wallRadius } from '../../src/selection/cuts.js';
import { decideEvent, FV, ROI } from '../../src/selection/reference.js';
import type { EventColumns } from '../../src/selection/types.js';
import { Rng } from '../../src/gpu/boundaryEvents.js';
import {
  DRIFT_NS,
  FV_MARGIN_CM,
  keyOf,
  NS_TO_US_F32,
  passesKeys,
  S1C,
  S2C,
  S2_RAW,
  valueOfKey,
  WALL_BOUNDARY_MIN,
  WALL_POLY_F32,
  XY_ABS_LIMIT,
  type KeyInterval,
} from '../../src/gpu/thresholds.js';

const ULPS = 1 << 16;
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 1, -1, 3.4e38, -3.4e38];

type Scalar = 'driftTime_ns' | 's2Area_phd' | 'correctedS1Area_phd' | 'correctedS2Area_phd';

/** Events that pass every cut but `column`, which takes `values`. */
function eventsVarying(column: Scalar, values: Float32Array): EventColumns {
  const n = values.length;
  const fill = (v: number) => new Float32Array(n).fill(v);
  const offsets = new Int32Array(n + 1);
  const cols: Record<Scalar, Float32Array> = {
    driftTime_ns: fill(500_000),
    s2Area_phd: fill(1000),
    correctedS1Area_phd: fill(100),
    correctedS2Area_phd: fill(1000),
  };
  cols[column] = values;
  return {
    entries: n,
    x_cm: fill(0),
    y_cm: fill(0),
    ...cols,
    nRQMCTruthVertices: new Int32Array(n),
    vertexSkipped: { offsets, values: new Uint8Array(0) },
    detectedS1Photons: { offsets, values: new Float32Array(0) },
    detectedS2Photons: { offsets, values: new Float32Array(0) },
  };
}

function aroundBoundaries(cut: KeyInterval): Float32Array {
  const out: number[] = [...SPECIALS];
  for (const k of [cut.lo, cut.hi]) {
    for (let d = -ULPS; d <= ULPS; d++) out.push(valueOfKey(k + d));
  }
  return Float32Array.from(out);
}

const CASES: [string, Scalar, KeyInterval, number][] = [
  ['drift time', 'driftTime_ns', DRIFT_NS, FV],
  ['corrected S1', 'correctedS1Area_phd', S1C, ROI],
  ['log10 corrected S2', 'correctedS2Area_phd', S2C, ROI],
  ['raw S2', 's2Area_phd', S2_RAW, ROI],
];

describe('float32 cut constants', () => {
  it('are the right float32 neighbours of the thresholds', () => {
    expect(valueOfKey(S2C.hi)).toBe(31622.77734375);
    expect(valueOfKey(DRIFT_NS.lo)).toBe(71000);
    expect(valueOfKey(S2_RAW.lo)).toBe(645.25);
    expect(keyOf(-0)).toBe(-1);
    expect(keyOf(0)).toBe(0);
  });

  for (const [name, column, cut, bit] of CASES) {
    it(`${name}: key interval == float64 reference on every float32 within ±2^16 ulps`, () => {
      const values = aroundBoundaries(cut);
      const c = eventsVarying(column, values);
      let mismatches = 0;
      for (let i = 0; i < values.length; i++) {
        const ref = (decideEvent(c, i) & bit) !== 0;
        if (ref !== passesKeys(cut, values[i]!)) mismatches++;
      }
      expect(mismatches).toBe(0);
    });
  }
});

describe('fiducial wall margin', () => {
  it('is small and the boundary positive (Sterbenz argument)', () => {
    expect(FV_MARGIN_CM).toBeGreaterThan(0);
    expect(FV_MARGIN_CM).toBeLessThan(0.01);
    expect(WALL_BOUNDARY_MIN).toBeGreaterThan(2 * FV_MARGIN_CM);
    expect(XY_ABS_LIMIT).toBeGreaterThan(1000);
  });

  it('decides like float64 whenever the float32 distance exceeds it (emulated float32, 2M events at the wall)', () => {
    // Math.fround after each operation is exactly IEEE float32 arithmetic (double
    // rounding is harmless for + - * sqrt of float32 operands); this checks the
    // proof's arithmetic, the GPU tests check the device.
    const f = Math.fround;
    const [c0, c1, c2, c3, c4, c5] = WALL_POLY_F32 as [number, number, number, number, number, number];
    const rng = new Rng(7);
    let decided = 0;
    let wrong = 0;
    for (let i = 0; i < 2_000_000; i++) {
      const d = f(rng.range(71_000, 1_030_000));
      const t64 = d / 1000;
      const b64 = wallRadius(t64) - WALL_MARGIN_CM;
      const r = b64 + (rng.next() < 0.5 ? -1 : 1) * 10 ** rng.range(-7, -1);
      const phi = rng.range(0, 2 * Math.PI);
      const x = f(r * Math.cos(phi));
      const y = f(r * Math.sin(phi));
      const ref = Math.sqrt(x * x + y * y) < b64;
      const t = f(d * NS_TO_US_F32);
      const p = f(f(f(f(f(f(f(f(f(c0 * t) + c1) * t) + c2) * t) + c3) * t) + c4) * t) + c5;
      const r32 = f(Math.sqrt(f(f(x * x) + f(y * y))));
      const diff = f(r32 - f(f(p) - 3));
      if (Math.abs(diff) > FV_MARGIN_CM) {
        decided++;
        if (diff < 0 !== ref) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(decided).toBeGreaterThan(100_000);
  });
});
