// The float32 form of a Selection's cuts and binning, derived at run time (never
// typed in twice): the kernel decides a cut in float32 only where that provably
// gives the float64 reference's answer. The key intervals and the bin-edge keys
// are exact; the wall cut needs a margin, proved in deriveWall below (and in
// docs/internals.md), or goes to float64 on the host when none can be proved.

import { DEFAULT_SELECTION, type AxisSpec, type Selection } from '../selection/definition.js';
import { axisEdge } from './float64.js';

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

/** A selection whose cuts have no float32 boundary near their value (cannot happen for finite numbers). */
export class ThresholdError extends Error {
  constructor(detail: string) {
    super(`GPU thresholds: ${detail}`);
    this.name = 'ThresholdError';
  }
}

const MAX_WALK = 1 << 22;

/** The largest key whose value fails `pass`, for a `pass` that is false below it and true above. */
function lowerKey(pass: (v: number) => boolean, seed: number, what: string): number {
  let k = keyOf(seed);
  for (let steps = 0; steps < MAX_WALK; steps++) {
    if (pass(valueOfKey(k))) k--;
    else if (pass(valueOfKey(k + 1))) return k;
    else k++;
  }
  throw new ThresholdError(`no lower float32 boundary of ${what} near ${seed}`);
}

/** The smallest key whose value fails `pass`, for a `pass` that is true below it and false above. */
function upperKey(pass: (v: number) => boolean, seed: number, what: string): number {
  let k = keyOf(seed);
  for (let steps = 0; steps < MAX_WALK; steps++) {
    if (pass(valueOfKey(k))) k++;
    else if (pass(valueOfKey(k - 1))) return k;
    else k--;
  }
  throw new ThresholdError(`no upper float32 boundary of ${what} near ${seed}`);
}

/** Whether a float32 value passes a key interval, as the kernel decides it. */
export function passesKeys(cut: KeyInterval, value: number): boolean {
  const k = keyOf(value);
  return cut.lo < k && k < cut.hi;
}

// The reference's own expressions (float64.ts, reference.ts), in float64, on a
// float32 input. Each is monotone in its input (Math.log10 too: see binKeys), so
// the one boundary found by walking ulps from the nominal threshold is the
// boundary for every float32; test/gpu/thresholds.test.ts checks every float32
// within ±2^16 ulps of each boundary, for random selections, against the reference.

function cutKeys(sel: Selection): { driftNs: KeyInterval; s1c: KeyInterval; s2c: KeyInterval; s2Raw: KeyInterval } {
  const [dLo, dHi] = sel.fv.driftUs;
  const [s1Lo, s1Hi] = sel.roi.cs1Phd;
  const l2max = sel.roi.log10Cs2Max;
  const s2min = sel.roi.s2RawMinPhd;
  const s2cPasses = (v: number): boolean => Math.log10(v) < l2max;
  return {
    // dLo < driftTime_ns/1000 < dHi (float64), on a float32 driftTime_ns.
    driftNs: {
      lo: lowerKey((ns) => dLo < ns / 1000, dLo * 1000, 'fv.drift_us'),
      hi: upperKey((ns) => ns / 1000 < dHi, dHi * 1000, 'fv.drift_us'),
    },
    s1c: { lo: lowerKey((v) => s1Lo < v, s1Lo, 'roi.cs1_phd'), hi: upperKey((v) => v < s1Hi, s1Hi, 'roi.cs1_phd') },
    // True from -0 (log10 = -inf) up to 10^max; false for negatives and NaN.
    s2c: { lo: lowerKey(s2cPasses, 0, 'roi.log10_cs2_max'), hi: upperKey(s2cPasses, 10 ** l2max, 'roi.log10_cs2_max') },
    // s2Area > min, up to and including +inf.
    s2Raw: { lo: lowerKey((v) => v > s2min, s2min, 'roi.s2_raw_min_phd'), hi: upperKey((v) => v > s2min, Infinity, 'roi.s2_raw_min_phd') },
  };
}

