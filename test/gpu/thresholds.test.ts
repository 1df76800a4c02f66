// The float32 thresholds the kernel gets, for the default selection and random
// ones, against the float64 reference itself on every float32 within many ulps of
// each boundary and bin edge; the wall margin's proof against emulated float32
// arithmetic. No GPU needed.

import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION, type AxisSpec, type Selection } from '../../src/selection/definition.js';
import { decideEvent, FV, ROI } from '../../src/selection/reference.js';
import type { EventColumns } from '../../src/selection/types.js';
import { Rng } from '../../src/gpu/boundaryEvents.js';
import { binOf, decideEvent64 } from '../../src/gpu/float64.js';
import {
  cutsUniform,
  deriveWall,
  DRIFT_NS,
  FV_MARGIN_CM,
  keyOf,
  MAX_WALL_COEFFICIENTS,
  passesKeys,
  S1C,
  S2C,
  S2_RAW,
  thresholdsFor,
  valueOfKey,
  XY_ABS_LIMIT,
  type AxisKeys,
  type KeyInterval,
  type WallThresholds,
} from '../../src/gpu/thresholds.js';
import { randomSelection, scanBin } from './reference64.js';

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 1, -1, 3.4e38, -3.4e38];

type Scalar = 'driftTime_ns' | 's2Area_phd' | 'correctedS1Area_phd' | 'correctedS2Area_phd';

/** Events that pass every cut of `sel` but `column`, which takes `values`. */
function eventsVarying(column: Scalar, values: Float32Array, sel: Selection): EventColumns {
  const n = values.length;
  const fill = (v: number) => new Float32Array(n).fill(v);
  const offsets = new Int32Array(n + 1);
  const [dLo, dHi] = sel.fv.driftUs;
  const cols: Record<Scalar, Float32Array> = {
    driftTime_ns: fill(((dLo + dHi) / 2) * 1000),
    s2Area_phd: fill(sel.roi.s2RawMinPhd + 1),
    correctedS1Area_phd: fill((sel.roi.cs1Phd[0] + sel.roi.cs1Phd[1]) / 2),
    correctedS2Area_phd: fill(10 ** (sel.roi.log10Cs2Max - 1)),
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

function around(keys: readonly number[], ulps: number): Float32Array {
  const out: number[] = [...SPECIALS];
  for (const k of keys) for (let d = -ulps; d <= ulps; d++) out.push(valueOfKey(k + d));
  return Float32Array.from(out);
}

function cases(t: ReturnType<typeof thresholdsFor>): [string, Scalar, KeyInterval, number][] {
  return [
    ['drift time', 'driftTime_ns', t.driftNs, FV],
    ['corrected S1', 'correctedS1Area_phd', t.s1c, ROI],
    ['log10 corrected S2', 'correctedS2Area_phd', t.s2c, ROI],
    ['raw S2', 's2Area_phd', t.s2Raw, ROI],
  ];
}

function mismatches(sel: Selection, decide: (c: EventColumns, i: number) => number, ulps: number): string[] {
  const out: string[] = [];
  for (const [name, column, cut, bit] of cases(thresholdsFor(sel))) {
    const values = around([cut.lo, cut.hi], ulps);
    const c = eventsVarying(column, values, sel);
    for (let i = 0; i < values.length; i++) {
      if (((decide(c, i) & bit) !== 0) !== passesKeys(cut, values[i]!)) out.push(`${name} at ${values[i]}`);
    }
  }
  return out;
}

describe('float32 cut constants', () => {
  it('are the right float32 neighbours of the default thresholds', () => {
    expect(valueOfKey(S2C.hi)).toBe(31622.77734375);
    expect(valueOfKey(DRIFT_NS.lo)).toBe(71000);
    expect(valueOfKey(S2_RAW.lo)).toBe(645.25);
    expect(valueOfKey(S1C.hi)).toBe(600);
    expect(keyOf(-0)).toBe(-1);
    expect(keyOf(0)).toBe(0);
  });

  it('default selection: key intervals == the CPU reference on every float32 within ±2^16 ulps', () => {
    expect(mismatches(DEFAULT_SELECTION, (c, i) => decideEvent(c, i), 1 << 16)).toEqual([]);
  });

  it('the float64 path (float64.ts) decides as the CPU reference on the default selection', () => {
    expect(mismatches(DEFAULT_SELECTION, (c, i) => decideEvent64(c, i, DEFAULT_SELECTION), 1 << 12)).toEqual([]);
  });

  it('random selections: key intervals == float64 on every float32 within ±2^12 ulps', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const sel = randomSelection(seed);
      expect(mismatches(sel, (c, i) => decideEvent64(c, i, sel), 1 << 12), `seed ${seed}`).toEqual([]);
    }
  });

  it('go into the Cuts uniform at the kernel layout', () => {
    const t = thresholdsFor(DEFAULT_SELECTION);
    const buf = cutsUniform(t);
    const i = new Int32Array(buf);
    const f = new Float32Array(buf);
    expect([...i.slice(0, 8)]).toEqual([t.driftNs.lo, t.driftNs.hi, t.s1c.lo, t.s1c.hi, t.s2c.lo, t.s2c.hi, t.s2Raw.lo, t.s2Raw.hi]);
    expect(f[14]).toBe(FV_MARGIN_CM);
    // Six coefficients, right-aligned after 14 padding zeros.
    expect(i[11]).toBe(MAX_WALL_COEFFICIENTS - 6);
    expect([...f.slice(20, 34)].every((v) => v === 0)).toBe(true);
    expect(f[39]).toBe(Math.fround(72.4276394));
    expect(f[12]).toBe(Math.fround(1 / 1000 / 2048)); // v = t / 2048 (2048 >= 1030)
  });
});

