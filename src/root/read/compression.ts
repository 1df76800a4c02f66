// ROOT's compressed-buffer framing: a sequence of blocks, each with a 9-byte
// header (2 magic bytes, 1 method byte, 3-byte little-endian compressed size,
// 3-byte little-endian uncompressed size), decompressed one after the other
// into the basket's fObjlen bytes.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { decompress as zstdDecompress } from 'fzstd';
import { inflater, InflateError } from './inflate.js';

export type CompressionName = 'zlib' | 'lzma' | 'lz4' | 'zstd' | 'old-root';

export interface BlockInfo {
  readonly algorithm: CompressionName;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

/** Raised with a plain message; the basket layer adds file/tree/branch. */
export class DecompressionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecompressionError';
  }
}

/** The LZMA decoder is loaded asynchronously: call loadLzma() and retry. */
export class LzmaNotLoadedError extends DecompressionError {
  constructor() {
    super('LZMA decoder not loaded (call loadLzma() first)');
    this.name = 'LzmaNotLoadedError';
  }
}

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

// --- LZMA: jsroot ships a JavaScript decoder of ROOT's "XZ" blocks. It is
// not in jsroot's export map, so it is located next to jsroot/io and loaded on
// first use (only LZMA-compressed files pay for it).
type LzmaDecompress = (src: Uint8Array, dst: Uint8Array, expected: number) => number;
let lzmaDecoder: LzmaDecompress | null = null;

function isLzmaModule(m: unknown): m is { decompress: LzmaDecompress } {
  return typeof m === 'object' && m !== null && typeof (m as { decompress?: unknown }).decompress === 'function';
}

/** Loads codecs that need an async import. Cheap after the first call. */
export async function loadLzma(): Promise<void> {
  if (lzmaDecoder !== null) return;
  const ioPath = createRequire(import.meta.url).resolve('jsroot/io');
  const mod: unknown = await import(new URL('./base/lzma.mjs', pathToFileURL(ioPath)).href);
  if (!isLzmaModule(mod)) throw new DecompressionError('jsroot LZMA decoder not found');
  lzmaDecoder = mod.decompress;
}

export function lzmaLoaded(): boolean {
  return lzmaDecoder !== null;
}

/**
 * LZ4 block format (no frame). ROOT prefixes each block with an 8-byte xxhash64
 * of the compressed data, skipped here: the output length is checked instead.
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
    dst.set(src.subarray(i, i + lit), j);
    i += lit;
    j += lit;
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
    if (offset >= len) {
      dst.copyWithin(j, p, p + len);
      j += len;
    } else {
      // overlapping copy repeats the pattern: byte by byte
      const end = j + len;
      while (j < end) dst[j++] = dst[p++]!;
    }
  }
  return j;
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
    case 'zstd': {
      const res = zstdDecompress(payload, dst);
      got = res.length;
      if (res.buffer !== dst.buffer || res.byteOffset !== dst.byteOffset) {
        if (got === size) dst.set(res);
      }
      break;
    }
    case 'lz4':
      if (payload.length < 8) throw new DecompressionError('LZ4 block shorter than its checksum');
      got = lz4DecodeBlock(payload.subarray(8), dst);
      break;
    case 'lzma':
      if (lzmaDecoder === null) throw new LzmaNotLoadedError();
      got = lzmaDecoder(payload, dst, size);
      break;
    case 'old-root':
      throw new DecompressionError("ROOT's old 'CS' compression algorithm is not supported");
  }
  if (got !== size) {
    throw new DecompressionError(`${algorithm} block decompressed to ${got} bytes, its header says ${size}`);
  }
}

/**
 * Decompresses ROOT blocks in `src` into exactly `expected` bytes, into `into` when
 * given (at least `expected` bytes; one more spares zlib a second call per basket).
 */
export function decompressRoot(src: Uint8Array, expected: number, blocks?: BlockInfo[], into?: Uint8Array): Uint8Array {
  if (into && into.length < expected) throw new RangeError(`decompression target of ${into.length} bytes is smaller than ${expected}`);
  const dst = into ?? new Uint8Array(expected + 1);
  let at = 0;
  let written = 0;
  while (written < expected) {
    if (at + HEADER > src.length) {
      throw new DecompressionError(`compressed data ends after ${written} of ${expected} bytes`);
    }
    const algorithm = blockAlgorithm(src, at);
    if (algorithm === null) {
      throw new DecompressionError(
        `unknown compression block magic 0x${(src[at] ?? 0).toString(16)}${(src[at + 1] ?? 0).toString(16)} at byte ${at}`,
      );
    }
    const c = src[at + 3]! | (src[at + 4]! << 8) | (src[at + 5]! << 16);
    const u = src[at + 6]! | (src[at + 7]! << 8) | (src[at + 8]! << 16);
    if (at + HEADER + c > src.length) throw new DecompressionError(`${algorithm} block of ${c} bytes is truncated`);
    if (written + u > expected) throw new DecompressionError(`blocks decompress to more than the ${expected} bytes expected`);
    const payload = src.subarray(at + HEADER, at + HEADER + c);
    blocks?.push({ algorithm, compressedBytes: c, uncompressedBytes: u });
    try {
      // zlib may write the byte after this block (the next block's first, or the spare).
      decodeBlock(algorithm, payload, dst, written, u);
    } catch (e) {
      if (e instanceof DecompressionError) throw e;
      const message = e instanceof InflateError ? e.message : `${algorithm} block failed to decompress: ${(e as Error).message}`;
      throw new DecompressionError(message, { cause: e });
    }
    written += u;
    at += HEADER + c;
  }
  return dst.subarray(0, expected);
}