// ---------------------------------------------------------------------------
// The binning. The model's axes are x = correctedS1Area_phd and y =
// log10(correctedS2Area_phd) in float64; an event is in bin k when edge_k <= v <
// edge_k+1 (axisEdge). For a stored float32 s, each predicate "edge_k <= v(s)" is
// false below one float32 and true from it on (x: v = s widened, exactly;
// y: v = Math.log10(s), monotone on float32 inputs: neighbouring positive float32s
// differ by a factor of at least 1 + 2^-24, whose log10 (>= 2.5e-8) is millions of
// times Math.log10's error of an ulp or two (<= 2e-14 for |log10 s| <= 46); -0, +0
// give -inf, negatives and NaN give NaN, false for every edge). So
// K_k = the smallest key of a float32 with edge_k <= v(s), and the event's bin
// is decided by integer compares: cell m = #{k : K_k <= key(s)} (0 underflow,
// count + 1 overflow). That is exact; the kernel still hands every event within
// one float32 step of an edge (key == K_k or key + 1 == K_k) to the float64
// re-binning on the host, which then decides it from the float64 definition alone.

/** For each edge k (0..count) of an axis, the smallest key whose value lies at or above it. */
export interface AxisKeys {
  readonly count: number;
  readonly edges: Int32Array;
}

function binKeys(axis: AxisSpec, coordinate: (s: number) => number, seed: (edge: number) => number, what: string): AxisKeys {
  const edges = new Int32Array(axis.count + 1);
  for (let k = 0; k <= axis.count; k++) {
    const e = axisEdge(axis, k);
    edges[k] = lowerKey((s) => e <= coordinate(s), seed(e), what) + 1;
  }
  return { count: axis.count, edges };
}

/** Cells per histogram above which the device does not bin: the host bins every selected event. */
export const MAX_DEVICE_CELLS = 1 << 18;