/** The kernel's bin of a float32 by edge keys (binOf in mssi.wgsl), -2 near an edge. */
function keyBin(axis: AxisKeys, s: number): number {
  const k = keyOf(s);
  let m = 0;
  while (m <= axis.count && axis.edges[m]! <= k) m++;
  if ((m > 0 && axis.edges[m - 1] === k) || (m <= axis.count && axis.edges[m] === k + 1)) return -2;
  return m;
}

function binMismatches(axis: AxisSpec, keys: AxisKeys, coordinate: (s: number) => number, ulps: number): { wrong: string[]; flagged: number } {
  const wrong: string[] = [];
  let flagged = 0;
  const probe = [...Array.from(keys.edges), keyOf(axis.low - 1), keyOf((axis.low + axis.high) / 2)];
  for (const s of around(probe, ulps)) {
    const v = coordinate(s);
    if (Number.isNaN(v)) continue;
    const device = keyBin(keys, s);
    const host = binOf(axis, v);
    expect(host).toBe(scanBin(axis, v));
    if (device === -2) flagged++;
    else if (device !== host) wrong.push(`${s}: ${device} instead of ${host}`);
  }
  return { wrong, flagged };
}

describe('bin edge keys', () => {
  it('bin every float32 near every edge as float64 does (x = cS1, y = log10 cS2), default and random axes', () => {
    for (let seed = 0; seed <= 25; seed++) {
      const sel = seed === 0 ? DEFAULT_SELECTION : randomSelection(1000 + seed);
      const t = thresholdsFor(sel);
      const x = binMismatches(sel.model.cs1Bins, t.x, (s) => s, 3);
      const y = binMismatches(sel.model.log10Cs2Bins, t.y, Math.log10, 3);
      expect(x.wrong, `seed ${seed} x`).toEqual([]);
      expect(y.wrong, `seed ${seed} y`).toEqual([]);
      // Exactly the value at each edge and the one just below are flagged.
      expect(x.flagged).toBeGreaterThanOrEqual(2 * (sel.model.cs1Bins.count + 1));
    }
  });

  it('edge 0 and edge count are the axis limits: -0 at a zero low edge, log10(0) underflow', () => {
    const t = thresholdsFor(DEFAULT_SELECTION);
    expect(t.x.edges[0]).toBe(keyOf(-0)); // 0 <= -0: -0 is in the first bin
    expect(valueOfKey(t.x.edges[120]!)).toBe(600);
    expect(valueOfKey(t.y.edges[0]!)).toBeGreaterThan(0);
    expect(Math.log10(valueOfKey(t.y.edges[0]! - 1))).toBeLessThan(2.5);
    expect(Math.log10(valueOfKey(t.y.edges[0]!))).toBeGreaterThanOrEqual(2.5);
  });
});

