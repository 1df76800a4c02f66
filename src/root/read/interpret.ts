// Interpretation of basket bytes into columns: big-endian numbers into
// TypedArrays, jagged entries into CSR offsets + values, strings into
// dictionary indices. Mirrors uproot's interpretation/ (numerical, jagged,
// strings) for the layouts in metadata.ts.
import { endianness } from 'node:os';
import { NUMERIC_SIZE, type ColumnChunk, type NumericArray, type NumericType } from '../write/types.js';
import type { Layout } from './metadata.js';
import type { RawBasket } from './basket.js';
import { CorruptBasketError, UnsupportedBranchError, type ErrorPlace } from './errors.js';

/** The entries [from, to) of one basket (basket-local numbers). */
export interface BasketSlice {
  readonly raw: RawBasket;
  readonly from: number;
  readonly to: number;
  /** Element counts of every entry of the basket, for counted arrays in baskets without offsets. */
  readonly counts?: ArrayLike<number>;
  /** Entry number of the basket's first entry, for messages. */
  readonly entryStart: number;
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const BYTECOUNT_MASK = 0x40000000;
const MEMBERWISE = 0x4000;

export function allocate(type: NumericType, n: number): NumericArray {
  switch (type) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint32':
      return new Uint32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'uint64':
      return new BigUint64Array(n);
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
  }
}

function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Big-endian -> host order, in place, over a whole aligned array. */
export function swapToHost(a: NumericArray): void {
  if (!LITTLE_ENDIAN_HOST) return;
  const size = a.BYTES_PER_ELEMENT;
  if (size === 1) return;
  if (size === 2) {
    const u = new Uint16Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < u.length; i++) {
      const x = u[i]!;
      u[i] = ((x & 0xff) << 8) | (x >>> 8);
    }
    return;
  }
  const u = new Uint32Array(a.buffer, a.byteOffset, (a.length * size) >>> 2);
  if (size === 4) {
    for (let i = 0; i < u.length; i++) {
      const x = u[i]!;
      u[i] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
    }
    return;
  }
  for (let i = 0; i < u.length; i += 2) {
    const x = u[i]!;
    const y = u[i + 1]!;
    u[i] = ((y & 0xff) << 24) | ((y & 0xff00) << 8) | ((y >>> 8) & 0xff00) | (y >>> 24);
    u[i + 1] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
  }
}

function corrupt(place: ErrorPlace, s: BasketSlice, entry: number, what: string): CorruptBasketError {
  return new CorruptBasketError(place, `entry ${s.entryStart + entry}: ${what}`);
}

