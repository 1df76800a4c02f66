// The MSSI selection of SELECTION.md over one chunk of columns, compiled to
// WebAssembly by AssemblyScript (`npm run build:wasm`); the host side is
// src/selection/wasmSelect.ts. It performs the float64 reference's operations
// (src/selection/reference.ts) in the same order, so it gives its counts to the
// event; the tests compare the two on events drawn around every cut.
//
// The selection's numbers come from the host (src/selection/compiled.ts, via
// configure()), and so does log10: the few S2c values near the log10 cut are decided
// by the host's Math.log10, the function the reference calls.
//
// The wall polynomial has at most 17 coefficients (degree 16, MAX_WALL_DEGREE of
// src/selection/selectionFile.ts), padded by the host with leading zeros to C0..C16:
// Horner from acc = 0 gives the same float64 with leading zeros as without (0 * t + 0
// is 0, or NaN where t is NaN or infinite, as 0 * t + c is). A polynomial of up to
// 6 coefficients (the notebook's has 6) takes the 6-term Horner over C11..C16 (a
// variant of select() of its own).

@external('env', 'log10')
declare function hostLog10(x: f64): f64;

let LONG_WALL: i32 = 0;
let C0: f64 = 0;
let C1: f64 = 0;
let C2: f64 = 0;
let C3: f64 = 0;
let C4: f64 = 0;
let C5: f64 = 0;
let C6: f64 = 0;
let C7: f64 = 0;
let C8: f64 = 0;
let C9: f64 = 0;
let C10: f64 = 0;
let C11: f64 = 0;
let C12: f64 = 0;
let C13: f64 = 0;
let C14: f64 = 0;
let C15: f64 = 0;
let C16: f64 = 0;
let WALL_MARGIN: f64 = 0;
let DRIFT_MIN: f64 = 0;
let DRIFT_MAX: f64 = 0;
let S1C_MIN: f64 = 0;
let S1C_MAX: f64 = 0;
let S2C_SURELY_BELOW: f64 = 0;
let S2C_SURELY_ABOVE: f64 = 0;
let LOG10_S2C_MAX: f64 = 0;
let S2_RAW_MIN: f64 = 0;

/** `wallTerms`: the polynomial's coefficients before padding (1 to 17); c0..c16 padded with leading zeros. */
export function configure(
  wallTerms: i32,
  c0: f64, c1: f64, c2: f64, c3: f64, c4: f64, c5: f64, c6: f64, c7: f64, c8: f64,
  c9: f64, c10: f64, c11: f64, c12: f64, c13: f64, c14: f64, c15: f64, c16: f64,
  wallMargin: f64, driftMin: f64, driftMax: f64, s1cMin: f64, s1cMax: f64,
  s2cSurelyBelow: f64, s2cSurelyAbove: f64, log10S2cMax: f64, s2RawMin: f64,
): void {
  LONG_WALL = i32(wallTerms > 6);
  C0 = c0; C1 = c1; C2 = c2; C3 = c3; C4 = c4; C5 = c5; C6 = c6; C7 = c7; C8 = c8;
  C9 = c9; C10 = c10; C11 = c11; C12 = c12; C13 = c13; C14 = c14; C15 = c15; C16 = c16;
  WALL_MARGIN = wallMargin;
  DRIFT_MIN = driftMin; DRIFT_MAX = driftMax; S1C_MIN = s1cMin; S1C_MAX = s1cMax;
  S2C_SURELY_BELOW = s2cSurelyBelow; S2C_SURELY_ABOVE = s2cSurelyAbove; LOG10_S2C_MAX = log10S2cMax;
  S2_RAW_MIN = s2RawMin;
}

/**
 * log10(s2c) < LOG10_S2C_MAX, as reference.ts's log10Below decides it: by the
 * bounds, and by the host's log10 only in between (rare, and NaN).
 */
@inline function log10Below(s2c: f64): i32 {
  const below = i32(s2c >= 0) & i32(s2c < S2C_SURELY_BELOW);
  const above = i32(s2c > S2C_SURELY_ABOVE);
  if ((below | above) != 0) return below;
  return i32(hostLog10(s2c) < LOG10_S2C_MAX);
}

/** Event i's value of a column of T, widened to float64 (exact). */
@inline function at<T>(column: usize, i: i32): f64 {
  return <f64>load<T>(column + ((<usize>i) << alignof<T>()));
}