/** The kernel's wall decision in emulated float32 (Math.fround after each operation). */
function wall32(w: WallThresholds, x: number, y: number, d: number): { diff: number; margin: number } {
  const f = Math.fround;
  const t = f(d * w.nsToV32);
  let p = 0;
  for (let k = w.first; k < MAX_WALL_COEFFICIENTS; k++) p = f(f(p * t) + w.poly32[k]!);
  const r32 = f(Math.sqrt(f(f(x * x) + f(y * y))));
  return { diff: f(r32 - f(p - w.standoff32)), margin: w.marginCm };
}

function wallCheck(sel: Selection, events: number, seed: number): { decided: number; wrong: number } {
  const rng = new Rng(seed);
  const [dLo, dHi] = sel.fv.driftUs;
  const w = deriveWall(sel);
  let decided = 0;
  let wrong = 0;
  for (let i = 0; i < events; i++) {
    const d = Math.fround(rng.range(dLo * 1000, dHi * 1000));
    const t64 = d / 1000;
    if (!(dLo < t64 && t64 < dHi)) continue;
    const b64 = sel.fv.wallPoly.reduce((acc, c) => acc * t64 + c, 0) - sel.fv.wallStandoffCm;
    const r = Math.abs(b64 + (rng.next() < 0.5 ? -1 : 1) * 10 ** rng.range(-7, -1));
    const phi = rng.range(0, 2 * Math.PI);
    const x = Math.fround(r * Math.cos(phi));
    const y = Math.fround(r * Math.sin(phi));
    const ref = Math.sqrt(x * x + y * y) < b64;
    const { diff, margin } = wall32(w, x, y, d);
    if (Math.abs(diff) > margin) {
      decided++;
      if (diff < 0 !== ref) wrong++;
    }
  }
  return { decided, wrong };
}

describe('fiducial wall margin', () => {
  it('is small for the default selection', () => {
    expect(FV_MARGIN_CM).toBeGreaterThan(0);
    expect(FV_MARGIN_CM).toBeLessThan(0.01);
    expect(XY_ABS_LIMIT).toBeGreaterThan(1000);
  });

  it('decides like float64 whenever the float32 distance exceeds it (emulated float32, default: 1M events at the wall)', () => {
    // Math.fround after each operation is exactly IEEE float32 arithmetic (double
    // rounding is harmless for + - * sqrt of float32 operands); this checks the
    // proof's arithmetic, the GPU tests check the device.
    const { decided, wrong } = wallCheck(DEFAULT_SELECTION, 1_000_000, 7);
    expect(wrong).toBe(0);
    expect(decided).toBeGreaterThan(50_000);
  });

  it('holds for random polynomials (degree 0-16) and drift ranges', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const sel = randomSelection(seed);
      const w = deriveWall(sel);
      expect(w.onDevice, `seed ${seed}: ${w.why}`).toBe(true);
      const { decided, wrong } = wallCheck(sel, 50_000, seed);
      expect(wrong, `seed ${seed}`).toBe(0);
      expect(decided, `seed ${seed}`).toBeGreaterThan(5_000);
    }
  });

  it('falls back to float64 on the host where no margin can be proved', () => {
    const withPoly = (wallPoly: number[]): Selection => ({ ...DEFAULT_SELECTION, fv: { ...DEFAULT_SELECTION.fv, wallPoly } });
    expect(deriveWall(withPoly(new Array(MAX_WALL_COEFFICIENTS + 1).fill(1e-3))).onDevice).toBe(false);
    expect(deriveWall(withPoly([1e30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).why).toMatch(/too large|beyond float32/);
    expect(deriveWall(withPoly([1e39])).why).toMatch(/beyond float32/);
    expect(deriveWall(withPoly([1e-3, 0, 0, 1])).why).toMatch(/margin|reaches/); // P(1030) ~ 1e6 cm
    expect(deriveWall(withPoly(new Array(MAX_WALL_COEFFICIENTS).fill(0).concat([]).map((_, i) => (i === MAX_WALL_COEFFICIENTS - 1 ? 70 : 0)))).onDevice).toBe(true);
  });
});
