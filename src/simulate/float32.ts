// float32 stepping: the planted boundary events need the exact float32
// neighbours of a cut value, which Math.fround alone cannot give.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float32 above v (v is rounded to float32 first). NaN stays NaN, +inf stays +inf. */
export function nextUpF32(v: number): number {
  f32[0] = v;
  const x = f32[0]!;
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) {
    u32[0] = 1; // smallest positive subnormal, also from -0
    return f32[0]!;
  }
  u32[0] = x > 0 ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

/** The next float32 below v. */
export function nextDownF32(v: number): number {
  return -nextUpF32(-v);
}

/** Whether v is exactly a float32 value. */
export function isFloat32(v: number): boolean {
  return Math.fround(v) === v || Number.isNaN(v);
}

/** Bit pattern of a float32 (as uint32); for positive floats it orders like the values. */
export function float32Bits(v: number): number {
  f32[0] = v;
  return u32[0]!;
}

function fromBits(bits: number): number {
  u32[0] = bits;
  return f32[0]!;
}

/**
 * Where a predicate over positive float32 values flips: bisects the bit patterns
 * between lo and hi (pass(lo) !== pass(hi)) and returns adjacent float32s
 * `below` < `above` with pass(below) === pass(lo) and pass(above) === pass(hi).
 */
export function float32Boundary(lo: number, hi: number, pass: (v: number) => boolean): { below: number; above: number } {
  const a = Math.fround(lo);
  const b = Math.fround(hi);
  if (!(a > 0 && b > a && Number.isFinite(b))) throw new RangeError(`float32Boundary needs 0 < lo < hi, got ${lo}, ${hi}`);
  const passLo = pass(a);
  if (pass(b) === passLo) throw new RangeError(`float32Boundary: predicate does not flip between ${lo} and ${hi}`);
  let loBits = float32Bits(a);
  let hiBits = float32Bits(b);
  while (hiBits - loBits > 1) {
    const mid = loBits + Math.floor((hiBits - loBits) / 2);
    if (pass(fromBits(mid)) === passLo) loBits = mid;
    else hiBits = mid;
  }
  return { below: fromBits(loBits), above: fromBits(hiBits) };
}
