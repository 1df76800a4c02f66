// ROOT's compression framing: every block gets a 9-byte header, two magic letters,
// a method byte, then the compressed and uncompressed sizes as 3-byte little-endian
// numbers; a block holds at most 0xffffff input bytes.

import { deflateSync } from 'node:zlib';
import { RootWriteError } from './errors.js';
import { lz4CompressBlock } from './lz4.js';
import { xxh64 } from '../xxhash64.js';
import { zstdCompress, zstdEncoderLoaded } from './zstd.js';
import type { Compression } from './types.js';

const HEADER = 9;
const MAX_BLOCK = 0xffffff;
/** ROOT's algorithm numbers (ROOT::RCompressionSetting::EAlgorithm). */
const ALGORITHM_CODE = { none: 0, zlib: 1, lz4: 4, zstd: 5 } as const;

/** fCompress of the file header and branches: algorithm * 100 + level. */
export function compressionCode(c: Compression): number {
  if (c.algorithm === 'none') return 0;
  return ALGORITHM_CODE[c.algorithm] * 100 + c.level;
}

export function validateCompression(c: Compression, file: string): void {
  if (!(c.algorithm in ALGORITHM_CODE)) {
    throw new RootWriteError(`${file}: unknown compression algorithm '${String(c.algorithm)}'`, file);
  }
  if (c.algorithm !== 'none' && (!Number.isInteger(c.level) || c.level < 1 || c.level > 9)) {
    throw new RootWriteError(`${file}: compression level must be an integer 1..9, got ${c.level}`, file);
  }
  if (c.algorithm === 'zstd' && !zstdEncoderLoaded()) {
    throw new RootWriteError(`${file}: zstd is not loaded: await loadZstdEncoder() before opening the file`, file);
  }
}

function writeHeader(out: Uint8Array, at: number, magic: string, method: number, csize: number, usize: number): void {
  out[at] = magic.charCodeAt(0);
  out[at + 1] = magic.charCodeAt(1);
  out[at + 2] = method;
  out[at + 3] = csize & 0xff;
  out[at + 4] = (csize >>> 8) & 0xff;
  out[at + 5] = (csize >>> 16) & 0xff;
  out[at + 6] = usize & 0xff;
  out[at + 7] = (usize >>> 8) & 0xff;
  out[at + 8] = (usize >>> 16) & 0xff;
}

function compressOne(block: Uint8Array, c: Compression, file: string): Uint8Array | null {
  if (c.algorithm === 'zlib') {
    const z = deflateSync(block, { level: c.level });
    if (z.length > MAX_BLOCK) return null;
    const out = new Uint8Array(HEADER + z.length);
    writeHeader(out, 0, 'ZL', 8, z.length, block.length);
    out.set(z, HEADER);
    return out;
  }
  if (c.algorithm === 'lz4') {
    const z = lz4CompressBlock(block);
    if (z === null || z.length + 8 > MAX_BLOCK) return null;
    const out = new Uint8Array(HEADER + 8 + z.length);
    // LZ4 blocks carry an 8-byte big-endian XXH64 checksum of the compressed bytes.
    writeHeader(out, 0, 'L4', 1, z.length + 8, block.length);
    new DataView(out.buffer).setBigUint64(HEADER, xxh64(z, 0));
    out.set(z, HEADER + 8);
    return out;
  }
  if (c.algorithm === 'zstd') {
    const z = zstdCompress(block, c.level, file);
    if (z === null || z.length > MAX_BLOCK) return null;
    const out = new Uint8Array(HEADER + z.length);
    writeHeader(out, 0, 'ZS', 1, z.length, block.length);
    out.set(z, HEADER);
    return out;
  }
  return null;
}

/**
 * Compresses `data` the way ROOT frames a key's payload, or returns null when it
 * should be stored raw (algorithm 'none', or the result would not be smaller).
 */
export function compressPayload(data: Uint8Array, c: Compression, file = 'ROOT file'): Uint8Array | null {
  if (c.algorithm === 'none' || data.length === 0) return null;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let at = 0; at < data.length; at += MAX_BLOCK) {
    const part = compressOne(data.subarray(at, Math.min(data.length, at + MAX_BLOCK)), c, file);
    if (part === null) return null;
    total += part.length;
    if (total >= data.length) return null;
    parts.push(part);
  }
  if (parts.length === 1) return parts[0] ?? null;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