function readU32(d: Uint8Array, at: number): number {
  return ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
}
function readI32(d: Uint8Array, at: number): number {
  return (d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!;
}
function readU16(d: Uint8Array, at: number): number {
  return (d[at]! << 8) | d[at + 1]!;
}

/**
 * Checks an object header (bytecount with kByteCountMask, then version) at `at`
 * and returns where the object ends.
 */
function objectHeader(d: Uint8Array, at: number, limit: number, place: ErrorPlace, s: BasketSlice, i: number): number {
  if (at + 6 > limit) throw corrupt(place, s, i, `object header past the entry's end`);
  const bc = readU32(d, at);
  if ((bc & BYTECOUNT_MASK) === 0) throw corrupt(place, s, i, `missing byte count (0x${bc.toString(16)})`);
  const end = at + 4 + (bc & ~BYTECOUNT_MASK);
  if (end > limit) throw corrupt(place, s, i, `byte count ${bc & ~BYTECOUNT_MASK} runs past the entry's end`);
  const version = readU16(d, at + 4);
  if (version & MEMBERWISE) {
    throw new UnsupportedBranchError(place, 'collection streamed member-wise (kStreamedMemberWise) is not decoded');
  }
  return end;
}

/** Entry byte ranges of a basket: its own offsets, or found by walking headers/counts. */
function entryOffsets(layout: Layout, s: BasketSlice, place: ErrorPlace): Int32Array {
  const { raw } = s;
  if (raw.offsets) {
    if (raw.offsets.length !== raw.entries + 1) {
      throw new CorruptBasketError(place, `basket at entry ${s.entryStart}: ${raw.offsets.length - 1} entry offsets for ${raw.entries} entries`);
    }
    return raw.offsets;
  }
  const d = raw.data;
  const n = raw.entries;
  const off = new Int32Array(n + 1);
  switch (layout.form) {
    case 'fixed': {
      const w = layout.count * NUMERIC_SIZE[layout.elem];
      for (let i = 0; i <= n; i++) off[i] = i * w;
      break;
    }
    case 'counted': {
      const c = s.counts;
      if (!c || c.length < n) {
        throw new CorruptBasketError(place, `basket at entry ${s.entryStart} has no entry offsets and no counts were found`);
      }
      const size = NUMERIC_SIZE[layout.elem];
      for (let i = 0; i < n; i++) {
        const k = Number(c[i]);
        if (!(k >= 0)) throw corrupt(place, s, i, `negative count ${k}`);
        off[i + 1] = off[i]! + layout.header + k * size;
      }
      break;
    }
    case 'stlVector':
    case 'stlVectorString':
      for (let i = 0; i < n; i++) off[i + 1] = objectHeader(d, off[i]!, d.length, place, s, i);
      break;
    case 'string':
      for (let i = 0; i < n; i++) {
        let at = off[i]!;
        if (layout.header === 6) {
          off[i + 1] = objectHeader(d, at, d.length, place, s, i);
          continue;
        }
        if (at >= d.length) throw corrupt(place, s, i, 'string length past the end of the basket');
        let len = d[at]!;
        at += 1;
        if (len === 255) {
          if (at + 4 > d.length) throw corrupt(place, s, i, 'long string length past the end of the basket');
          len = readI32(d, at);
          at += 4;
        }
        off[i + 1] = at + len;
      }
      break;
  }
  if (off[n]! !== d.length) {
    throw new CorruptBasketError(place, `basket at entry ${s.entryStart}: entries cover ${off[n]} bytes, the basket holds ${d.length}`);
  }
  return off;
}

// ---------- fixed-size entries

function decodeFixed(layout: Extract<Layout, { form: 'fixed' }>, slices: readonly BasketSlice[], place: ErrorPlace): ColumnChunk {
  const size = NUMERIC_SIZE[layout.elem];
  const w = size * layout.count;
  let n = 0;
  for (const s of slices) n += s.to - s.from;
  const values = allocate(layout.elem, n * layout.count);
  const out = bytesOf(values);
  let at = 0;
  for (const s of slices) {
    const d = s.raw.data;
    if (d.length !== s.raw.entries * w) {
      throw new CorruptBasketError(
        place,
        `basket at entry ${s.entryStart}: ${d.length} bytes for ${s.raw.entries} entries of ${w} bytes`,
      );
    }
    const bytes = d.subarray(s.from * w, s.to * w);
    out.set(bytes, at);
    at += bytes.length;
  }
  swapToHost(values);
  if (layout.count === 1) return { kind: 'scalar', values };
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = i * layout.count;
  return { kind: 'vector', offsets, values };
}

// ---------- jagged numbers

function decodeJagged(
  layout: Extract<Layout, { form: 'counted' | 'stlVector' }>,
  slices: readonly BasketSlice[],
  place: ErrorPlace,
): ColumnChunk {
  const size = NUMERIC_SIZE[layout.elem];
  let nEntries = 0;
  for (const s of slices) nEntries += s.to - s.from;
  const offsets = new Int32Array(nEntries + 1);
  const starts = new Int32Array(nEntries);
  const bases: Uint8Array[] = new Array<Uint8Array>(slices.length);
  // pass 1: where each entry's elements are and how many
  let k = 0;
  for (let si = 0; si < slices.length; si++) {
    const s = slices[si]!;
    const d = s.raw.data;
    bases[si] = d;
    const off = entryOffsets(layout, s, place);
    for (let i = s.from; i < s.to; i++, k++) {
      const a = off[i]!;
      const b = off[i + 1]!;
      let start: number;
      let count: number;
      if (layout.form === 'counted') {
        start = a + layout.header;
        const len = b - start;
        if (len < 0 || len % size !== 0) throw corrupt(place, s, i, `${b - a} bytes is not a whole number of ${size}-byte elements`);
        count = len / size;
        if (s.counts && Number(s.counts[i]) !== count) {
          throw corrupt(place, s, i, `count branch says ${Number(s.counts[i])} elements, the basket holds ${count}`);
        }
      } else {
        const end = objectHeader(d, a, b, place, s, i);
        if (end !== b) throw corrupt(place, s, i, `byte count ends at ${end}, entry ends at ${b}`);
        if (a + 10 > b) throw corrupt(place, s, i, 'vector size past the entry end');
        count = readI32(d, a + 6);
        start = a + 10;
        if (count < 0 || start + count * size !== b) {
          throw corrupt(place, s, i, `vector of ${count} elements does not fill its ${b - a - 10} bytes`);
        }
      }
      starts[k] = start;
      offsets[k + 1] = offsets[k]! + count;
    }
  }
  // pass 2: copy element bytes, then swap once
  const values = allocate(layout.elem, offsets[nEntries]!);
  const out = bytesOf(values);
  const words = new Int32Array(values.buffer, values.byteOffset, size === 4 ? values.length : 0);
  // Counted arrays without a per-entry header are copied in one piece per basket.
  const contiguous = layout.form === 'counted' && layout.header === 0;
  k = 0;
  for (let si = 0; si < slices.length; si++) {
    const s = slices[si]!;
    const d = bases[si]!;
    const n = s.to - s.from;
    // consecutive entries are contiguous when there is no per-entry header: one copy
    if (contiguous && n > 0) {
      const a = starts[k]!;
      const len = (offsets[k + n]! - offsets[k]!) * size;
      out.set(d.subarray(a, a + len), offsets[k]! * size);
      k += n;
      continue;
    }
    if (size === 4 && LITTLE_ENDIAN_HOST) {
      // The common case (int and float vectors): big-endian words straight into host
      // order, one pass, no per-entry objects; the final swap is skipped below.
      for (let i = 0; i < n; i++, k++) {
        let a = starts[k]!;
        const end = offsets[k + 1]!;
        for (let e = offsets[k]!; e < end; e++, a += 4) {
          words[e] = (d[a]! << 24) | (d[a + 1]! << 16) | (d[a + 2]! << 8) | d[a + 3]!;
        }
      }
      continue;
    }
    // Entries are short (a few elements): a byte loop beats a subarray object per entry.
    for (let i = 0; i < n; i++, k++) {
      const a = starts[k]!;
      const to = offsets[k]! * size;
      const len = offsets[k + 1]! * size - to;
      for (let q = 0; q < len; q++) out[to + q] = d[a + q]!;
    }
  }
  if (!(size === 4 && LITTLE_ENDIAN_HOST && !contiguous)) swapToHost(values);
  return { kind: 'vector', offsets, values };
}

// ---------- strings

/**
 * Distinct byte strings -> dictionary index, so one JS string is made per
 * distinct value, not per element. This runs once per vertex: an open-addressing
 * table on a cheap hash (length, first and last four bytes) with every candidate
 * verified byte for byte against a pool of the distinct values' bytes.
 */
export class StringDictionary {
  readonly strings: string[] = [];
  private pool = new Uint8Array(1024);
  private poolView = new DataView(this.pool.buffer);
  private poolUsed = 0;
  /** Per dictionary index: start of its bytes in the pool, then its length. */
  private spans = new Int32Array(64);
  /** Open-addressing slots: dictionary index + 1, 0 when empty. */
  private slots = new Int32Array(64);
  private readonly decoder = new TextDecoder('utf-8');

  /** `view`: a DataView over exactly the bytes of `d` (made once per basket by the caller). */
  intern(d: Uint8Array, view: DataView, start: number, end: number): number {
    const len = end - start;
    const mask = this.slots.length - 1;
    for (let slot = hashBytes(view, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return this.add(d, start, end, slot);
      const idx = entry - 1;
      if (this.spans[2 * idx + 1] === len && this.same(this.spans[2 * idx]!, view, start, len)) return idx;
    }
  }

  /** Four bytes at a time (unaligned DataView reads compile to single loads). */
  private same(at: number, view: DataView, start: number, len: number): boolean {
    const pool = this.poolView;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (pool.getInt32(at + i, true) !== view.getInt32(start + i, true)) return false;
    for (; i < len; i++) if (pool.getUint8(at + i) !== view.getUint8(start + i)) return false;
    return true;
  }

  private add(d: Uint8Array, start: number, end: number, slot: number): number {
    const idx = this.strings.length;
    const len = end - start;
    if (this.poolUsed + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      bigger.set(this.pool.subarray(0, this.poolUsed));
      this.pool = bigger;
      this.poolView = new DataView(bigger.buffer);
    }
    this.pool.set(d.subarray(start, end), this.poolUsed);
    if (2 * idx + 2 > this.spans.length) {
      const bigger = new Int32Array(this.spans.length * 2);
      bigger.set(this.spans);
      this.spans = bigger;
    }
    this.spans[2 * idx] = this.poolUsed;
    this.spans[2 * idx + 1] = len;
    this.poolUsed += len;
    this.strings.push(this.decoder.decode(d.subarray(start, end)));
    this.slots[slot] = idx + 1;
    // Keep the table at most half full.
    if (2 * this.strings.length > this.slots.length) this.rehash();
    return idx;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let idx = 0; idx < this.strings.length; idx++) {
      const at = this.spans[2 * idx]!;
      let slot = hashBytes(this.poolView, at, at + this.spans[2 * idx + 1]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = idx + 1;
    }
    this.slots = slots;
  }
}

/** A cheap hash of a byte string: its length and first and last four bytes (candidates are verified). */
function hashBytes(d: DataView, start: number, end: number): number {
  const len = end - start;
  let h = Math.imul(len, 0x9e3779b1);
  if (len >= 4) {
    h ^= Math.imul(d.getInt32(start, true), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h ^= Math.imul(d.getInt32(end - 4, true), 0xc2b2ae35);
  } else {
    for (let i = start; i < end; i++) h = Math.imul(h ^ d.getUint8(i), 0x01000193);
  }
  return Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ (h >>> 16);
}

/** Reads one length-prefixed string at `at` (1 byte, or 255 + 4-byte length); returns [start, end). */
function stringAt(d: Uint8Array, at: number, limit: number, place: ErrorPlace, s: BasketSlice, i: number): [number, number] {
  if (at >= limit) throw corrupt(place, s, i, 'string length past the entry end');
  let len = d[at]!;
  let start = at + 1;
  if (len === 255) {
    if (start + 4 > limit) throw corrupt(place, s, i, 'long string length past the entry end');
    len = readI32(d, start);
    start += 4;
  }
  if (len < 0 || start + len > limit) throw corrupt(place, s, i, `string of ${len} bytes runs past the entry end`);
  return [start, start + len];
}

function decodeString(layout: Extract<Layout, { form: 'string' }>, slices: readonly BasketSlice[], place: ErrorPlace): ColumnChunk {
  let n = 0;
  for (const s of slices) n += s.to - s.from;
  const indices = new Uint32Array(n);
  const dict = new StringDictionary();
  let k = 0;
  for (const s of slices) {
    const d = s.raw.data;
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const off = entryOffsets(layout, s, place);
    for (let i = s.from; i < s.to; i++, k++) {
      let a = off[i]!;
      const b = off[i + 1]!;
      if (layout.header === 6) {
        const end = objectHeader(d, a, b, place, s, i);
        if (end !== b) throw corrupt(place, s, i, `byte count ends at ${end}, entry ends at ${b}`);
        a += 6;
      }
      const [start, end] = stringAt(d, a, b, place, s, i);
      if (end !== b) throw corrupt(place, s, i, `string ends at ${end}, entry ends at ${b}`);
      indices[k] = dict.intern(d, view, start, end);
    }
  }
  return { kind: 'string', indices, dictionary: dict.strings };
}

function decodeVectorString(slices: readonly BasketSlice[], place: ErrorPlace): ColumnChunk {
  const layout: Layout = { form: 'stlVectorString' };
  let n = 0;
  for (const s of slices) n += s.to - s.from;
  const offsets = new Int32Array(n + 1);
  let indices = new Uint32Array(Math.max(16, n * 4));
  const dict = new StringDictionary();
  let k = 0;
  let m = 0;
  for (const s of slices) {
    const d = s.raw.data;
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const off = entryOffsets(layout, s, place);
    for (let i = s.from; i < s.to; i++, k++) {
      const a = off[i]!;
      const b = off[i + 1]!;
      const end = objectHeader(d, a, b, place, s, i);
      if (end !== b) throw corrupt(place, s, i, `byte count ends at ${end}, entry ends at ${b}`);
      if (a + 10 > b) throw corrupt(place, s, i, 'vector size past the entry end');
      const count = readI32(d, a + 6);
      if (count < 0 || count > b - a - 10) throw corrupt(place, s, i, `vector<string> of ${count} elements in ${b - a - 10} bytes`);
      if (m + count > indices.length) {
        const bigger = new Uint32Array(Math.max(indices.length * 2, m + count));
        bigger.set(indices);
        indices = bigger;
      }
      let at = a + 10;
      for (let j = 0; j < count; j++) {
        // stringAt, inlined: this loop runs once per vertex, so no tuple per string.
        if (at >= b) throw corrupt(place, s, i, 'string length past the entry end');
        let len = d[at]!;
        let start = at + 1;
        if (len === 255) {
          if (start + 4 > b) throw corrupt(place, s, i, 'long string length past the entry end');
          len = readI32(d, start);
          start += 4;
        }
        if (len < 0 || start + len > b) throw corrupt(place, s, i, `string of ${len} bytes runs past the entry end`);
        at = start + len;
        indices[m++] = dict.intern(d, view, start, at);
      }
      if (at !== b) throw corrupt(place, s, i, `strings end at ${at}, entry ends at ${b}`);
      offsets[k + 1] = m;
    }
  }
  return { kind: 'vectorString', offsets, indices: indices.slice(0, m), dictionary: dict.strings };
}

/** Decodes the given basket slices (in entry order) of one branch into one column chunk. */
export function decodeColumn(layout: Layout, slices: readonly BasketSlice[], place: ErrorPlace): ColumnChunk {
  switch (layout.form) {
    case 'fixed':
      return decodeFixed(layout, slices, place);
    case 'counted':
    case 'stlVector':
      return decodeJagged(layout, slices, place);
    case 'string':
      return decodeString(layout, slices, place);
    case 'stlVectorString':
      return decodeVectorString(slices, place);
  }
}
