// Deterministic events drawn densely around every cut of a selection (float32
// neighbours of each threshold and of each bin edge, radii within a hair of the
// wall, NaN/±0/±inf/subnormals, skipped vertices, nS1 == nS2): the self-test's
// known-answer input and the parity tests'.

import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import type { EventColumns } from '../selection/types.js';
import { keyOf, thresholdsFor, valueOfKey, type AxisKeys } from './thresholds.js';

/** xorshift128+-like generator on 32-bit ints: fast, deterministic, good enough for test data. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = seed | 0 || 1;
    this.b = 0x9e3779b9;
    this.c = 0x243f6a88;
    this.d = 0xb7e15162;
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    // sfc32
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

const SPECIALS = [NaN, -NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 2 ** -127, 3.4e38, -3.4e38];

/** A float32 within `spread` ulps of the float32 with key k. */
function nearKey(rng: Rng, k: number, spread: number): number {
  return valueOfKey(k + rng.int(2 * spread + 1) - spread);
}

/** Ulp spreads: mostly a few ulps, sometimes thousands. */
function spread(rng: Rng): number {
  const u = rng.next();
  return u < 0.5 ? 4 : u < 0.8 ? 256 : 1 << 16;
}

function maybeSpecial(rng: Rng, p: number): number | undefined {
  return rng.next() < p ? SPECIALS[rng.int(SPECIALS.length)]! : undefined;
}

export interface BoundaryEventOptions {
  /** Fraction of events placed within a hair of the wall (default 0.1). */
  wallFraction?: number;
  /** Max vertices per event (default 6). */
  maxVertices?: number;
  /** The selection whose cuts and bin edges the events surround (default DEFAULT_SELECTION). */
  selection?: Selection;
}

/** P(t) - standoff in float64, as the reference. */
function wallBoundary(sel: Selection, t: number): number {
  let acc = 0;
  for (const c of sel.fv.wallPoly) acc = acc * t + c;
  return acc - sel.fv.wallStandoffCm;
}

/** A float32 within a few ulps of a random edge of the axis (undefined when the device does not bin). */
function nearEdge(rng: Rng, axis: AxisKeys): number | undefined {
  if (axis.count === 0) return undefined;
  return nearKey(rng, axis.edges[rng.int(axis.edges.length)]!, rng.next() < 0.8 ? 2 : 64);
}

/** `count` float32 events around every cut, reproducibly from `seed`. */
export function boundaryEvents(count: number, seed: number, options: BoundaryEventOptions = {}): EventColumns {
  const rng = new Rng(seed);
  const sel = options.selection ?? DEFAULT_SELECTION;
  const th = thresholdsFor(sel);
  const [dLo, dHi] = sel.fv.driftUs;
  const [s1Lo, s1Hi] = sel.roi.cs1Phd;
  const dSpan = (dHi - dLo) * 100; // ns: 10% of the range either side
  const s1Span = (s1Hi - s1Lo) * 0.1;
  const l2max = sel.roi.log10Cs2Max;
  const l2low = Math.min(sel.model.log10Cs2Bins.low, l2max) - 1.5;
  const s2min = sel.roi.s2RawMinPhd;
  const wallFraction = options.wallFraction ?? 0.1;
  const maxV = options.maxVertices ?? 6;
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const drift = new Float32Array(count);
  const s2 = new Float32Array(count);
  const s1c = new Float32Array(count);
  const s2c = new Float32Array(count);
  const nv = new Int32Array(count);
  const offsets = new Int32Array(count + 1);
  const vS1: number[] = [];
  const vS2: number[] = [];
  const vSkip: number[] = [];

  for (let i = 0; i < count; i++) {
    // Drift time: at either edge of the drift range, or anywhere.
    const u = rng.next();
    drift[i] =
      maybeSpecial(rng, 0.01) ??
      (u < 0.15 ? nearKey(rng, th.driftNs.lo, spread(rng)) : u < 0.3 ? nearKey(rng, th.driftNs.hi, spread(rng)) : rng.range(dLo * 1000 - dSpan, dHi * 1000 + dSpan));
    // Radius: within a hair of the wall at this drift time, or anywhere.
    const t = Math.min(Math.max(Math.fround(drift[i]!) / 1000, dLo), dHi);
    const wall = wallBoundary(sel, Number.isFinite(t) ? t : (dLo + dHi) / 2);
    const w = rng.next();
    // Near the wall: a distance log-uniform in [1e-6, 10] cm (the float64 margin is ~2e-3 cm), either side.
    const r =
      w < wallFraction
        ? wall + (rng.next() < 0.5 ? -1 : 1) * 10 ** rng.range(-6, 1)
        : rng.range(0, 1.3 * Math.abs(wall) + 1);
    const phi = rng.range(0, 2 * Math.PI);
    x[i] = maybeSpecial(rng, 0.005) ?? r * Math.cos(phi);
    y[i] = maybeSpecial(rng, 0.005) ?? r * Math.sin(phi);
    // ROI variables.
    const a = rng.next();
    s1c[i] =
      maybeSpecial(rng, 0.01) ??
      (a < 0.15
        ? nearKey(rng, th.s1c.lo, spread(rng))
        : a < 0.3
          ? nearKey(rng, th.s1c.hi, spread(rng))
          : ((a < 0.35 ? nearEdge(rng, th.x) : undefined) ?? rng.range(s1Lo - s1Span, s1Hi + s1Span)));
    const b = rng.next();
    s2c[i] =
      maybeSpecial(rng, 0.03) ??
      (b < 0.25
        ? nearKey(rng, th.s2c.hi, spread(rng))
        : b < 0.3
          ? nearKey(rng, keyOf(0), 4)
          : ((b < 0.35 ? nearEdge(rng, th.y) : undefined) ?? 10 ** rng.range(l2low, l2max + 1) * (rng.next() < 0.05 ? -1 : 1)));
    const c = rng.next();
    s2[i] = maybeSpecial(rng, 0.01) ?? (c < 0.3 ? nearKey(rng, th.s2Raw.lo, spread(rng)) : rng.range(Math.min(-100, s2min - 100), Math.max(5e4, 10 * s2min)));

    // Vertices: counts that tie, skipped volumes, vectors longer than the count.
    const n = rng.int(maxV + 1);
    const len = n + (rng.next() < 0.1 ? 1 + rng.int(3) : 0);
    nv[i] = n;
    for (let j = 0; j < len; j++) {
      vSkip.push(rng.next() < 0.25 ? 1 : 0);
      vS1.push(photons(rng));
      vS2.push(photons(rng));
    }
    offsets[i + 1] = vS1.length;
  }
  return {
    entries: count,
    x_cm: x,
    y_cm: y,
    driftTime_ns: drift,
    s2Area_phd: s2,
    correctedS1Area_phd: s1c,
    correctedS2Area_phd: s2c,
    nRQMCTruthVertices: nv,
    vertexSkipped: { offsets, values: Uint8Array.from(vSkip) },
    detectedS1Photons: { offsets, values: Float32Array.from(vS1) },
    detectedS2Photons: { offsets, values: Float32Array.from(vS2) },
  };
}

function photons(rng: Rng): number {
  const u = rng.next();
  if (u < 0.45) return 0;
  if (u < 0.9) return 1 + rng.int(50);
  return [-1, -0, NaN, 2 ** -149, -(2 ** -149), Infinity][rng.int(6)]!;
}
