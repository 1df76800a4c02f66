// The float32 form of the cuts of SELECTION.md, derived from cuts.ts (never typed
// in twice). The kernel decides a cut in float32 only where that provably gives
// the float64 reference's answer; see FV_MARGIN_CM for the one cut that needs a
// margin, and the key intervals for the ones that are exact.

import {
  DRIFT_MAX_US,
  DRIFT_MIN_US,
  LOG10_S2C_MAX,
  S1C_MAX_PHD,
  S1C_MIN_PHD,
  S2_RAW_MIN_PHD,
  WALL_MARGIN_CM,
  WALL_POLY,
  wallRadius,
} from '../selection/cuts.js';

// ---------------------------------------------------------------------------
// Order keys. A float32's bit pattern, read as an i32 and with the magnitude
// bits flipped for negative numbers, orders exactly like the float (-0 just
// below +0; NaNs beyond ±inf). The kernel compares keys, not floats: integer
// compares are exact on every GPU, whatever it does with subnormals (WGSL lets
// an implementation flush them) or NaN (WGSL lets NaN arithmetic be anything).

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The order key of the float32 nearest to v (v itself when it is a float32). */
export function keyOf(v: number): number {
  f32[0] = v;
  const i = i32[0]!;
  return i < 0 ? i ^ 0x7fffffff : i;
}

/** The float32 whose order key is k. */
export function valueOfKey(k: number): number {
  i32[0] = k < 0 ? k ^ 0x7fffffff : k;
  return f32[0]!;
}

export const KEY_POS_INF = keyOf(Infinity);
export const KEY_NEG_INF = keyOf(-Infinity);

/** A cut on one stored float32 value: it passes iff lo < key(value) < hi. */
export interface KeyInterval {
  readonly lo: number;
  readonly hi: number;
}

const MAX_WALK = 1 << 22;

/** The largest key whose value fails `pass`, for a `pass` that is false below it and true above. */
function lowerKey(pass: (v: number) => boolean, seed: number): number {
  let k = keyOf(seed);
  for (let steps = 0; steps < MAX_WALK; steps++) {
    if (pass(valueOfKey(k))) k--;
    else if (pass(valueOfKey(k + 1))) return k;
    else k++;
  }
  throw new Error(`thresholds: no lower float32 boundary near ${seed}`);
}

/** The smallest key whose value fails `pass`, for a `pass` that is true below it and false above. */
function upperKey(pass: (v: number) => boolean, seed: number): number {
  let k = keyOf(seed);
  for (let steps = 0; steps < MAX_WALK; steps++) {
    if (pass(valueOfKey(k))) k++;
    else if (pass(valueOfKey(k - 1))) return k;
    else k--;
  }
  throw new Error(`thresholds: no upper float32 boundary near ${seed}`);
}

// The reference's own expressions (reference.ts), in float64, on a float32 input.
// Each is monotone in its input, so one boundary found by walking ulps from the
// nominal threshold is the boundary for every float32; test/gpu/thresholds.test.ts
// checks every float32 within ±2^16 ulps of each boundary against decideEvent.
const driftAbove = (ns: number): boolean => DRIFT_MIN_US < ns / 1000;
const driftBelow = (ns: number): boolean => ns / 1000 < DRIFT_MAX_US;
const s2cPasses = (v: number): boolean => Math.log10(v) < LOG10_S2C_MAX;

