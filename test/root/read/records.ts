// Every record (TKey) of a ROOT file, found by walking the file from fBEGIN to fEND
// as ROOT lays it out (records back to back, free gaps as negative lengths): the
// metadata keys and every basket, with their compressed payloads.
import { readFileSync } from 'node:fs';

export interface FileRecord {
  /** Byte offset of the key in the file. */
  readonly at: number;
  readonly keylen: number;
  readonly objlen: number;
  /** The bytes after the key header (fNbytes - fKeylen of them). */
  readonly payload: Uint8Array;
  readonly compressed: boolean;
}

export interface WalkedFile {
  readonly bytes: Uint8Array;
  readonly records: FileRecord[];
  /** Where the walk ended; fEND for a well-formed file. */
  readonly end: number;
  readonly fEND: number;
}

export function walkRecords(path: string): WalkedFile {
  const bytes = new Uint8Array(readFileSync(path));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const big = dv.getInt32(4) > 1_000_000;
  const fEND = big ? Number(dv.getBigInt64(12)) : dv.getInt32(12);
  const records: FileRecord[] = [];
  let at = dv.getInt32(8);
  while (at < fEND && at + 18 <= bytes.length) {
    const n = dv.getInt32(at);
    if (n < 0) {
      at -= n; // a free gap
      continue;
    }
    if (n === 0) break;
    const objlen = dv.getInt32(at + 6);
    const keylen = dv.getInt16(at + 14);
    records.push({ at, keylen, objlen, payload: bytes.subarray(at + keylen, at + n), compressed: n - keylen !== objlen });
    at += n;
  }
  return { bytes, records, end: at, fEND };
}

export interface RootBlock {
  readonly record: FileRecord;
  /** Offset of the block's 9-byte header in the record's payload. */
  readonly offset: number;
  readonly magic: string;
  /** The block's data after its 9-byte header. */
  readonly data: Uint8Array;
  readonly uncompressedBytes: number;
}

/** The compression blocks of every compressed record, in file order. */
export function rootBlocks(f: WalkedFile): RootBlock[] {
  const out: RootBlock[] = [];
  for (const record of f.records) {
    if (!record.compressed) continue;
    const p = record.payload;
    for (let o = 0; o + 9 <= p.length; ) {
      const c = p[o + 3]! | (p[o + 4]! << 8) | (p[o + 5]! << 16);
      const u = p[o + 6]! | (p[o + 7]! << 8) | (p[o + 8]! << 16);
      out.push({ record, offset: o, magic: String.fromCharCode(p[o]!, p[o + 1]!), data: p.subarray(o + 9, o + 9 + c), uncompressedBytes: u });
      o += 9 + c;
    }
  }
  return out;
}
