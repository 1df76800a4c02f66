// TBasket records: the TKey header, the basket header, decompression, and the
// split of the uncompressed bytes into entry data and the entry-offset table.
// Layout as in ROOT's TBasket::Streamer / uproot's models/TBasket.py.
import type { ByteSource } from './source.js';
import type { BasketInfo } from './metadata.js';
import { CorruptBasketError, UnsupportedBranchError, type ErrorPlace } from './errors.js';
import { MAX_OBJECT_BYTES } from './structure.js';
import { decompressRoot, DecompressionError, LzmaNotLoadedError, UnsupportedCompressionError, type BlockInfo } from './compression.js';

export interface BasketHeader {
  readonly nbytes: number;
  readonly keyVersion: number;
  readonly objlen: number;
  readonly keylen: number;
  readonly nevBufSize: number;
  readonly nevBuf: number;
  readonly last: number;
}

export interface RawBasket {
  /** The entry data (up to fLast), without the offset table. */
  readonly data: Uint8Array;
  /**
   * Byte offset of each entry in `data`, plus data.length at the end; null when the
   * basket has none. Decoded and checked on first use, while `data` is valid.
   */
  readonly offsets: Int32Array | null;
  /** The entry-offset table as stored, for decoders that decode and check it themselves. */
  readonly storedOffsets?: StoredOffsets;
  readonly entries: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

/** A basket's entry-offset table as ROOT stores it. */
export interface StoredOffsets {
  /** One big-endian int32 per entry: where it starts, counted from the basket key's start. */
  readonly bytes: Uint8Array;
  /** The key's length: subtracted from each stored offset. */
  readonly keylen: number;
}

const KEY_FIXED = 18; // fNbytes i4, fVersion i2, fObjlen i4, fDatime u4, fKeylen i2, fCycle i2

/** Where a basket is, for messages (made only when one is thrown: this runs for every basket). */
export type BasketPlace = () => ErrorPlace;

export function basketPlace(place: ErrorPlace, basket: Pick<BasketInfo, 'seek' | 'entryStart' | 'entries'>): BasketPlace {
  return () => ({ ...place, record: `basket at byte ${basket.seek} (entries ${basket.entryStart}..${basket.entryStart + basket.entries})` });
}

/** The basket's key and its own members (the last 19 bytes of the key), each size checked. */
export function parseBasketHeader(buf: Uint8Array, place: ErrorPlace | BasketPlace): BasketHeader {
  const fail = (message: string) => new CorruptBasketError(typeof place === 'function' ? place() : place, message);
  if (buf.length < KEY_FIXED) throw fail(`its key of ${buf.length} bytes is too short`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const nbytes = dv.getInt32(0);
  const keyVersion = dv.getInt16(4);
  const objlen = dv.getInt32(6);
  const keylen = dv.getInt16(14);
  if (keylen < KEY_FIXED + 19 || keylen > buf.length) {
    throw fail(`its key length fKeylen ${keylen} is impossible (the key is ${buf.length} bytes)`);
  }
  if (nbytes < keylen) throw fail(`fNbytes ${nbytes} is less than its key length ${keylen}`);
  if (objlen < 0 || objlen > MAX_OBJECT_BYTES) throw fail(`fObjlen ${objlen} is not a basket size (0 to ${MAX_OBJECT_BYTES} bytes)`);
  const at = keylen - 19;
  const nevBufSize = dv.getInt32(at + 6);
  const nevBuf = dv.getInt32(at + 10);
  const last = dv.getInt32(at + 14);
  if (nevBuf < 0) throw fail(`fNevBuf ${nevBuf} is not a number of entries`);
  return { nbytes, keyVersion, objlen, keylen, nevBufSize, nevBuf, last };
}

/** A decompressed basket, its entry offsets decoded from the stored table when first asked for. */
class DecompressedBasket implements RawBasket {
  private decoded: Int32Array | null | undefined;

  constructor(
    readonly data: Uint8Array,
    readonly storedOffsets: StoredOffsets | undefined,
    readonly entries: number,
    readonly compressedBytes: number,
    readonly uncompressedBytes: number,
    private readonly place: ErrorPlace,
  ) {}

  get offsets(): Int32Array | null {
    if (this.decoded === undefined) this.decoded = this.storedOffsets ? decodeOffsets(this.storedOffsets, this.data.length, this.place) : null;
    return this.decoded;
  }
}

/** A basket of `data` with a stored entry-offset table (as readBasket makes them; for tests). */
export function basketWithStoredOffsets(data: Uint8Array, stored: StoredOffsets, place: ErrorPlace): RawBasket {
  return new DecompressedBasket(data, stored, stored.bytes.length >>> 2, data.length, data.length, place);
}

/** Splits uncompressed basket bytes into the entry data and the stored entry-offset table. */
function splitOffsets(raw: Uint8Array, h: BasketHeader, place: BasketPlace): { data: Uint8Array; stored: StoredOffsets | undefined } {
  const border = h.last - h.keylen;
  if (border < 0 || border > raw.length) {
    throw new CorruptBasketError(place(), `fLast ${h.last} puts the end of its data at byte ${border}, outside its ${raw.length} bytes`);
  }
  if (border === raw.length) return { data: raw.subarray(0, border), stored: undefined };
  const n = h.nevBuf;
  // int32 count, then one offset per entry (counted from the key's start)
  if (border + 4 + 4 * n > raw.length) {
    throw new CorruptBasketError(place(), `its entry-offset table for ${n} entries does not fit in bytes ${border}..${raw.length}`);
  }
  return { data: raw.subarray(0, border), stored: { bytes: raw.subarray(border + 4, border + 4 + 4 * n), keylen: h.keylen } };
}

/** The entry offsets of a stored table, with data.length appended, checked. */
function decodeOffsets(stored: StoredOffsets, border: number, place: ErrorPlace): Int32Array {
  const n = stored.bytes.length >>> 2;
  const dv = new DataView(stored.bytes.buffer, stored.bytes.byteOffset, stored.bytes.byteLength);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i] = dv.getInt32(4 * i) - stored.keylen;
  offsets[n] = border;
  checkOffsets(offsets, border, place);
  return offsets;
}

export function checkOffsets(offsets: Int32Array, border: number, place: ErrorPlace): void {
  let prev = 0;
  if (offsets.length > 0 && offsets[0] !== 0) {
    throw new CorruptBasketError(place, `first entry offset is ${offsets[0]}, expected 0`);
  }
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i]!;
    if (o < prev || o > border) throw new CorruptBasketError(place, `entry offset ${i} = ${o} is out of order or past ${border}`);
    prev = o;
  }
}