/**
 * The six counts over events [0, n) into out[0..5] (nSS FV, nSS FV ROI, nMSSI,
 * nMSSI FV, nMSSI FV ROI), and with wantBits != 0 each event's decision bits
 * (FV 1 | ROI 2 | MSSI 4, ROI regardless of FV) into bits[0..n) as uint8. T: the type of the six scatter columns; P: of the two
 * photon columns. nVertices is int32 and the skip flags uint8; each per-vertex
 * column holds `*Length` values; `scratch` has room for s1Length + 1 int32. Returns
 * 0, or -1 when an event has more vertices than a per-vertex vector holds, or
 * offsets point outside it (the host then runs the reference, which names the
 * event and the vector). W marks the wall's Horner at compile time: u64 the 17-term
 * one (C0..C16, read per event), anything else the 6-term one over C11..C16 held in
 * locals, so that the common case keeps the registers it had with 6 coefficients.
 */
function select<T, P, W>(
  n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize,
  nVertices: usize, skipOffsets: usize, skip: usize, s1Offsets: usize, s1: usize, s2Offsets: usize, s2v: usize,
  skipLength: i32, s1Length: i32, s2Length: i32, out: usize, scratch: usize, bits: usize, wantBits: i32,
): i32 {
  const c11 = C11, c12 = C12, c13 = C13, c14 = C14, c15 = C15, c16 = C16;
  const margin = WALL_MARGIN;
  const driftMin = DRIFT_MIN, driftMax = DRIFT_MAX, s1cMin = S1C_MIN, s1cMax = S1C_MAX, s2RawMin = S2_RAW_MIN;
  const sameShape = sameVertexShape(n, skipOffsets, s1Offsets, s2Offsets, skipLength, s1Length, s2Length);
  if (sameShape) netCounts<P>(skip, s1, s2v, s1Length, scratch);
  let fv = 0, fvRoi = 0, mssi = 0, mssiFv = 0, mssiFvRoi = 0;
  for (let i = 0; i < n; i++) {
    // FV: the reference's fiducial(), operation for operation
    const xi = at<T>(x, i);
    const yi = at<T>(y, i);
    const r = Math.sqrt(xi * xi + yi * yi);
    const t = at<T>(drift, i) / 1000;
    let wall: f64;
    if (sizeof<W>() == 8) {
      wall = ((((((((((((((((0 * t + C0) * t + C1) * t + C2) * t + C3) * t + C4) * t + C5) * t + C6) * t + C7) * t + C8) * t + C9) * t + C10) * t + C11) * t + C12) * t + C13) * t + C14) * t + C15) * t + C16;
    } else {
      wall = (((((0 * t + c11) * t + c12) * t + c13) * t + c14) * t + c15) * t + c16;
    }
    const boundary = wall - margin;
    const f = i32(r < boundary) & i32(driftMin < t) & i32(t < driftMax);
    // ROI: regionOfInterest(), with & for && (no side effects: the same value, fewer branches)
    const s1ci = at<T>(s1c, i);
    const roi = i32(s1cMin < s1ci) & i32(s1ci < s1cMax) & log10Below(at<T>(s2c, i)) & i32(at<T>(s2, i) > s2RawMin);
    const fr = f & roi;
    // MSSI: isMultiScatterSingleIonisation()
    const nv = max(0, load<i32>(nVertices + ((<usize>i) << 2)));
    let m = 0;
    if (sameShape) {
      // nS1 - nS2 over the event's first nv vertices, from the prefix sums
      const start = load<i32>(s1Offsets + ((<usize>i) << 2));
      if (nv > load<i32>(s1Offsets + ((<usize>i + 1) << 2)) - start || start < 0 || nv > s1Length - start) return -1;
      m = i32(load<i32>(scratch + ((<usize>(start + nv)) << 2)) > load<i32>(scratch + ((<usize>start) << 2)));
    } else if (nv > 0) {
      const skipAt = load<i32>(skipOffsets + ((<usize>i) << 2));
      const s1At = load<i32>(s1Offsets + ((<usize>i) << 2));
      const s2At = load<i32>(s2Offsets + ((<usize>i) << 2));
      if (
        nv > load<i32>(skipOffsets + ((<usize>i + 1) << 2)) - skipAt ||
        nv > load<i32>(s1Offsets + ((<usize>i + 1) << 2)) - s1At ||
        nv > load<i32>(s2Offsets + ((<usize>i + 1) << 2)) - s2At ||
        skipAt < 0 || nv > skipLength - skipAt ||
        s1At < 0 || nv > s1Length - s1At ||
        s2At < 0 || nv > s2Length - s2At
      ) return -1;
      let nS1 = 0, nS2 = 0;
      for (let j = 0; j < nv; j++) {
        const keep = i32(load<u8>(skip + <usize>(skipAt + j)) == 0);
        nS1 += keep & i32(at<P>(s1, s1At + j) > 0);
        nS2 += keep & i32(at<P>(s2v, s2At + j) > 0);
      }
      m = i32(nS1 > nS2);
    }
    if (wantBits) store<u8>(bits + <usize>i, f | (roi << 1) | (m << 2));
    fv += f;
    fvRoi += fr;
    mssi += m;
    mssiFv += m & f;
    mssiFvRoi += m & fr;
  }
  store<i32>(out, fv);
  store<i32>(out, fvRoi, 4);
  store<i32>(out, mssi, 8);
  store<i32>(out, mssiFv, 12);
  store<i32>(out, mssiFvRoi, 16);
  return 0;
}

