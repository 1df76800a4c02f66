// ROOT's compressed-buffer framing: a sequence of blocks, each with a 9-byte
// header (2 magic bytes, 1 method byte, 3-byte little-endian compressed size,
// 3-byte little-endian uncompressed size), decompressed one after the other
// into the basket's fObjlen bytes.
//
// Every block is checked as the reference library checks it (ROOT's R__unzip and
// uproot's decompress): zlib's own stream check (Adler-32), the xxhash64 ROOT stores
// in front of each LZ4 block, libzstd itself for zstd, the xz container's CRCs and
// integrity check for LZMA. Bytes are handed back only when every block decoded to
// exactly its size and the blocks tile the compressed data exactly.
import { pathToFileURL } from 'node:url';
import { packagePath } from '../../packageRoot.js';
import { inflater, InflateError } from './inflate.js';
import { DecompressionError, LzmaNotLoadedError, UnsupportedCompressionError } from './decompressionError.js';
import { zstdDecompressInto } from './zstd.js';
import { parseXzStream, requireJsrootLayout, verifyXzChecks } from './xz.js';
import { xxh64, xxh64Is } from '../xxhash64.js';

export { DecompressionError, LzmaNotLoadedError, UnsupportedCompressionError };

export type CompressionName = 'zlib' | 'lzma' | 'lz4' | 'zstd' | 'old-root';

export interface BlockInfo {
  readonly algorithm: CompressionName;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

/**
 * The largest uncompressed size accepted (1 GiB): ROOT's keys and baskets stay far
 * below it (TBuffer's limit is 2 GiB, a basket's default size 32 KB), so a larger
 * fObjlen is a damaged header, not something to allocate.
 */
export const MAX_UNCOMPRESSED_BYTES = 1 << 30;

const HEADER = 9;

export function blockAlgorithm(src: Uint8Array, at: number): CompressionName | null {
  const a = src[at];
  const b = src[at + 1];
  if (a === 0x5a && b === 0x4c) return 'zlib'; // "ZL"
  if (a === 0x58 && b === 0x5a) return 'lzma'; // "XZ"
  if (a === 0x4c && b === 0x34) return 'lz4'; // "L4"
  if (a === 0x5a && b === 0x53) return 'zstd'; // "ZS"
  if (a === 0x43 && b === 0x53) return 'old-root'; // "CS": ROOT's pre-zlib algorithm
  return null;
}

/** Lists the blocks without decompressing them (for `inspect`). */
export function listBlocks(src: Uint8Array): BlockInfo[] {
  const out: BlockInfo[] = [];
  let at = 0;
  while (at + HEADER <= src.length) {
    const algorithm = blockAlgorithm(src, at);
    if (algorithm === null) break;
    const c = src[at + 3]! | (src[at + 4]! << 8) | (src[at + 5]! << 16);
    const u = src[at + 6]! | (src[at + 7]! << 8) | (src[at + 8]! << 16);
    out.push({ algorithm, compressedBytes: c, uncompressedBytes: u });
    at += HEADER + c;
  }
  return out;
}

// --- LZMA: jsroot ships a JavaScript decoder of ROOT's "XZ" blocks. It is not in
// jsroot's export map: the build copies it as it is to dist/vendor/, from where it
// is loaded on first use (only LZMA-compressed files pay for it).
type LzmaDecompress = (src: Uint8Array, dst: Uint8Array, expected: number) => number;
let lzmaDecoder: LzmaDecompress | null = null;

function isLzmaModule(m: unknown): m is { decompress: LzmaDecompress } {
  return typeof m === 'object' && m !== null && typeof (m as { decompress?: unknown }).decompress === 'function';
}

/** Loads codecs that need an async import. Cheap after the first call. */
export async function loadLzma(): Promise<void> {
  if (lzmaDecoder !== null) return;
  const path = packagePath('dist', 'vendor', 'jsroot-lzma.mjs');
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    throw new DecompressionError(`LZMA decoder not loaded: cannot load ${path} (${(e as Error).message}); run npm run build, or reinstall mssi`, { cause: e });
  }
  if (!isLzmaModule(mod)) throw new DecompressionError(`LZMA decoder not loaded: ${path} exports no decompress (a changed jsroot?)`);
  lzmaDecoder = mod.decompress;
}