/**
 * Reads, checks and decompresses one basket. `scratch`, when given, supplies the
 * memory of the uncompressed bytes (then only valid as long as the caller keeps it).
 */
export function readBasket(
  source: ByteSource,
  basket: BasketInfo,
  place: ErrorPlace,
  blocks?: BlockInfo[],
  scratch?: (bytes: number) => Uint8Array,
): RawBasket {
  if (basket.inMemory) {
    const { data, offsets } = basket.inMemory;
    const here = { ...place, record: `basket stored in the TTree record (entries ${basket.entryStart}..${basket.entryStart + basket.entries})` };
    if (offsets) checkOffsets(offsets, data.length, here);
    return { data, offsets, entries: basket.entries, compressedBytes: data.length, uncompressedBytes: data.length };
  }
  const here = basketPlace(place, basket);
  let buf: Uint8Array;
  try {
    buf = source.read(basket.seek, basket.bytes);
  } catch (e) {
    throw new CorruptBasketError(here(), `its ${basket.bytes} bytes lie outside the file's ${source.size} bytes`, { cause: e });
  }
  const h = parseBasketHeader(buf, here);
  if (h.nbytes !== basket.bytes) {
    throw new CorruptBasketError(here(), `its key says ${h.nbytes} bytes, the branch says ${basket.bytes}`);
  }
  if (h.nevBuf !== basket.entries) {
    throw new CorruptBasketError(here(), `it holds ${h.nevBuf} entries, the branch says ${basket.entries}`);
  }
  const compressed = h.nbytes - h.keylen;
  let raw: Uint8Array;
  if (compressed === h.objlen) {
    raw = buf.subarray(h.keylen, h.keylen + h.objlen);
  } else {
    try {
      raw = decompressRoot(buf.subarray(h.keylen, h.nbytes), h.objlen, blocks, scratch?.(h.objlen + 1));
    } catch (e) {
      if (e instanceof LzmaNotLoadedError) throw e;
      if (e instanceof UnsupportedCompressionError) throw new UnsupportedBranchError(here(), e.message);
      if (e instanceof DecompressionError) throw new CorruptBasketError(here(), e.message, { cause: e });
      throw e;
    }
  }
  const { data, stored } = splitOffsets(raw, h, here);
  return new DecompressedBasket(data, stored, h.nevBuf, compressed, h.objlen, place);
}
