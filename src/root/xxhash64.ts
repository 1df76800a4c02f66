// XXH64 (seeded): the checksum ROOT stores in front of every LZ4 block, written by
// the writer and checked by the reader on every LZ4 basket.
//
// 64-bit values are held as two uint32 halves (hi, lo) in local variables: the low
// half of a product is Math.imul, the high half comes from 16-bit partial products
// (mulHi). Nothing is allocated per operation: the BigInt version this replaces
// (kept as the tests' reference) ran at about 10 MB/s here, this one at 10-40 times
// that (bench/read.ts has a row).

const P1H = 0x9e3779b1, P1L = 0x85ebca87; // 11400714785074694791
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f; // 14029467366897019727
const P3H = 0x165667b1, P3L = 0x9e3779f9; // 1609587929392839161
const P4H = 0x85ebca77, P4L = 0xc2b2ae63; // 9650029242287828579
const P5H = 0x27d4eb2f, P5L = 0x165667c5; // 2870177450012600261

/**
 * High half of (ah, al) * (bh, bl) mod 2^64 (the low half is Math.imul(al, bl)), from
 * 16-bit partial products; every partial sum is below 2^32, so int32 wrap-around
 * keeps the exact bit pattern.
 */
function mulHi(ah: number, al: number, bh: number, bl: number): number {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const w1 = (Math.imul(a1, b0) + (Math.imul(a0, b0) >>> 16)) | 0;
  const w2 = (Math.imul(a0, b1) + (w1 & 0xffff)) | 0;
  return (Math.imul(a1, b1) + (w1 >>> 16) + (w2 >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

function u32(d: Uint8Array, p: number): number {
  return (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
}

// The four accumulators (hi, lo) of the 32-byte stripes (stored wrapped to int32:
// read them back with >>> 0 where their unsigned value matters), and hash()'s result.
const acc = new Int32Array(8);
const out = new Uint32Array(2);
const MERGE_ROTATIONS = [1, 7, 12, 18] as const;

/**
 * Runs XXH64's round over every whole 32-byte stripe of d[0, end) into `acc`; returns
 * the bytes consumed. The hot loop: int32 arithmetic only (| 0), which V8 keeps in
 * machine words, and DataView reads (fastest here).
 */
function stripes(d: Uint8Array, end: number): number {
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  let p = 0;
  for (; p + 32 <= end; p += 32) {
    for (let k = 0; k < 4; k++) {
      const inl = dv.getInt32(p + 8 * k, true);
      const inh = dv.getInt32(p + 8 * k + 4, true);
      // acc += input * P2
      const ml = Math.imul(inl, P2L);
      const mh = mulHi(inh, inl, P2H, P2L);
      const al = (acc[2 * k + 1]! + ml) | 0;
      const ah = (acc[2 * k]! + mh + ((al >>> 0) < (ml >>> 0) ? 1 : 0)) | 0;
      // acc = rotl(acc, 31) * P1
      const rl = (al << 31) | (ah >>> 1);
      const rh = (ah << 31) | (al >>> 1);
      acc[2 * k + 1] = Math.imul(rl, P1L);
      acc[2 * k] = mulHi(rh, rl, P1H, P1L);
    }
  }
  return p;
}

/** XXH64 of `data` with the seed given as halves, into `out`. */
function hash(data: Uint8Array, seedHi: number, seedLo: number): void {
  const len = data.length;
  let p = 0;
  let hh: number;
  let hl: number;
  let l: number;
  let h: number;
  if (len >= 32) {
    // v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1
    l = (seedLo + P1L) >>> 0;
    h = (seedHi + P1H + (l < P1L ? 1 : 0)) >>> 0;
    hl = (l + P2L) >>> 0;
    acc[1] = hl;
    acc[0] = h + P2H + (hl < P2L ? 1 : 0);
    hl = (seedLo + P2L) >>> 0;
    acc[3] = hl;
    acc[2] = seedHi + P2H + (hl < P2L ? 1 : 0);
    acc[5] = seedLo;
    acc[4] = seedHi;
    acc[7] = seedLo - P1L;
    acc[6] = seedHi - P1H - (seedLo < P1L ? 1 : 0);
    p = stripes(data, len);
    // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)
    hh = 0;
    hl = 0;
    for (let k = 0; k < 4; k++) {
      const r = MERGE_ROTATIONS[k]!;
      const vh = acc[2 * k]!;
      const vl = acc[2 * k + 1]!;
      l = ((vl << r) | (vh >>> (32 - r))) >>> 0;
      h = ((vh << r) | (vl >>> (32 - r))) >>> 0;
      hl = (hl + l) >>> 0;
      hh = (hh + h + (hl < l ? 1 : 0)) >>> 0;
    }
    // h = (h ^ round(0, v)) * P1 + P4, for each accumulator v
    for (let k = 0; k < 4; k++) {
      const vh = acc[2 * k]!;
      const vl = acc[2 * k + 1]!;
      const ml = Math.imul(vl, P2L) >>> 0;
      const mh = mulHi(vh, vl, P2H, P2L);
      const rl = ((ml << 31) | (mh >>> 1)) >>> 0;
      const rh = ((mh << 31) | (ml >>> 1)) >>> 0;
      const xl = (hl ^ Math.imul(rl, P1L)) >>> 0;
      const xh = (hh ^ mulHi(rh, rl, P1H, P1L)) >>> 0;
      l = Math.imul(xl, P1L) >>> 0;
      h = mulHi(xh, xl, P1H, P1L);
      hl = (l + P4L) >>> 0;
      hh = (h + P4H + (hl < P4L ? 1 : 0)) >>> 0;
    }
  } else {
    hl = (seedLo + P5L) >>> 0;
    hh = (seedHi + P5H + (hl < P5L ? 1 : 0)) >>> 0;
  }
  // h += len (an array's length is below 2^53)
  l = hl;
  hl = (hl + len) >>> 0;
  hh = (hh + Math.floor(len / 4294967296) + (hl < l ? 1 : 0)) >>> 0;
  for (; p + 8 <= len; p += 8) {
    // h ^= round(0, word); h = rotl(h, 27) * P1 + P4
    const wl = u32(data, p);
    const wh = u32(data, p + 4);
    const ml = Math.imul(wl, P2L) >>> 0;
    const mh = mulHi(wh, wl, P2H, P2L);
    const rl = ((ml << 31) | (mh >>> 1)) >>> 0;
    const rh = ((mh << 31) | (ml >>> 1)) >>> 0;
    const xl = (hl ^ Math.imul(rl, P1L)) >>> 0;
    const xh = (hh ^ mulHi(rh, rl, P1H, P1L)) >>> 0;
    const sl = ((xl << 27) | (xh >>> 5)) >>> 0;
    const sh = ((xh << 27) | (xl >>> 5)) >>> 0;
    l = Math.imul(sl, P1L) >>> 0;
    h = mulHi(sh, sl, P1H, P1L);
    hl = (l + P4L) >>> 0;
    hh = (h + P4H + (hl < P4L ? 1 : 0)) >>> 0;
  }
  if (p + 4 <= len) {
    // h ^= word * P1; h = rotl(h, 23) * P2 + P3
    const w = u32(data, p);
    const xl = (hl ^ Math.imul(w, P1L)) >>> 0;
    const xh = (hh ^ mulHi(0, w, P1H, P1L)) >>> 0;
    const sl = ((xl << 23) | (xh >>> 9)) >>> 0;
    const sh = ((xh << 23) | (xl >>> 9)) >>> 0;
    l = Math.imul(sl, P2L) >>> 0;
    h = mulHi(sh, sl, P2H, P2L);
    hl = (l + P3L) >>> 0;
    hh = (h + P3H + (hl < P3L ? 1 : 0)) >>> 0;
    p += 4;
  }
  for (; p < len; p++) {
    // h ^= byte * P5; h = rotl(h, 11) * P1
    const b = data[p]!;
    const xl = (hl ^ Math.imul(b, P5L)) >>> 0;
    const xh = (hh ^ mulHi(0, b, P5H, P5L)) >>> 0;
    const sl = ((xl << 11) | (xh >>> 21)) >>> 0;
    const sh = ((xh << 11) | (xl >>> 21)) >>> 0;
    hl = Math.imul(sl, P1L) >>> 0;
    hh = mulHi(sh, sl, P1H, P1L);
  }
  // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  hl = (hl ^ (hh >>> 1)) >>> 0;
  l = Math.imul(hl, P2L) >>> 0;
  h = mulHi(hh, hl, P2H, P2L);
  hl = (l ^ ((l >>> 29) | (h << 3))) >>> 0;
  hh = (h ^ (h >>> 29)) >>> 0;
  l = Math.imul(hl, P3L) >>> 0;
  h = mulHi(hh, hl, P3H, P3L);
  out[0] = h;
  out[1] = l ^ h;
}

function seedHalves(seed: number | bigint): [number, number] {
  if (seed === 0) return [0, 0];
  const s = BigInt.asUintN(64, BigInt(seed));
  return [Number(s >> 32n), Number(s & 0xffffffffn)];
}

/** XXH64 of `data`; seeds wrap modulo 2^64 (XXH64's unsigned long long). */
export function xxh64(data: Uint8Array, seed: number | bigint = 0): bigint {
  const [sh, sl] = seedHalves(seed);
  hash(data, sh, sl);
  return (BigInt(out[0]!) << 32n) | BigInt(out[1]!);
}

/** Whether XXH64 (seed 0) of `data` is the 64-bit value with halves (hi, lo): no BigInt on the hot path. */
export function xxh64Is(data: Uint8Array, hi: number, lo: number): boolean {
  hash(data, 0, 0);
  return out[0] === hi >>> 0 && out[1] === lo >>> 0;
}
