// The reused-stream inflater against zlib.inflateSync: same bytes, and every way a
// stream can be wrong is an InflateError, after which the stream still works.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflater, syncInflater, InflateError, type Inflater } from '../../../src/root/read/inflate.js';
import { decompressRoot, DecompressionError } from '../../../src/root/read/compression.js';

function sample(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 24) % 7 === 0 ? x & 0xff : (i * 3) & 0x3f; // compressible, not trivial
  }
  return out;
}

/** A ROOT block header ("ZL", method, 3-byte sizes) before a zlib stream. */
function rootBlock(plain: Uint8Array): Uint8Array {
  const z = deflateSync(plain);
  const out = new Uint8Array(9 + z.length);
  out.set([0x5a, 0x4c, 8, z.length & 0xff, (z.length >> 8) & 0xff, z.length >> 16, plain.length & 0xff, (plain.length >> 8) & 0xff, plain.length >> 16]);
  out.set(z, 9);
  return out;
}

describe.each([
  ['reused native stream', inflater()],
  ['inflateSync fallback', syncInflater()],
])('inflater: %s', (_name, inf: Inflater) => {
  it('inflates into the given place, with or without a spare byte after it', () => {
    for (const n of [0, 1, 100, 65536, 300_001]) {
      const plain = sample(n, n + 1);
      const packed = deflateSync(plain);
      const roomy = new Uint8Array(n + 20).fill(0xee);
      inf.inflateInto(packed, roomy, 7, n);
      expect(Buffer.from(roomy.subarray(7, 7 + n)).equals(Buffer.from(plain))).toBe(true);
      expect(roomy.subarray(0, 7).every((b) => b === 0xee)).toBe(true);
      const exact = new Uint8Array(n);
      inf.inflateInto(packed, exact, 0, n);
      expect(Buffer.from(exact).equals(Buffer.from(plain))).toBe(true);
    }
  });

  it('rejects a stream longer or shorter than expected, truncated or corrupt, and keeps working', () => {
    const plain = sample(5000, 3);
    const packed = deflateSync(plain);
    const bad = Uint8Array.from(packed);
    bad[bad.length - 2]! ^= 0x55;
    const cases: [Uint8Array, number, Uint8Array][] = [
      [packed, 4999, new Uint8Array(5000)], // longer than expected, spare byte
      [packed, 4999, new Uint8Array(4999)], // longer than expected, no spare byte
      [packed, 5001, new Uint8Array(5002)], // shorter than expected
      [packed.subarray(0, packed.length - 10), 5000, new Uint8Array(5001)], // truncated
      [bad, 5000, new Uint8Array(5001)], // bad checksum
      [new Uint8Array([1, 2, 3, 4]), 5000, new Uint8Array(5001)], // not zlib
    ];
    for (const [src, size, dst] of cases) {
      expect(() => inf.inflateInto(src, dst, 0, size)).toThrow(InflateError);
      const ok = new Uint8Array(5001);
      inf.inflateInto(packed, ok, 0, 5000);
      expect(Buffer.from(ok.subarray(0, 5000)).equals(Buffer.from(plain))).toBe(true);
    }
  });

  it('refuses a target outside its buffer', () => {
    expect(() => inf.inflateInto(deflateSync(sample(10, 1)), new Uint8Array(10), 5, 10)).toThrow(RangeError);
  });
});

describe('inflater', () => {
  it('uses the reused native stream on this Node', () => {
    expect(inflater().mode).toBe('handle');
  });

  it('decompresses multi-block ROOT buffers into a caller buffer, exactly sized', () => {
    const a = sample(70_000, 11);
    const b = sample(33_333, 12);
    const src = new Uint8Array([...rootBlock(a), ...rootBlock(b)]);
    for (const into of [undefined, new Uint8Array(a.length + b.length), new Uint8Array(a.length + b.length + 1)]) {
      const out = decompressRoot(src, a.length + b.length, undefined, into);
      expect(out.length).toBe(a.length + b.length);
      expect(Buffer.from(out).equals(Buffer.concat([a, b]))).toBe(true);
    }
    expect(() => decompressRoot(src, a.length + b.length, undefined, new Uint8Array(10))).toThrow(DecompressionError);
  });
});