/** 71 < driftTime_ns/1000 < 1030 (float64), on a float32 driftTime_ns. */
export const DRIFT_NS: KeyInterval = {
  lo: lowerKey(driftAbove, DRIFT_MIN_US * 1000),
  hi: upperKey(driftBelow, DRIFT_MAX_US * 1000),
};
/** 3 < correctedS1Area < 600. */
export const S1C: KeyInterval = {
  lo: lowerKey((v) => S1C_MIN_PHD < v, S1C_MIN_PHD),
  hi: upperKey((v) => v < S1C_MAX_PHD, S1C_MAX_PHD),
};
/** log10(correctedS2Area) < 4.5: true from -0 (log10 = -inf) up to 10^4.5; false for negatives and NaN. */
export const S2C: KeyInterval = {
  lo: lowerKey(s2cPasses, 0),
  hi: upperKey(s2cPasses, 10 ** LOG10_S2C_MAX),
};
/** s2Area > 645.25 (raw S2): up to and including +inf. */
export const S2_RAW: KeyInterval = {
  lo: lowerKey((v) => v > S2_RAW_MIN_PHD, S2_RAW_MIN_PHD),
  hi: upperKey((v) => v > S2_RAW_MIN_PHD, Infinity),
};

/** Whether a float32 value passes a key interval, as the kernel decides it. */
export function passesKeys(cut: KeyInterval, value: number): boolean {
  const k = keyOf(value);
  return cut.lo < k && k < cut.hi;
}

// ---------------------------------------------------------------------------
// The fiducial wall, r < P(t) - 3, which float32 cannot decide exactly.
//
// The kernel computes, in float32 with WGSL's f32 accuracy (+, -, * correctly
// rounded, possibly fused into fma, which only removes roundings; sqrt within
// 1/inverseSqrt's ulp bound, < 5 ulp = 10u), for a drift time inside the cut:
//   t32 = fl(d * k32),  k32 = fl32(1/1000)       |t32 - t| <= (2u + u^2) t <= 3u T
//   b32 = Horner32(c32, t32) - 3                  c32_i = fl32(c_i) = c_i (1 + e_i), |e_i| <= u
//   r32 = sqrt(x*x + y*y)                         |r32 - R| <= 16u R + 2^-60 (2^-60: subnormal flushes of x², y²)
// where u = 2^-24, t = d/1000 and R = sqrt(x² + y²) exactly, and T bounds t.
// The reference computes r64 and b64 the same way in float64 (u64 = 2^-53).
// With p(t) = sum a_k t^k, S = sum |a_k| T^k and D = sum k |a_k| T^(k-1) (bounds
// of |p| and |p'| on [0, T]), Higham's Horner bound (Accuracy and Stability of
// Numerical Algorithms, eq. 5.3: |fl(p(t)) - p(t)| <= gamma_2n sum |a_k| |t|^k,
// n = 5) gives, against the exact B = p(t) - 3:
//   |b32 - B| <= gamma_10 S (1+u) + u S + 3u T D + u (Pmax + 3 + those)   (Horner, coefficients, t32, the "- 3")
//   |b64 - B| <= gamma64_10 S + u64 T D + u64 (Pmax + 4)
// and, since a decision only matters where R < 2 (Pmax + 3) (further out
// R - B > Pmax + 3 dwarfs every error), |r32 - R| <= 16u 2 (Pmax + 3) + 2^-60,
// |r64 - R| <= 2 u64 2 (Pmax + 3). Pmax = max |p| on [DRIFT_MIN_US, T] (a grid
// plus D times half its step). If |r32 - b32| > M = the sum of the four bounds,
// sign(r32 - b32) = sign(R - B) = sign(r64 - b64): the kernel decides. Near the
// wall r32 - b32 is itself exact (Sterbenz: both within a factor 2 of each other,
// as b32 > 0), so the kernel compares |r32 - b32| <= M and flags those events to
// the float64 path. M is doubled as slack for the ulp bounds of the GPU's sqrt.

const U32 = 2 ** -24;
const U64 = 2 ** -53;
const gamma = (n: number, u: number): number => (n * u) / (1 - n * u);

/** WALL_POLY rounded to float32, Horner order. */
export const WALL_POLY_F32: readonly number[] = WALL_POLY.map((c) => Math.fround(c));
/** The float32 factor from ns to µs the kernel multiplies by. */
export const NS_TO_US_F32 = Math.fround(1 / 1000);