/** Whether the three per-vertex columns have the same offsets and lengths (as in every LZ file). */
function sameVertexShape(n: i32, a: usize, b: usize, c: usize, aLength: i32, bLength: i32, cLength: i32): bool {
  if (aLength != bLength || bLength != cLength) return false;
  let differ = 0;
  for (let i: usize = 0; i <= <usize>n; i++) {
    const o = load<i32>(a + (i << 2));
    differ |= (o ^ load<i32>(b + (i << 2))) | (o ^ load<i32>(c + (i << 2)));
  }
  return differ == 0;
}

/**
 * Prefix sums over all vertices of (kept and S1 > 0) - (kept and S2 > 0): an event's
 * nS1 - nS2 is then one difference, with no loop whose length (the vertex count)
 * the CPU cannot predict. scratch[k] = sum over vertices [0, k).
 */
function netCounts<P>(skip: usize, s1: usize, s2: usize, length: i32, scratch: usize): void {
  let acc = 0;
  store<i32>(scratch, 0);
  for (let k = 0; k < length; k++) {
    const keep = i32(load<u8>(skip + <usize>k) == 0);
    acc += (keep & i32(at<P>(s1, k) > 0)) - (keep & i32(at<P>(s2, k) > 0));
    store<i32>(scratch + ((<usize>k + 1) << 2), acc);
  }
}

// One export per supported pair of column types (scatters, photons): select_T_P.
export function select_f32_i32(n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize, nv: usize, ko: usize, k: usize, ao: usize, a: usize, bo: usize, b: usize, kn: i32, an: i32, bn: i32, out: usize, scratch: usize, bits: usize, wantBits: i32): i32 {
  return LONG_WALL
    ? select<f32, i32, u64>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits)
    : select<f32, i32, u8>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits);
}
export function select_f32_f32(n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize, nv: usize, ko: usize, k: usize, ao: usize, a: usize, bo: usize, b: usize, kn: i32, an: i32, bn: i32, out: usize, scratch: usize, bits: usize, wantBits: i32): i32 {
  return LONG_WALL
    ? select<f32, f32, u64>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits)
    : select<f32, f32, u8>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits);
}
export function select_f32_f64(n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize, nv: usize, ko: usize, k: usize, ao: usize, a: usize, bo: usize, b: usize, kn: i32, an: i32, bn: i32, out: usize, scratch: usize, bits: usize, wantBits: i32): i32 {
  return LONG_WALL
    ? select<f32, f64, u64>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits)
    : select<f32, f64, u8>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits);
}
export function select_f64_i32(n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize, nv: usize, ko: usize, k: usize, ao: usize, a: usize, bo: usize, b: usize, kn: i32, an: i32, bn: i32, out: usize, scratch: usize, bits: usize, wantBits: i32): i32 {
  return LONG_WALL
    ? select<f64, i32, u64>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits)
    : select<f64, i32, u8>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits);
}
export function select_f64_f32(n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize, nv: usize, ko: usize, k: usize, ao: usize, a: usize, bo: usize, b: usize, kn: i32, an: i32, bn: i32, out: usize, scratch: usize, bits: usize, wantBits: i32): i32 {
  return LONG_WALL
    ? select<f64, f32, u64>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits)
    : select<f64, f32, u8>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits);
}
export function select_f64_f64(n: i32, x: usize, y: usize, drift: usize, s2: usize, s1c: usize, s2c: usize, nv: usize, ko: usize, k: usize, ao: usize, a: usize, bo: usize, b: usize, kn: i32, an: i32, bn: i32, out: usize, scratch: usize, bits: usize, wantBits: i32): i32 {
  return LONG_WALL
    ? select<f64, f64, u64>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits)
    : select<f64, f64, u8>(n, x, y, drift, s2, s1c, s2c, nv, ko, k, ao, a, bo, b, kn, an, bn, out, scratch, bits, wantBits);
}
