import { describe, expect, it } from 'vitest';
import { xxh64, xxh64Is } from '../../src/root/xxhash64.js';
import { xxh64 as xxh64BigInt } from './xxhash64Reference.js';

/** xxHash's own sanity buffer (xxhsum's sanityCheck): bytes from a 64-bit LCG. */
function sanityBuffer(n: number): Uint8Array {
  const PRIME64 = 11400714785074694797n;
  const buf = new Uint8Array(n);
  let g = 2654435761n;
  for (let i = 0; i < n; i++) {
    buf[i] = Number(g >> 56n);
    g = BigInt.asUintN(64, g * PRIME64);
  }
  return buf;
}

describe('xxh64 on 32-bit halves', () => {
  it('gives the reference vectors (xxHash sanity check, strings)', () => {
    const buf = sanityBuffer(222);
    const P32 = 2654435761;
    const vectors: [number, number, bigint][] = [
      [0, 0, 0xef46db3751d8e999n],
      [0, P32, 0xac75fda2929b17efn],
      [1, 0, 0xe934a84adb052768n],
      [1, P32, 0x5014607643a9b4c3n],
      [4, 0, 0x9136a0dca57457een],
      [14, 0, 0x8282dcc4994e35c8n],
      [14, P32, 0xc3bd6bf63deb6df0n],
      [222, 0, 0xb641ae8cb691c174n],
      [222, P32, 0x20cb8ab7ae10c14an],
    ];
    for (const [n, seed, want] of vectors) expect(xxh64(buf.subarray(0, n), seed)).toBe(want);
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(xxh64(enc('abc'))).toBe(0x44bc2cf5ad770999n);
    expect(xxh64(enc('Nobody inspects the spammish repetition'))).toBe(0xfbcea83c8a378bf1n);
  });

  it('equals the BigInt transcription on random data of every length 0..1000 and random seeds', () => {
    let s = 12345;
    const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    const data = new Uint8Array(1000 + 7);
    for (let i = 0; i < data.length; i++) data[i] = rnd() >>> 24;
    for (let n = 0; n <= 1000; n++) {
      const at = n % 7; // unaligned views too
      const view = data.subarray(at, at + n);
      const seed = n % 3 === 0 ? 0 : (BigInt(rnd()) << 32n) | BigInt(rnd());
      expect(xxh64(view, seed)).toBe(xxh64BigInt(view, seed));
    }
    // seeds wrap modulo 2^64 as XXH64's unsigned long long does
    expect(xxh64(data, -1)).toBe(xxh64BigInt(data, -1));
    expect(xxh64(data, 2 ** 40 + 3)).toBe(xxh64BigInt(data, 2 ** 40 + 3));
  });

  it('xxh64Is compares against the stored halves', () => {
    const buf = sanityBuffer(100);
    const h = xxh64(buf);
    expect(xxh64Is(buf, Number(h >> 32n), Number(h & 0xffffffffn))).toBe(true);
    expect(xxh64Is(buf, Number(h >> 32n), Number(h & 0xffffffffn) ^ 1)).toBe(false);
    expect(xxh64Is(buf, Number(h >> 32n) ^ 0x80000000, Number(h & 0xffffffffn))).toBe(false);
  });
});