/** |x| or |y| at or above this (and non-finite values) puts r outside the wall without arithmetic. */
export const XY_ABS_LIMIT = 2 ** 20;

interface WallBounds {
  readonly margin: number;
  readonly pMax: number;
  readonly boundaryMin: number;
}

function deriveWallBounds(): WallBounds {
  const degree = WALL_POLY.length - 1;
  const tMax = DRIFT_MAX_US * (1 + 4 * U32);
  // a_k, lowest power first.
  const a = [...WALL_POLY].reverse();
  let s = 0;
  let d = 0;
  a.forEach((ak, k) => {
    s += Math.abs(ak) * tMax ** k;
    if (k > 0) d += k * Math.abs(ak) * tMax ** (k - 1);
  });
  const step = 1 / 64;
  let pMax = 0;
  let pMin = Infinity;
  for (let t = DRIFT_MIN_US; t <= tMax + step; t += step) {
    const p = wallRadius(t);
    pMax = Math.max(pMax, Math.abs(p));
    pMin = Math.min(pMin, p);
  }
  pMax += (d * step) / 2;
  const boundaryMin = pMin - (d * step) / 2 - WALL_MARGIN_CM;
  if (!(boundaryMin > 1)) throw new Error('thresholds: the wall boundary is not positive on the drift range');

  const horner32 = gamma(2 * degree, U32) * s * (1 + U32);
  const coef32 = U32 * s;
  const arg32 = 3 * U32 * tMax * d;
  const sub32 = U32 * (pMax + WALL_MARGIN_CM + horner32 + coef32 + arg32);
  const b32 = horner32 + coef32 + arg32 + sub32;
  const b64 = gamma(2 * degree, U64) * s + U64 * tMax * d + U64 * (pMax + WALL_MARGIN_CM + 1);
  const rFar = 2 * (pMax + WALL_MARGIN_CM);
  const r32 = 16 * U32 * rFar + 2 ** -60;
  const r64 = 2 * U64 * rFar;
  if (!(XY_ABS_LIMIT > rFar)) throw new Error('thresholds: XY_ABS_LIMIT is inside the wall');
  return { margin: 2 * (b32 + b64 + r32 + r64), pMax, boundaryMin };
}

const WALL = deriveWallBounds();

/** Smallest float32 >= v. */
function fround32Up(v: number): number {
  const f = Math.fround(v);
  return f >= v ? f : valueOfKey(keyOf(f) + 1);
}

/** The kernel flags an event (float64 decides) when |r32 - b32| <= this (cm, a float32). */
export const FV_MARGIN_CM = fround32Up(WALL.margin);
/** Max |P(t)| on the drift range (for documentation and tests). */
export const WALL_P_MAX = WALL.pMax;
/** Lower bound of the wall boundary P(t) - 3 on the drift range. */
export const WALL_BOUNDARY_MIN = WALL.boundaryMin;

/** Pipeline-overridable constants of kernels/mssi.wgsl, by name. */
export function kernelConstants(): Record<string, number> {
  const [c0, c1, c2, c3, c4, c5] = WALL_POLY_F32 as [number, number, number, number, number, number];
  return {
    DRIFT_LO: DRIFT_NS.lo,
    DRIFT_HI: DRIFT_NS.hi,
    S1C_LO: S1C.lo,
    S1C_HI: S1C.hi,
    S2C_LO: S2C.lo,
    S2C_HI: S2C.hi,
    S2_LO: S2_RAW.lo,
    S2_HI: S2_RAW.hi,
    XY_ABS_LIMIT_KEY: keyOf(XY_ABS_LIMIT),
    C0: c0,
    C1: c1,
    C2: c2,
    C3: c3,
    C4: c4,
    C5: c5,
    WALL_MARGIN: Math.fround(WALL_MARGIN_CM),
    NS_TO_US: NS_TO_US_F32,
    FV_MARGIN: FV_MARGIN_CM,
  };
}