// ---------------------------------------------------------------------------
// The fiducial wall, r < P(t) - s0 (s0 = wallStandoffCm), which float32 cannot
// decide exactly. P(t) = sum_{k=0..n} a_k t^k (wallPoly, highest power first;
// leading zeros dropped: they leave Horner's accumulator at an exact 0).
//
// The kernel evaluates P in the scaled variable v = t / L, L = 2^m >= T, where T =
// max(|drift low|, |drift high|) (1 + 4u) bounds |t| on the drift range, with the
// coefficients b_k = a_k L^k (so |v| <= 1, and flushed subnormals are not blown up
// by powers of t). In float32 with WGSL's f32 accuracy (+, -, * correctly rounded,
// or flushed to zero below 2^-126, possibly fused into fma, which only removes
// roundings; sqrt within 1/inverseSqrt's ulp bound), for a drift time d that
// passes the drift cut:
//   v32 = fl(d * k32), k32 = fl32(1 / (1000 L))    |v32 - v| <= 3u |v| + eta
//   h32 = Horner32(b32, v32)                       b32_k = fl32(b_k) = b_k (1 + e_k) + eta_k
//   w32 = fl(h32 - fl32(s0))
//   r32 = sqrt(x*x + y*y)                          |r32 - R| <= 16u R + 2^-60
// with u = 2^-24, eta = 2^-126 (a flushed subnormal), v = d / (1000 L) and
// R = sqrt(x² + y²) exactly, V = T / L >= |v|, |v32|. The reference computes r64 and
// w64 in float64 (u64 = 2^-53), Horner in t. With S = sum |b_k| V^k = sum |a_k| T^k
// and D = sum k |b_k| V^(k-1) (bounds of |P| and of |dP/dv| on the range) and
// Higham's Horner bound (Accuracy and Stability of Numerical Algorithms, eq. 5.3:
// |fl(p(v)) - p(v)| <= gamma_2n sum |b_k| |v|^k), against W = P(t) - s0 exactly:
//   |w32 - W| <= gamma_2n (1+u) S           Horner's roundings
//              + u S                        the coefficients' rounding
//              + D (3u V + eta)             v32's error, through P's slope
//              + 3 eta (1+u) sum_k V^k      flushed subnormals (coefficients, products, sums)
//              + u |s0|                     s0's rounding
//              + u (Pmax + |s0| + the above) the subtraction
//   |w64 - W| <= gamma64_2n S + u64 T D_t + u64 (Pmax + |s0| + 1) + 2^-1000,
// D_t = D / L the slope in t, Pmax >= max |P| on the drift range widened by 4u T
// (the max over a grid of 4097 points plus D_t times the step; at most S). Where R >= Rfar =
// 2 (Pmax + |s0|) + 1, both r32 - w32 and r64 - w64 are positive (R exceeds |W| by
// more than Pmax + |s0| + 1, which dwarfs every error once the margin below is
// under 1/2): both say "outside". Below it,
// |r32 - R| <= 16u Rfar + 2^-60 and |r64 - R| <= 2 u64 Rfar. Let M be the sum of the
// four bounds. If |r32 - w32| > M, then |R - W| exceeds the two float64 bounds, so
// sign(r32 - w32) = sign(R - W) = sign(r64 - w64): the kernel decides. The
// kernel's fl(r32 - w32) keeps the sign of r32 - w32 and, M being a float32,
// |fl(z)| <= M whenever |z| <= M: it flags the events with |fl(r32 - w32)| <= M to
// the float64 path. M is doubled as slack for the GPU's sqrt. |x| or |y| >=
// XY_ABS_LIMIT > Rfar (and non-finite ones) put r outside without arithmetic (no
// x*x overflow), as the reference says (r >= |x| > P - s0, or NaN).
//
// The margin cannot be proved, and the kernel leaves every event in the drift
// range to float64 on the host, when: the polynomial has more coefficients than
// the kernel holds, a scaled coefficient is not finite in float32, S >= 2^100
// (Horner's partial sums could overflow), Rfar >= XY_ABS_LIMIT, or M >= 1/2 cm.

/** Coefficients the kernel holds (its Cuts uniform); a longer polynomial is decided on the host. */
export const MAX_WALL_COEFFICIENTS = 20;
/** |x| or |y| at or above this (and non-finite values) puts r outside the wall without arithmetic. */
export const XY_ABS_LIMIT = 2 ** 20;

const U32 = 2 ** -24;
const U64 = 2 ** -53;
const ETA = 2 ** -126;
const gamma = (n: number, u: number): number => (n * u) / (1 - n * u);

export interface WallThresholds {
  /** false: no margin could be proved; every event in the drift range goes to float64 on the host. */
  readonly onDevice: boolean;
  /** Why not, for `mssi gpu` and the stats. */
  readonly why?: string;
  /** MAX_WALL_COEFFICIENTS float32 coefficients b_k = a_k L^k, Horner order, padded with leading zeros. */
  readonly poly32: Float32Array;
  /** Index of the first coefficient the kernel evaluates (the padding before it is skipped). */
  readonly first: number;
  /** The float32 factor from ns to the scaled variable v = t / L: fl32(1 / (1000 L)). */
  readonly nsToV32: number;
  readonly standoff32: number;
  /** The kernel flags an event (float64 decides) when |r32 - w32| <= this (cm, a float32). */
  readonly marginCm: number;
  /** S of the proof (tests, docs). */
  readonly s: number;
}

/** Smallest float32 >= v. */
function fround32Up(v: number): number {
  const f = Math.fround(v);
  return f >= v ? f : valueOfKey(keyOf(f) + 1);
}

