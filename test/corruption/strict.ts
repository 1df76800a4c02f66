// Whether a damaged record's compressed blocks still pass the checks ROOT's own
// decoders make (zlib: adler32 and length; lz4: the xxhash64 ROOT stores before
// each block; zstd: the official library, as jsroot calls it). jsroot's own
// inflate and lz4 check neither, so for damage inside a compressed stream its
// reading is no reference: a reader must refuse a block that fails these.
import { inflateSync } from 'node:zlib';
import * as jsrootIo from 'jsroot/io';
import { xxh64 } from '../root/xxhash64Reference.js';
import { parseKey } from './recordMap.js';

type Unzip = (view: DataView, tgtsize: number, noalert?: boolean) => Promise<DataView | null>;
const R__unzip = (jsrootIo as unknown as { R__unzip: Unzip }).R__unzip;

/** Null when every block of the record at `seek` decodes cleanly, else why not. */
export async function strictBlockProblem(data: Uint8Array, seek: number): Promise<string | null> {
  let r;
  try {
    r = parseKey(data, seek, 'strict', 'other');
  } catch (e) {
    return `key does not parse: ${(e as Error).message}`;
  }
  if (r.raw) return null;
  let at = r.payload.offset;
  const end = seek + r.nbytes;
  let written = 0;
  while (written < r.objlen) {
    if (at + 9 > end) return `blocks end after ${written} of ${r.objlen} bytes`;
    const magic = String.fromCharCode(data[at]!, data[at + 1]!);
    const csize = data[at + 3]! | (data[at + 4]! << 8) | (data[at + 5]! << 16);
    const usize = data[at + 6]! | (data[at + 7]! << 8) | (data[at + 8]! << 16);
    if (at + 9 + csize > end) return `${magic} block of ${csize} bytes past the record's end`;
    const payload = data.subarray(at + 9, at + 9 + csize);
    if (magic === 'ZL') {
      try {
        const out = inflateSync(payload);
        if (out.length !== usize) return `zlib block inflates to ${out.length} bytes, header says ${usize}`;
      } catch (e) {
        return `zlib: ${(e as Error).message}`;
      }
    } else if (magic === 'L4') {
      if (payload.length < 8) return 'lz4 block shorter than its checksum';
      const stored = new DataView(payload.buffer, payload.byteOffset, 8).getBigUint64(0);
      if (xxh64(payload.subarray(8), 0) !== stored) return 'lz4: the xxhash64 checksum does not match';
    } else if (magic === 'ZS') {
      // one block, framed as ROOT does, through jsroot's call of the official library
      const one = new Uint8Array(9 + csize);
      one.set(data.subarray(at, at + 9 + csize));
      try {
        const out = await R__unzip(new DataView(one.buffer), usize, true);
        if (!out) return 'zstd: libzstd does not decode the block';
      } catch (e) {
        return `zstd: ${(e as Error).message}`;
      }
    } else return null; // lzma, old formats: not in the corpus
    written += usize;
    at += 9 + csize;
  }
  return null;
}
