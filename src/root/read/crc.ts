// The integrity checks of xz streams (ROOT's "XZ" blocks): CRC32 (as zlib's) and
// CRC64 (CRC-64/XZ, ECMA-182 polynomial, reflected). Node's zlib.crc32 exists from
// Node 20.15; a table version stands in before that.
import * as zlib from 'node:zlib';

function table32(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

let t32: Uint32Array | null = null;

function crc32Table(data: Uint8Array): number {
  const t = (t32 ??= table32());
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC32 (IEEE 802.3, as zlib and xz compute it), unsigned. */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) >>> 0 : crc32Table(data);
}

// CRC64 on 32-bit halves: the reflected polynomial 0xC96C5795D7870F42.
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;
let t64: { hi: Uint32Array; lo: Uint32Array } | null = null;

function table64(): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h >>>= 1;
      if (bit) {
        h = (h ^ POLY_HI) >>> 0;
        l = (l ^ POLY_LO) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  return { hi, lo };
}

/** CRC64 (CRC-64/XZ) as [high, low] unsigned 32-bit halves. */
export function crc64(data: Uint8Array): [number, number] {
  const t = (t64 ??= table64());
  let h = 0xffffffff;
  let l = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const idx = (l ^ data[i]!) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ t.lo[idx]!) >>> 0;
    h = ((h >>> 8) ^ t.hi[idx]!) >>> 0;
  }
  return [(h ^ 0xffffffff) >>> 0, (l ^ 0xffffffff) >>> 0];
}

/** The table CRC32, for tests against zlib's. */
export const crc32ForTests = crc32Table;
