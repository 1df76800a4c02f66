// The container of ROOT's "XZ" blocks: one xz stream (The .xz File Format, 1.1.0:
// stream header, blocks, index, stream footer), checked as liblzma checks it when
// ROOT decodes (lzma_stream_decoder, then lzma_code): every header and the index
// carry a CRC32, and each block ends with an integrity check of its uncompressed
// bytes (CRC32 for ROOT's files, or CRC64 / SHA-256 / none per the stream flags).
//
// jsroot's LZMA decoder, which does the decoding, reads none of this: it starts at a
// fixed offset (29: stream header, a 12-byte block header, the first LZMA2 chunk's
// control and size bytes) and decodes raw LZMA from there. So the layout is checked
// first (it must be the one jsroot assumes), and the integrity check after.
import { createHash } from 'node:crypto';
import { crc32, crc64 } from './crc.js';
import { DecompressionError, UnsupportedCompressionError } from './decompressionError.js';

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FOOTER_MAGIC = [0x59, 0x5a]; // "YZ"
const LZMA2_FILTER = 0x21;
/** Bytes of an integrity check by check ID (xz format 2.1.1.2). */
const CHECK_BYTES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64] as const;
const CHECK_NAMES: Readonly<Record<number, string>> = { 0: 'none', 1: 'CRC32', 4: 'CRC64', 10: 'SHA-256' };

export interface XzBlock {
  /** Compressed data: [dataStart, dataEnd) of the stream. */
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly headerBytes: number;
  readonly uncompressedBytes: number;
  /** Where the block's integrity check is stored. */
  readonly checkAt: number;
}

export interface XzStream {
  readonly checkType: number;
  readonly blocks: readonly XzBlock[];
}

const le32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

function fail(message: string): never {
  throw new DecompressionError(`xz stream: ${message}`);
}

function unsupported(message: string): never {
  throw new UnsupportedCompressionError(`xz stream: ${message}`);
}

/** A multibyte integer (xz format 1.2): up to 9 bytes, 7 bits each, little-endian. */
function varint(b: Uint8Array, at: number, end: number, what: string): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    if (at + i >= end) fail(`${what} runs past its header (byte ${at + i})`);
    const byte = b[at + i]!;
    if (byte === 0 && i > 0) fail(`${what} at byte ${at} is not in its shortest form`);
    value += (byte & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) fail(`${what} at byte ${at} is too large`);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
    scale *= 128;
  }
  return fail(`${what} at byte ${at} is longer than 9 bytes`);
}

function checkCrc32(b: Uint8Array, from: number, to: number, storedAt: number, what: string): void {
  const stored = le32(b, storedAt);
  const computed = crc32(b.subarray(from, to));
  if (stored !== computed) fail(`${what} CRC32 mismatch (stored ${hex(stored)}, computed ${hex(computed)})`);
}

function parseBlockHeader(b: Uint8Array, at: number, indexStart: number, index: number): { headerBytes: number; compressed: number | null; uncompressed: number | null } {
  const headerBytes = (b[at]! + 1) * 4;
  if (b[at] === 0) fail(`block ${index} at byte ${at} is missing (found the index indicator)`);
  if (at + headerBytes > indexStart) fail(`block ${index} header of ${headerBytes} bytes at byte ${at} runs into the index`);
  const end = at + headerBytes - 4;
  checkCrc32(b, at, end, end, `block ${index} header`);
  const flags = b[at + 1]!;
  if (flags & 0x3c) fail(`block ${index} header has reserved flag bits set (0x${flags.toString(16)})`);
  let p = at + 2;
  let compressed: number | null = null;
  let uncompressed: number | null = null;
  if (flags & 0x40) [compressed, p] = varint(b, p, end, `block ${index} compressed size`);
  if (flags & 0x80) [uncompressed, p] = varint(b, p, end, `block ${index} uncompressed size`);
  const filters = (flags & 3) + 1;
  for (let f = 0; f < filters; f++) {
    let id: number;
    let propsBytes: number;
    [id, p] = varint(b, p, end, `block ${index} filter ID`);
    [propsBytes, p] = varint(b, p, end, `block ${index} filter properties size`);
    if (p + propsBytes > end) fail(`block ${index} filter properties run past the header`);
    if (filters !== 1 || id !== LZMA2_FILTER) {
      unsupported(`block ${index} uses filter 0x${id.toString(16)}${filters > 1 ? ` among ${filters} filters` : ''}: not supported (only a single LZMA2 filter, 0x21)`);
    }
    p += propsBytes;
  }
  for (; p < end; p++) if (b[p] !== 0) fail(`block ${index} header padding byte ${p} is not zero`);
  return { headerBytes, compressed, uncompressed };
}