export function lzmaLoaded(): boolean {
  return lzmaDecoder !== null;
}

/**
 * LZ4 block format (no frame): decodes `src` into `dst`, returns the bytes written.
 * (ROOT's 8-byte checksum in front of the block is checked by the caller.)
 */
export function lz4DecodeBlock(src: Uint8Array, dst: Uint8Array): number {
  let i = 0;
  let j = 0;
  const n = src.length;
  const m = dst.length;
  while (i < n) {
    const token = src[i++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let l: number;
      do {
        if (i >= n) throw new DecompressionError('LZ4: truncated literal length');
        l = src[i++]!;
        lit += l;
      } while (l === 255);
    }
    if (i + lit > n || j + lit > m) throw new DecompressionError('LZ4: literal run past the end of a buffer');
    if (lit < 32) {
      // short runs, the common case: a loop beats creating a subarray for set()
      for (const end = i + lit; i < end; ) dst[j++] = src[i++]!;
    } else {
      dst.set(src.subarray(i, i + lit), j);
      i += lit;
      j += lit;
    }
    if (i === n) break; // the last sequence has literals only
    if (i + 2 > n) throw new DecompressionError('LZ4: truncated match offset');
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    if (offset === 0 || offset > j) throw new DecompressionError(`LZ4: bad match offset ${offset}`);
    let len = token & 15;
    if (len === 15) {
      let l: number;
      do {
        if (i >= n) throw new DecompressionError('LZ4: truncated match length');
        l = src[i++]!;
        len += l;
      } while (l === 255);
    }
    len += 4;
    if (j + len > m) throw new DecompressionError('LZ4: match past the end of the output');
    let p = j - offset;
    if (offset >= len && len >= 32) {
      dst.copyWithin(j, p, p + len);
      j += len;
    } else {
      // short or overlapping (which repeats the pattern): byte by byte
      const end = j + len;
      while (j < end) dst[j++] = dst[p++]!;
    }
  }
  return j;
}

const hex64 = (hi: number, lo: number): string => `0x${(hi >>> 0).toString(16).padStart(8, '0')}${(lo >>> 0).toString(16).padStart(8, '0')}`;

/** ROOT's LZ4 block: an 8-byte big-endian XXH64 (seed 0) of the LZ4 data that follows it. */
function checkLz4Checksum(payload: Uint8Array): Uint8Array {
  if (payload.length <= 8) throw new DecompressionError(`lz4 block of ${payload.length} bytes holds no data after its 8-byte checksum`);
  const data = payload.subarray(8);
  const hi = (payload[0]! << 24) | (payload[1]! << 16) | (payload[2]! << 8) | payload[3]!;
  const lo = (payload[4]! << 24) | (payload[5]! << 16) | (payload[6]! << 8) | payload[7]!;
  if (!xxh64Is(data, hi, lo)) {
    const computed = xxh64(data);
    throw new DecompressionError(
      `lz4 block checksum mismatch (xxhash64 stored ${hex64(hi, lo)}, computed ${hex64(Number(computed >> 32n), Number(computed & 0xffffffffn))}): the block is damaged`,
    );
  }
  return data;
}

/** One block into `out[at, at + size)`; zlib may also write the byte after it. */
function decodeBlock(algorithm: CompressionName, payload: Uint8Array, out: Uint8Array, at: number, size: number): void {
  if (algorithm === 'zlib') {
    inflater().inflateInto(payload, out, at, size);
    return;
  }
  const dst = out.subarray(at, at + size);
  let got: number;
  switch (algorithm) {
    case 'zstd':
      zstdDecompressInto(payload, dst); // exactly `size` bytes or a DecompressionError
      return;
    case 'lz4':
      got = lz4DecodeBlock(checkLz4Checksum(payload), dst);
      break;
    case 'lzma': {
      const stream = parseXzStream(payload);
      requireJsrootLayout(payload, stream, size);
      if (lzmaDecoder === null) throw new LzmaNotLoadedError();
      got = lzmaDecoder(payload, dst, size);
      if (got === size) verifyXzChecks(payload, stream, dst);
      break;
    }
    case 'old-root':
      throw new UnsupportedCompressionError("ROOT's old 'CS' compression algorithm is not supported");
  }
  if (got !== size) {
    throw new DecompressionError(`${algorithm} block decompressed to ${got} bytes, its header says ${size}`);
  }
}