export function deriveWall(sel: Selection): WallThresholds {
  let lead = 0;
  while (lead < sel.fv.wallPoly.length && sel.fv.wallPoly[lead] === 0) lead++;
  const poly = sel.fv.wallPoly.slice(lead);
  const standoff = sel.fv.wallStandoffCm;
  const poly32 = new Float32Array(MAX_WALL_COEFFICIENTS);
  const first = MAX_WALL_COEFFICIENTS - poly.length;
  const standoff32 = Math.fround(standoff);
  const host = (why: string): WallThresholds => ({ onDevice: false, why, poly32, first: MAX_WALL_COEFFICIENTS, nsToV32: 0, standoff32, marginCm: 0, s: NaN });
  if (first < 0) return host(`the wall polynomial has ${poly.length} coefficients, the kernel holds ${MAX_WALL_COEFFICIENTS}`);
  const tMax = Math.max(Math.abs(sel.fv.driftUs[0]), Math.abs(sel.fv.driftUs[1])) * (1 + 4 * U32);
  const m = Math.min(100, Math.max(-100, Math.ceil(Math.log2(tMax || 1))));
  const scale = 2 ** m;
  const vMax = tMax / scale;
  const a = [...poly].reverse(); // a_k, lowest power first
  const b = a.map((ak, k) => ak * scale ** k);
  b.forEach((bk, k) => (poly32[MAX_WALL_COEFFICIENTS - 1 - k] = Math.fround(bk)));
  const nsToV32 = Math.fround(1 / 1000 / scale);
  if (!poly32.every(Number.isFinite) || !Number.isFinite(standoff32) || !(nsToV32 >= 2 ** -126)) {
    return host('a wall coefficient or the standoff is beyond float32');
  }

  const n = Math.max(1, poly.length - 1);
  let s = 0;
  let d = 0;
  let powers = 0;
  b.forEach((bk, k) => {
    s += Math.abs(bk) * vMax ** k;
    if (k > 0) d += k * Math.abs(bk) * vMax ** (k - 1);
    powers += vMax ** k;
  });
  if (!(s < 2 ** 100) || !Number.isFinite(d)) return host('the wall polynomial is too large on the drift range for float32');
  const so = Math.abs(standoff);
  // Pmax >= max |P| where t and t32 can be: a grid over the drift range widened by
  // 4u T, plus the slope times half its step (and the grid's float64 roundings).
  const grid = 4096;
  const tLo = sel.fv.driftUs[0] - 4 * U32 * tMax;
  const step = (sel.fv.driftUs[1] + 4 * U32 * tMax - tLo) / grid;
  let pMax = 0;
  for (let i = 0; i <= grid; i++) {
    const t = tLo + step * i;
    let acc = 0;
    for (const c of poly) acc = acc * t + c;
    pMax = Math.max(pMax, Math.abs(acc));
  }
  pMax = Math.min(s, pMax + (d / scale) * step + 1e-12 * s);
  const horner32 = gamma(2 * n, U32) * (1 + U32) * s;
  const coef32 = U32 * s;
  const arg32 = d * (3 * U32 * vMax + ETA);
  const flush32 = 3 * ETA * (1 + U32) * powers;
  const off32 = U32 * so;
  const partial = horner32 + coef32 + arg32 + flush32 + off32;
  const w32 = partial + U32 * (pMax + so + partial);
  const w64 = gamma(2 * n, U64) * s + U64 * tMax * (d / scale) + U64 * (pMax + so + 1) + 2 ** -1000;
  const rFar = 2 * (pMax + so) + 1;
  const r32 = 16 * U32 * rFar + 2 ** -60;
  const r64 = 2 * U64 * rFar;
  // Doubled for the sqrt, and a hair more for the float64 roundings of these sums.
  const margin = 2 * (w32 + w64 + r32 + r64) * (1 + 2 ** -40);
  if (!(rFar < XY_ABS_LIMIT)) return host(`the wall (up to ${rFar.toPrecision(3)} cm) reaches |x|, |y| >= ${XY_ABS_LIMIT}`);
  if (!(margin < 0.5)) return host(`the float32 error margin (${margin.toPrecision(3)} cm) is too wide`);
  return { onDevice: true, poly32, first, nsToV32, standoff32, marginCm: fround32Up(margin), s };
}