/** Parses and checks the structure of the xz stream `b` (all of it); throws DecompressionError. */
export function parseXzStream(b: Uint8Array): XzStream {
  const n = b.length;
  if (n < 24) fail(`${n} bytes, shorter than a stream header and footer (24)`);
  for (let i = 0; i < 6; i++) if (b[i] !== MAGIC[i]) fail('no xz stream header magic (FD 37 7A 58 5A 00) at byte 0');
  checkCrc32(b, 6, 8, 8, 'stream header');
  if (b[6] !== 0 || (b[7]! & 0xf0) !== 0) fail(`stream flags 0x${b[6]!.toString(16)}${b[7]!.toString(16)} have reserved bits set`);
  const checkType = b[7]! & 0x0f;
  if (CHECK_NAMES[checkType] === undefined) {
    fail(`integrity check type 0x${checkType.toString(16)} is not one xz defines (none, CRC32, CRC64, SHA-256): cannot verify the block`);
  }
  const checkBytes = CHECK_BYTES[checkType]!;
  // footer: CRC32, backward size, stream flags, "YZ"
  const f = n - 12;
  if (b[n - 2] !== FOOTER_MAGIC[0] || b[n - 1] !== FOOTER_MAGIC[1]) fail(`no stream footer magic ("YZ") at byte ${n - 2}: truncated or followed by other bytes`);
  checkCrc32(b, f + 4, f + 10, f, 'stream footer');
  if (b[f + 8] !== b[6] || b[f + 9] !== b[7]) fail('stream flags of the header and the footer differ');
  const indexBytes = (le32(b, f + 4) + 1) * 4;
  const indexStart = f - indexBytes;
  if (indexStart < 12) fail(`index of ${indexBytes} bytes (footer's backward size) does not fit in the stream`);
  // index: indicator 0, record count, (unpadded, uncompressed) records, padding, CRC32
  if (b[indexStart] !== 0) fail(`no index indicator at byte ${indexStart}`);
  checkCrc32(b, indexStart, f - 4, f - 4, 'index');
  let p = indexStart + 1;
  let count: number;
  [count, p] = varint(b, p, f - 4, 'index record count');
  const records: [number, number][] = [];
  for (let r = 0; r < count; r++) {
    let unpadded: number;
    let uncompressed: number;
    [unpadded, p] = varint(b, p, f - 4, `index record ${r} unpadded size`);
    [uncompressed, p] = varint(b, p, f - 4, `index record ${r} uncompressed size`);
    records.push([unpadded, uncompressed]);
  }
  // the index is a multiple of 4 bytes long: its records are followed by 0..3 zero bytes
  if (f - 4 - p > 3) fail(`index records end at byte ${p}, ${f - 4 - p} bytes before the index CRC32 (at most 3 padding bytes)`);
  for (let q = p; q < f - 4; q++) if (b[q] !== 0) fail(`index padding byte ${q} is not zero`);
  // blocks, tiling [12, indexStart)
  const blocks: XzBlock[] = [];
  let at = 12;
  records.forEach(([unpadded, uncompressed], i) => {
    const h = parseBlockHeader(b, at, indexStart, i);
    const compressed = unpadded - h.headerBytes - checkBytes;
    if (compressed <= 0) fail(`block ${i}: index unpadded size ${unpadded} leaves no compressed data`);
    if (h.compressed !== null && h.compressed !== compressed) fail(`block ${i} header says ${h.compressed} compressed bytes, the index ${compressed}`);
    if (h.uncompressed !== null && h.uncompressed !== uncompressed) fail(`block ${i} header says ${h.uncompressed} uncompressed bytes, the index ${uncompressed}`);
    const dataStart = at + h.headerBytes;
    const dataEnd = dataStart + compressed;
    const checkAt = dataStart + compressed + ((4 - (compressed % 4)) % 4);
    if (checkAt + checkBytes > indexStart) fail(`block ${i} of ${compressed} compressed bytes (per the index) runs into the index at byte ${indexStart}`);
    for (let q = dataEnd; q < checkAt; q++) if (b[q] !== 0) fail(`block ${i} padding byte ${q} is not zero`);
    blocks.push({ dataStart, dataEnd, headerBytes: h.headerBytes, uncompressedBytes: uncompressed, checkAt });
    at = checkAt + checkBytes;
  });
  if (at !== indexStart) fail(`blocks end at byte ${at}, the index starts at byte ${indexStart}`);
  if (blocks.length === 0) fail('no block');
  return { checkType, blocks };
}

