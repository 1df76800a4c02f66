import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { compressPayload, compressionCode } from '../../../src/root/write/compress.js';
import { lz4CompressBlock } from '../../../src/root/write/lz4.js';
import { xxh64 } from '../../../src/root/xxhash64.js';

/** Minimal LZ4 block decoder, written from the format description, to check the encoder independently. */
function lz4Decode(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const token = src[i++] as number;
    let lit = token >> 4;
    if (lit === 15) for (let b = 255; b === 255; ) lit += b = src[i++] as number;
    out.set(src.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i >= src.length) break;
    const off = (src[i] as number) | ((src[i + 1] as number) << 8);
    i += 2;
    let len = (token & 15) + 4;
    if ((token & 15) === 15) for (let b = 255; b === 255; ) len += b = src[i++] as number;
    for (let k = 0; k < len; k++, o++) out[o] = out[o - off] as number;
  }
  expect(o).toBe(size);
  return out;
}

const sample = (n: number): Uint8Array => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i % 251) ^ ((i >> 10) & 7);
  return b;
};

describe('ROOT compression framing', () => {
  it('zlib blocks carry the ZL header with 3-byte little-endian sizes', () => {
    const data = sample(100000);
    const z = compressPayload(data, { algorithm: 'zlib', level: 6 });
    expect(z).not.toBeNull();
    const c = z as Uint8Array;
    expect(String.fromCharCode(c[0] as number, c[1] as number)).toBe('ZL');
    expect(c[2]).toBe(8);
    const csize = (c[3] as number) | ((c[4] as number) << 8) | ((c[5] as number) << 16);
    const usize = (c[6] as number) | ((c[7] as number) << 8) | ((c[8] as number) << 16);
    expect(csize).toBe(c.length - 9);
    expect(usize).toBe(data.length);
    expect(Buffer.compare(inflateSync(c.subarray(9)), Buffer.from(data))).toBe(0);
  });

  it('splits payloads over 0xffffff bytes into several blocks', () => {
    const data = sample(0xffffff + 5000);
    const z = compressPayload(data, { algorithm: 'zlib', level: 1 }) as Uint8Array;
    const c1 = (z[3] as number) | ((z[4] as number) << 8) | ((z[5] as number) << 16);
    const u1 = (z[6] as number) | ((z[7] as number) << 8) | ((z[8] as number) << 16);
    expect(u1).toBe(0xffffff);
    const second = z.subarray(9 + c1);
    expect(String.fromCharCode(second[0] as number, second[1] as number)).toBe('ZL');
    const u2 = (second[6] as number) | ((second[7] as number) << 8) | ((second[8] as number) << 16);
    expect(u2).toBe(5000);
    const back = Buffer.concat([inflateSync(z.subarray(9, 9 + c1)), inflateSync(second.subarray(9))]);
    expect(Buffer.compare(back, Buffer.from(data))).toBe(0);
  });

  it('stores incompressible data raw (null) and never compresses for none', () => {
    const noise = new Uint8Array(5000);
    let s = 1;
    for (let i = 0; i < noise.length; i++) noise[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
    expect(compressPayload(noise, { algorithm: 'zlib', level: 9 })).toBeNull();
    expect(compressPayload(noise, { algorithm: 'lz4', level: 1 })).toBeNull();
    expect(compressPayload(sample(5000), { algorithm: 'none', level: 0 })).toBeNull();
  });

  it('fCompress is algorithm*100+level', () => {
    expect(compressionCode({ algorithm: 'zlib', level: 1 })).toBe(101);
    expect(compressionCode({ algorithm: 'lz4', level: 4 })).toBe(404);
    expect(compressionCode({ algorithm: 'none', level: 5 })).toBe(0);
  });

  it('xxh64 matches the reference test vectors', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(xxh64(enc(''), 0)).toBe(0xef46db3751d8e999n);
    expect(xxh64(enc('a'), 0)).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxh64(enc('abc'), 0)).toBe(0x44bc2cf5ad770999n);
    expect(xxh64(enc('Nobody inspects the spammish repetition'), 0)).toBe(0xfbcea83c8a378bf1n);
  });

  it('lz4 blocks decode back and carry the L4 header with the checksum of the block', () => {
    for (const n of [600, 70000, 300000]) {
      const data = sample(n);
      const block = lz4CompressBlock(data);
      expect(block).not.toBeNull();
      expect(Buffer.compare(Buffer.from(lz4Decode(block as Uint8Array, n)), Buffer.from(data))).toBe(0);
    }
    const data = sample(50000);
    const z = compressPayload(data, { algorithm: 'lz4', level: 1 }) as Uint8Array;
    expect(String.fromCharCode(z[0] as number, z[1] as number)).toBe('L4');
    const csize = (z[3] as number) | ((z[4] as number) << 8) | ((z[5] as number) << 16);
    expect(csize).toBe(z.length - 9);
    const block = z.subarray(17);
    expect(new DataView(z.buffer, z.byteOffset).getBigUint64(9)).toBe(xxh64(block, 0));
    expect(Buffer.compare(Buffer.from(lz4Decode(block, data.length)), Buffer.from(data))).toBe(0);
  });
});

describe('zstd blocks', () => {
  it('frames data as ROOT does (ZS, method 1, sizes), decodable, and leaves tiny blocks raw', async () => {
    const { loadZstdEncoder } = await import('../../../src/root/write/zstd.js');
    const { zstdDecompressInto } = await import('../../../src/root/read/zstd.js');
    await loadZstdEncoder();
    let x = 1;
    const data = new Uint8Array(5000).map(() => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 27));
    const z = compressPayload(data, { algorithm: 'zstd', level: 3 }) as Uint8Array;
    expect(String.fromCharCode(z[0]!, z[1]!)).toBe('ZS');
    expect(z[2]).toBe(1);
    expect(z[3]! | (z[4]! << 8) | (z[5]! << 16)).toBe(z.length - 9);
    expect(z[6]! | (z[7]! << 8) | (z[8]! << 16)).toBe(5000);
    const back = new Uint8Array(5000);
    zstdDecompressInto(z.subarray(9), back);
    expect(Array.from(back)).toEqual(Array.from(data));
    expect(compressPayload(new Uint8Array(80), { algorithm: 'zstd', level: 3 })).toBeNull();
  });

  it('finds where a zstd frame ends', async () => {
    const { zstdFrameEnd } = await import('../../../src/root/write/zstd.js');
    // magic, descriptor (single segment, 1-byte content size), size 3, one last raw block of 3 bytes
    const frame = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, 3, (3 << 3) | 1, 0, 0, 1, 2, 3]);
    expect(zstdFrameEnd(frame)).toBe(12);
    expect(zstdFrameEnd(Uint8Array.from([...frame, 9, 9]))).toBe(12);
    expect(zstdFrameEnd(frame.subarray(0, 10))).toBeNull();
    expect(zstdFrameEnd(Uint8Array.from([1, 2, 3, 4, 5, 6]))).toBeNull();
  });
});
