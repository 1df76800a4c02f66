// The file-level records: file header, TKey headers, the top directory (TFile
// record), the keys list and the free-segments list, in small (32-bit seek) and
// big (64-bit seek) forms. ROOT switches a record to the big form once any seek in
// it reaches kStartBigFile.

import { ByteWriter, tstringSize } from './buffer.js';

export const kStartBigFile = 2000000000;
export const kBEGIN = 100;
/** ROOT 6.24/00: the release whose class versions this writer mirrors. */
export const ROOT_VERSION = 62400;

/** ROOT's TDatime packing (local fields of the given date taken as UTC, so output does not depend on the machine's zone). */
export function datimeCode(d: Date): number {
  const year = d.getUTCFullYear();
  if (year < 1995 || year > 1995 + 63) return 0;
  return (
    (((year - 1995) << 26) |
      ((d.getUTCMonth() + 1) << 22) |
      (d.getUTCDate() << 17) |
      (d.getUTCHours() << 12) |
      (d.getUTCMinutes() << 6) |
      d.getUTCSeconds()) >>>
    0
  );
}

export interface KeyFields {
  readonly className: string;
  readonly name: string;
  readonly title: string;
  /** Total bytes on disk: key header + (compressed) payload. */
  readonly nbytes: number;
  /** Uncompressed payload length. */
  readonly objlen: number;
  readonly datime: number;
  readonly cycle: number;
  readonly seekKey: number;
  readonly seekPdir: number;
  /** Force the 64-bit form (TBasket keys are always written that way by ROOT 6). */
  readonly big?: boolean;
  /** Bytes of a subclass header that count as part of the key (TBasket's 19). */
  readonly extraKeyBytes?: number;
}

export function isBigKey(seekKey: number, seekPdir: number, forceBig = false): boolean {
  return forceBig || seekKey > kStartBigFile || seekPdir > kStartBigFile;
}

/** Length of a key header, which is also where ROOT's in-object offsets start. */
export function keyLength(className: string, name: string, title: string, big: boolean): number {
  return (big ? 34 : 26) + tstringSize(className) + tstringSize(name) + tstringSize(title);
}

export function writeKeyHeader(w: ByteWriter, k: KeyFields): void {
  const big = isBigKey(k.seekKey, k.seekPdir, k.big);
  const keylen = keyLength(k.className, k.name, k.title, big) + (k.extraKeyBytes ?? 0);
  w.i32(k.nbytes);
  w.i16(big ? 1004 : 4);
  w.i32(k.objlen);
  w.u32(k.datime);
  w.i16(keylen);
  w.i16(k.cycle);
  if (big) {
    w.i64(k.seekKey);
    w.i64(k.seekPdir);
  } else {
    w.i32(k.seekKey);
    w.i32(k.seekPdir);
  }
  w.tstring(k.className);
  w.tstring(k.name);
  w.tstring(k.title);
}

export interface HeaderFields {
  readonly end: number;
  readonly seekFree: number;
  readonly nbytesFree: number;
  readonly nfree: number;
  readonly nbytesName: number;
  readonly compress: number;
  readonly seekInfo: number;
  readonly nbytesInfo: number;
  readonly uuid: Uint8Array;
}

/** The first kBEGIN bytes of the file. */
export function serializeFileHeader(h: HeaderFields): Uint8Array {
  const w = new ByteWriter(kBEGIN);
  const big = h.end > kStartBigFile || h.seekFree > kStartBigFile || h.seekInfo > kStartBigFile;
  w.bytesIn(new Uint8Array([0x72, 0x6f, 0x6f, 0x74])); // "root"
  w.i32(big ? ROOT_VERSION + 1000000 : ROOT_VERSION);
  w.i32(kBEGIN);
  if (big) {
    w.i64(h.end);
    w.i64(h.seekFree);
  } else {
    w.i32(h.end);
    w.i32(h.seekFree);
  }
  w.i32(h.nbytesFree);
  w.i32(h.nfree);
  w.i32(h.nbytesName);
  w.u8(big ? 8 : 4); // fUnits
  w.i32(h.compress);
  if (big) w.i64(h.seekInfo);
  else w.i32(h.seekInfo);
  w.i32(h.nbytesInfo);
  w.i16(1); // TUUID version
  w.bytesIn(h.uuid);
  const out = new Uint8Array(kBEGIN);
  out.set(w.bytes());
  return out;
}

export interface DirectoryFields {
  readonly datimeC: number;
  readonly datimeM: number;
  readonly nbytesKeys: number;
  readonly nbytesName: number;
  readonly seekDir: number;
  readonly seekParent: number;
  readonly seekKeys: number;
  readonly uuid: Uint8Array;
}

/** TDirectory record size: small form is padded so it can later grow into the big form in place. */
export const DIRECTORY_RECORD_BYTES = 2 + 4 + 4 + 4 + 4 + 8 + 8 + 8 + 2 + 16;

export function writeDirectoryRecord(w: ByteWriter, d: DirectoryFields): void {
  const big = d.seekDir > kStartBigFile || d.seekParent > kStartBigFile || d.seekKeys > kStartBigFile;
  w.i16(big ? 1005 : 5);
  w.u32(d.datimeC);
  w.u32(d.datimeM);
  w.i32(d.nbytesKeys);
  w.i32(d.nbytesName);
  if (big) {
    w.i64(d.seekDir);
    w.i64(d.seekParent);
    w.i64(d.seekKeys);
  } else {
    w.i32(d.seekDir);
    w.i32(d.seekParent);
    w.i32(d.seekKeys);
  }
  w.i16(1); // TUUID version
  w.bytesIn(d.uuid);
  if (!big) {
    w.i32(0);
    w.i32(0);
    w.i32(0);
  }
}

/** The TFree list: the only free segment is [end, infinity). */
export function serializeFreeSegments(end: number): Uint8Array {
  const w = new ByteWriter(32);
  if (end > kStartBigFile) {
    let infinity = kStartBigFile;
    while (end >= infinity) infinity *= 2;
    w.i16(1001);
    w.i64(end);
    w.i64(infinity);
  } else {
    w.i16(1);
    w.i32(end);
    w.i32(kStartBigFile);
  }
  return w.toUint8Array();
}

/** Payload of the keys list: the number of keys, then each key's header. */
export function serializeKeysList(keys: readonly KeyFields[]): Uint8Array {
  const w = new ByteWriter(64 * (keys.length + 1));
  w.i32(keys.length);
  for (const k of keys) writeKeyHeader(w, k);
  return w.toUint8Array();
}