/**
 * Throws unless jsroot's decoder can read `s` into `expected` bytes: one block with a 12-byte header, whose
 * LZMA2 data is one LZMA chunk that resets the dictionary and sets new properties,
 * then the end marker. Other valid layouts (several chunks: over 64 KiB compressed or
 * 2 MiB uncompressed; uncompressed chunks) are UnsupportedCompressionErrors, not damage.
 */
export function requireJsrootLayout(b: Uint8Array, s: XzStream, expected: number): void {
  if (s.blocks.length !== 1) unsupported(`${s.blocks.length} blocks: not supported by the LZMA decoder (jsroot's), which reads streams of one block`);
  const blk = s.blocks[0]!;
  if (blk.headerBytes !== 12) unsupported(`block header of ${blk.headerBytes} bytes: not supported by the LZMA decoder (jsroot's), which reads 12-byte block headers`);
  // walk the LZMA2 chunks (xz's LZMA2: control byte, sizes, [properties])
  let p = blk.dataStart;
  let chunks = 0;
  let firstControl = -1;
  let unpackedTotal = 0;
  for (;;) {
    if (p >= blk.dataEnd) fail(`LZMA2 data of block 0 ends at byte ${p} without its end marker`);
    const c = b[p]!;
    if (c === 0) {
      p++;
      break;
    }
    if (firstControl < 0) firstControl = c;
    chunks++;
    if (c === 1 || c === 2) {
      if (p + 3 > blk.dataEnd) fail(`LZMA2 chunk header at byte ${p} is truncated`);
      const size = ((b[p + 1]! << 8) | b[p + 2]!) + 1;
      unpackedTotal += size;
      p += 3 + size;
    } else if (c >= 0x80) {
      const withProps = c >= 0xc0;
      if (p + (withProps ? 6 : 5) > blk.dataEnd) fail(`LZMA2 chunk header at byte ${p} is truncated`);
      unpackedTotal += ((c & 0x1f) << 16) + ((b[p + 1]! << 8) | b[p + 2]!) + 1;
      const packed = ((b[p + 3]! << 8) | b[p + 4]!) + 1;
      p += (withProps ? 6 : 5) + packed;
    } else {
      fail(`invalid LZMA2 control byte 0x${c.toString(16)} at byte ${p}`);
    }
  }
  if (p !== blk.dataEnd) fail(`LZMA2 end marker at byte ${p - 1}, but the block's compressed data ends at byte ${blk.dataEnd}`);
  if (unpackedTotal !== blk.uncompressedBytes) fail(`LZMA2 chunks hold ${unpackedTotal} bytes, the index says ${blk.uncompressedBytes}`);
  if (blk.uncompressedBytes !== expected) fail(`the index says ${blk.uncompressedBytes} uncompressed bytes, the ROOT block header ${expected}`);
  if (chunks !== 1 || firstControl < 0xe0) {
    const kind = firstControl < 0xe0 ? `, the first ${firstControl <= 2 ? 'stored uncompressed' : 'without a dictionary reset'}` : '';
    unsupported(`${chunks} LZMA2 chunk(s)${kind}: not supported by the LZMA decoder (jsroot's), which reads one LZMA chunk (up to 64 KiB compressed, 2 MiB uncompressed)`);
  }
}

/** Verifies each block's integrity check against the bytes it decoded to (`out`, all blocks in order). */
export function verifyXzChecks(b: Uint8Array, s: XzStream, out: Uint8Array): void {
  let from = 0;
  for (const [i, blk] of s.blocks.entries()) {
    const data = out.subarray(from, from + blk.uncompressedBytes);
    from += blk.uncompressedBytes;
    const at = blk.checkAt;
    let stored: string;
    let computed: string;
    switch (s.checkType) {
      case 0:
        continue;
      case 1:
        stored = hex(le32(b, at));
        computed = hex(crc32(data));
        break;
      case 4: {
        const [h, l] = crc64(data);
        stored = `0x${le32(b, at + 4).toString(16).padStart(8, '0')}${le32(b, at).toString(16).padStart(8, '0')}`;
        computed = `0x${h.toString(16).padStart(8, '0')}${l.toString(16).padStart(8, '0')}`;
        break;
      }
      default: // 10: SHA-256 (parseXzStream admits no other)
        stored = Buffer.from(b.subarray(at, at + 32)).toString('hex');
        computed = createHash('sha256').update(data).digest('hex');
    }
    if (stored !== computed) {
      fail(`block ${i} ${CHECK_NAMES[s.checkType]} check mismatch (stored ${stored}, computed ${computed} over its ${blk.uncompressedBytes} decoded bytes): the block is damaged`);
    }
  }
}