/** A decoder's own exception, as a message that names no JavaScript internals. */
function decoderFailure(algorithm: CompressionName, e: unknown): string {
  if (e instanceof InflateError) return e.message;
  if (e instanceof TypeError || e instanceof RangeError || !(e instanceof Error)) return `the ${algorithm} decoder failed on damaged data`;
  return `the ${algorithm} decoder failed: ${e.message}`;
}

/**
 * Decompresses the ROOT blocks that make up all of `src` into exactly `expected`
 * bytes, into `into` when given (at least `expected` bytes; one more spares zlib a
 * second call per basket). The result is a view of exactly `expected` bytes, every
 * one written by this call; anything else is a DecompressionError that names the
 * block (index, byte offset in `src`), what was expected and what was found.
 */
export function decompressRoot(src: Uint8Array, expected: number, blocks?: BlockInfo[], into?: Uint8Array): Uint8Array {
  if (!Number.isInteger(expected) || expected < 0 || expected > MAX_UNCOMPRESSED_BYTES) {
    throw new DecompressionError(`uncompressed size ${expected} is not an integer in 0..${MAX_UNCOMPRESSED_BYTES} (a damaged key header)`);
  }
  if (into && into.length < expected) {
    throw new DecompressionError(`decompression target of ${into.length} bytes is smaller than the ${expected} bytes expected`);
  }
  const dst = into ?? new Uint8Array(expected + 1);
  let at = 0;
  let written = 0;
  let index = 0;
  while (at < src.length) {
    const where = `block ${index} at byte ${at} of ${src.length}`;
    if (written === expected) {
      throw new DecompressionError(`${src.length - at} bytes follow the last block (at byte ${at} of ${src.length}), after all ${expected} bytes expected were decoded`);
    }
    if (at + HEADER > src.length) {
      throw new DecompressionError(`${where}: ${src.length - at} bytes left, shorter than a 9-byte block header (${written} of ${expected} bytes decoded)`);
    }
    const algorithm = blockAlgorithm(src, at);
    if (algorithm === null) {
      const magic = Array.from(src.subarray(at, at + 2), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new DecompressionError(`${where}: unknown compression block magic ${magic} (expected ZL, XZ, L4 or ZS)`);
    }
    const c = src[at + 3]! | (src[at + 4]! << 8) | (src[at + 5]! << 16);
    const u = src[at + 6]! | (src[at + 7]! << 8) | (src[at + 8]! << 16);
    if (c === 0 || u === 0) {
      throw new DecompressionError(`${where}: ${algorithm} block header gives ${c} compressed and ${u} uncompressed bytes (both must be > 0)`);
    }
    if (at + HEADER + c > src.length) {
      throw new DecompressionError(`${where}: ${algorithm} block of ${c} compressed bytes runs past the end of the ${src.length} given (truncated)`);
    }
    if (written + u > expected) {
      throw new DecompressionError(`${where}: ${algorithm} block of ${u} bytes after ${written} overruns the ${expected} bytes expected`);
    }
    const payload = src.subarray(at + HEADER, at + HEADER + c);
    blocks?.push({ algorithm, compressedBytes: c, uncompressedBytes: u });
    try {
      // zlib may write the byte after this block (the next block's first, or the spare).
      decodeBlock(algorithm, payload, dst, written, u);
    } catch (e) {
      if (e instanceof LzmaNotLoadedError) throw e;
      // the decoder's finding first, then where: "zlib stream ended after ... (block 0 at byte 0 of 812)"
      if (e instanceof UnsupportedCompressionError) throw new UnsupportedCompressionError(`${e.message} (${where})`);
      const message = e instanceof DecompressionError ? e.message : decoderFailure(algorithm, e);
      throw new DecompressionError(`${message} (${where})`, { cause: e });
    }
    written += u;
    at += HEADER + c;
    index++;
  }
  if (written !== expected) {
    throw new DecompressionError(`compressed data of ${src.length} bytes (${index} blocks) decompresses to ${written} bytes, ${expected} expected`);
  }
  return dst.subarray(0, expected);
}