// ---------------------------------------------------------------------------

/** Everything the kernel needs of a selection. */
export interface GpuThresholds {
  readonly selection: Selection;
  readonly driftNs: KeyInterval;
  readonly s1c: KeyInterval;
  readonly s2c: KeyInterval;
  readonly s2Raw: KeyInterval;
  readonly wall: WallThresholds;
  readonly x: AxisKeys;
  readonly y: AxisKeys;
  /** false: too many cells for the device; every selected event is binned on the host. */
  readonly binOnDevice: boolean;
}

const derived = new WeakMap<Selection, GpuThresholds>();

/** The thresholds of a selection (derived once per Selection object). */
export function thresholdsFor(sel: Selection): GpuThresholds {
  let t = derived.get(sel);
  if (!t) {
    const cells = (sel.model.cs1Bins.count + 2) * (sel.model.log10Cs2Bins.count + 2);
    const binOnDevice = cells <= MAX_DEVICE_CELLS;
    const none: AxisKeys = { count: 0, edges: new Int32Array(1) };
    t = {
      selection: sel,
      ...cutKeys(sel),
      wall: deriveWall(sel),
      x: binOnDevice ? binKeys(sel.model.cs1Bins, (s) => s, (e) => e, 'model.cs1_bins') : none,
      y: binOnDevice ? binKeys(sel.model.log10Cs2Bins, Math.log10, (e) => 10 ** e, 'model.log10_cs2_bins') : none,
      binOnDevice,
    };
    derived.set(sel, t);
  }
  return t;
}

/** The default selection's thresholds (the notebook's cuts), for tests, the doctor and the self-test. */
export const DEFAULT_THRESHOLDS = thresholdsFor(DEFAULT_SELECTION);
export const DRIFT_NS = DEFAULT_THRESHOLDS.driftNs;
export const S1C = DEFAULT_THRESHOLDS.s1c;
export const S2C = DEFAULT_THRESHOLDS.s2c;
export const S2_RAW = DEFAULT_THRESHOLDS.s2Raw;
/** The default selection's wall margin (cm). */
export const FV_MARGIN_CM = DEFAULT_THRESHOLDS.wall.marginCm;

// ---------------------------------------------------------------------------
// The kernel's Cuts uniform (kernels/mssi.wgsl): 20 scalar words, then the
// MAX_WALL_COEFFICIENTS coefficients as vec4s.

export const CUTS_WORDS = 20 + MAX_WALL_COEFFICIENTS;

/** The Cuts uniform's bytes for a selection's thresholds. */
export function cutsUniform(t: GpuThresholds): ArrayBuffer {
  const buf = new ArrayBuffer(CUTS_WORDS * 4);
  const i = new Int32Array(buf);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  i.set([t.driftNs.lo, t.driftNs.hi, t.s1c.lo, t.s1c.hi, t.s2c.lo, t.s2c.hi, t.s2Raw.lo, t.s2Raw.hi, keyOf(XY_ABS_LIMIT)]);
  u[9] = t.wall.onDevice ? 1 : 0;
  u[10] = t.binOnDevice ? 1 : 0;
  u[11] = t.wall.first;
  f[12] = t.wall.nsToV32;
  f[13] = t.wall.standoff32;
  f[14] = t.wall.marginCm;
  u[15] = t.x.count;
  u[16] = t.y.count;
  f.set(t.wall.poly32, 20);
  return buf;
}

/** The kernel's edge table: the x axis' count + 1 keys, then the y axis'. */
export function edgeTable(t: GpuThresholds): Int32Array {
  const out = new Int32Array(t.x.edges.length + t.y.edges.length);
  out.set(t.x.edges);
  out.set(t.y.edges, t.x.edges.length);
  return out;
}
