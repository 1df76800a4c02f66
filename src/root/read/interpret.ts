// Interpretation of basket bytes into columns: big-endian numbers into
// TypedArrays, jagged entries into CSR offsets + values, strings into
// dictionary indices. Mirrors uproot's interpretation/ (numerical, jagged,
// strings) for the layouts in metadata.ts.
import { endianness } from 'node:os';
import { NUMERIC_SIZE, type ColumnChunk, type NumericArray, type NumericType } from '../write/types.js';
import type { Layout } from './metadata.js';
import type { RawBasket } from './basket.js';
import { CorruptBasketError, UnsupportedBranchError, type ErrorPlace } from './errors.js';
import { StringDictionary } from './stringDictionary.js';
import { allocate, FRESH_MEMORY, type ColumnMemory } from './columnMemory.js';
import type { ColumnData } from './columns.js';
import { decodePacked, packedBytes } from './packedFloat.js';

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

export const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const BYTECOUNT_MASK = 0x40000000;
const MEMBERWISE = 0x4000;

function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Big-endian -> host order, in place, over a whole array. Node's Buffer swaps run
 * natively, about 4x faster than a JavaScript loop over the words.
 */
export function swapToHost(a: NumericArray): void {
  if (!LITTLE_ENDIAN_HOST) return;
  const size = a.BYTES_PER_ELEMENT;
  if (size === 1 || a.length === 0) return;
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (size === 2) bytes.swap16();
  else if (size === 4) bytes.swap32();
  else bytes.swap64();
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

/**
 * The element count of a std::vector entry [a, b): checks its header (byte count
 * with kByteCountMask ending exactly at b, a version that is not member-wise) and
 * reads the count after it. Elements start at a + 10. Small, so that it is inlined
 * into the per-entry loops; the messages are made out of line.
 */
function vectorHeader(view: DataView, a: number, b: number, place: ErrorPlace, s: BasketSlice, i: number): number {
  if (a + 10 > b) badVectorHeader(view, a, b, place, s, i);
  const bc = view.getUint32(a);
  if ((bc & BYTECOUNT_MASK) === 0 || a + 4 + (bc & ~BYTECOUNT_MASK) !== b || (view.getUint16(a + 4) & MEMBERWISE) !== 0) {
    badVectorHeader(view, a, b, place, s, i);
  }
  return view.getInt32(a + 6);
}

function badVectorHeader(view: DataView, a: number, b: number, place: ErrorPlace, s: BasketSlice, i: number): never {
  if (a + 10 > b) throw corrupt(place, s, i, `entry of ${b - a} bytes is too short for a vector header`);
  const bc = view.getUint32(a);
  if ((bc & BYTECOUNT_MASK) === 0) throw corrupt(place, s, i, `missing byte count (0x${bc.toString(16)})`);
  if (a + 4 + (bc & ~BYTECOUNT_MASK) !== b) throw corrupt(place, s, i, `byte count ${bc & ~BYTECOUNT_MASK} does not end at the entry's end`);
  throw new UnsupportedBranchError(place, 'collection streamed member-wise (kStreamedMemberWise) is not decoded');
}

/** Bytes of one element on disk: its type's size, or a packed float's 3 or 4. */
export function elementBytes(layout: Extract<Layout, { form: 'fixed' | 'counted' }>): number {
  return layout.packed ? packedBytes(layout.packed) : NUMERIC_SIZE[layout.elem];
}

/** Entry byte ranges of a basket: its own offsets, or found by walking headers/counts. */
export function entryOffsets(layout: Layout, s: BasketSlice, place: ErrorPlace): Int32Array {
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
      const w = layout.count * elementBytes(layout);
      for (let i = 0; i <= n; i++) off[i] = i * w;
      break;
    }
    case 'counted': {
      const c = s.counts;
      if (!c || c.length < n) {
        throw new CorruptBasketError(place, `basket at entry ${s.entryStart} has no entry offsets and no counts were found`);
      }
      const size = elementBytes(layout);
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

// ---------- column builders: one basket at a time, in entry order
//
// A basket is decoded right after it is decompressed, while its bytes are still in
// the CPU's cache; its memory is then reused for the next one.

export interface ColumnBuilder {
  /** Decodes the entries [from, to) of one basket; `slice.raw` is not kept. */
  add(slice: BasketSlice): void;
  /** The column, once every entry given to `columnBuilder` was added. */
  finish(): ColumnData;
}

/**
 * A builder of the column of `entries` entries of a branch with this layout, its
 * arrays from `memory`, in TypeScript that checks every byte and says what is wrong.
 * (columnBuilders.ts hands the common std::vector layouts to WebAssembly kernels.)
 */
export function checkedColumnBuilder(layout: Layout, entries: number, place: ErrorPlace, memory: ColumnMemory = FRESH_MEMORY): ColumnBuilder {
  switch (layout.form) {
    case 'fixed':
      return new FixedBuilder(layout, entries, place, memory);
    case 'stlVector':
      if (NUMERIC_SIZE[layout.elem] === 4 && LITTLE_ENDIAN_HOST) return new Vector32Builder(layout, entries, place, memory);
      return new JaggedBuilder(layout, entries, place, memory);
    case 'counted':
      return new JaggedBuilder(layout, entries, place, memory);
    case 'string':
      return new StringBuilder(layout, entries, place, memory);
    case 'stlVectorString':
      return new VectorStringBuilder(entries, place, memory);
  }
}

/** Offsets of `entries` entries, starting at 0 (memory may hold old values). */
export function offsetsArray(memory: ColumnMemory, entries: number): Int32Array {
  const offsets = memory.allocate('int32', entries + 1) as Int32Array;
  offsets[0] = 0;
  return offsets;
}

/** Before a basket: its `n` entries must fit in the column's `entries`. */
export function checkRoom(place: ErrorPlace, done: number, n: number, entries: number): void {
  if (done + n > entries) throw new CorruptBasketError(place, `more than the ${entries} entries expected`);
}

/** At the end: every entry of the column was added. */
export function checkFull(place: ErrorPlace, done: number, entries: number): void {
  if (done !== entries) throw new CorruptBasketError(place, `${done} of ${entries} entries were decoded`);
}

/** The finished column of a jagged builder: its offsets and the values they cover. */
export function jaggedColumn(
  place: ErrorPlace,
  done: number,
  entries: number,
  offsets: Int32Array,
  values: GrowingValues | null,
  elem: NumericType,
): Extract<ColumnChunk, { kind: 'vector' }> {
  checkFull(place, done, entries);
  const m = offsets[entries]!;
  return { kind: 'vector', offsets, values: values ? values.values.subarray(0, m) : allocate(elem, 0) };
}

/** A growing array of one numeric type; `ensure` before writing past `length`. */
export class GrowingValues {
  values: NumericArray;
  constructor(
    private readonly type: NumericType,
    capacity: number,
    private readonly memory: ColumnMemory,
  ) {
    this.values = memory.allocate(type, Math.max(16, capacity));
  }
  /** Room for `n` values; returns the (possibly new) array. */
  ensure(n: number): NumericArray {
    if (n > this.values.length) {
      const bigger = this.memory.allocate(this.type, Math.max(n, Math.ceil(this.values.length * 1.5)));
      bytesOf(bigger).set(bytesOf(this.values));
      this.values = bigger;
    }
    return this.values;
  }
}

/** Capacity for the whole column, extrapolated from the first basket's values per entry. */
export function estimate(valuesSoFar: number, entriesSoFar: number, entries: number): number {
  return Math.ceil((valuesSoFar / Math.max(1, entriesSoFar)) * entries * 1.1) + 16;
}

// ---------- fixed-size entries

class FixedBuilder implements ColumnBuilder {
  private readonly values: NumericArray;
  private readonly out: Uint8Array;
  private readonly width: number;
  private done = 0;

  constructor(
    private readonly layout: Extract<Layout, { form: 'fixed' }>,
    private readonly entries: number,
    private readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
  ) {
    this.width = elementBytes(layout) * layout.count;
    this.values = memory.allocate(layout.elem, entries * layout.count);
    this.out = bytesOf(this.values);
  }

  add(s: BasketSlice): void {
    const w = this.width;
    const d = s.raw.data;
    if (d.length !== s.raw.entries * w) {
      throw new CorruptBasketError(this.place, `basket at entry ${s.entryStart}: ${d.length} bytes for ${s.raw.entries} entries of ${w} bytes`);
    }
    const n = s.to - s.from;
    checkRoom(this.place, this.done, n, this.entries);
    const c = this.layout.count;
    const { packed } = this.layout;
    if (packed) {
      const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
      decodePacked(packed, view, s.from * w, n * c, this.values as Float64Array | Float32Array, this.done * c);
    } else {
      this.out.set(d.subarray(s.from * w, s.to * w), this.done * w);
      swapToHost(this.values.subarray(this.done * c, (this.done + n) * c));
    }
    this.done += n;
  }

  finish(): ColumnChunk {
    checkFull(this.place, this.done, this.entries);
    const { count } = this.layout;
    if (count === 1) return { kind: 'scalar', values: this.values };
    const offsets = new Int32Array(this.entries + 1);
    for (let i = 0; i <= this.entries; i++) offsets[i] = i * count;
    return { kind: 'vector', offsets, values: this.values };
  }
}

// ---------- jagged numbers

/** Counted C arrays and std::vector of any element size. */
class JaggedBuilder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private values: GrowingValues | null = null;
  private readonly size: number;
  private done = 0;

  constructor(
    private readonly layout: Extract<Layout, { form: 'counted' | 'stlVector' }>,
    private readonly entries: number,
    private readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
  ) {
    this.offsets = offsetsArray(memory, entries);
    this.size = layout.form === 'counted' ? elementBytes(layout) : NUMERIC_SIZE[layout.elem];
  }

  add(s: BasketSlice): void {
    const { layout, place, size, offsets } = this;
    const d = s.raw.data;
    const n = s.to - s.from;
    checkRoom(place, this.done, n, this.entries);
    const off = entryOffsets(layout, s, place);
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    // pass 1: where each entry's elements are, and how many
    const starts = new Int32Array(n);
    const k0 = this.done;
    for (let i = s.from, k = k0; i < s.to; i++, k++) {
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
        count = vectorHeader(view, a, b, place, s, i);
        start = a + 10;
        if (count < 0 || start + count * size !== b) {
          throw corrupt(place, s, i, `vector of ${count} elements does not fill its ${b - a - 10} bytes`);
        }
      }
      starts[k - k0] = start;
      offsets[k + 1] = offsets[k]! + count;
    }
    // pass 2: element bytes, then one swap of this basket's values
    const first = offsets[k0]!;
    const last = offsets[k0 + n]!;
    this.values ??= new GrowingValues(layout.elem, estimate(last - first, n, this.entries), this.memory);
    const values = this.values.ensure(last);
    if (layout.form === 'counted' && layout.packed) {
      for (let j = 0; j < n; j++) {
        const at = offsets[k0 + j]!;
        decodePacked(layout.packed, view, starts[j]!, offsets[k0 + j + 1]! - at, values as Float64Array | Float32Array, at);
      }
      this.done += n;
      return;
    }
    const out = bytesOf(values);
    if (layout.form === 'counted' && layout.header === 0 && n > 0) {
      // no per-entry header: the entries' elements are contiguous
      out.set(d.subarray(starts[0]!, starts[0]! + (last - first) * size), first * size);
    } else {
      // entries are short (a few elements): a byte loop beats a subarray object per entry
      for (let j = 0; j < n; j++) {
        const a = starts[j]!;
        const to = offsets[k0 + j]! * size;
        const len = offsets[k0 + j + 1]! * size - to;
        for (let q = 0; q < len; q++) out[to + q] = d[a + q]!;
      }
    }
    swapToHost(values.subarray(first, last));
    this.done += n;
  }

  finish(): ColumnChunk {
    return jaggedColumn(this.place, this.done, this.entries, this.offsets, this.values, this.layout.elem);
  }
}

/**
 * std::vector of 4-byte numbers (int, float, ...): the common jagged case, in one
 * pass. Each entry is checked (byte count, version, size) and its big-endian words
 * go straight into host order (as bit patterns: float NaN payloads are kept).
 */
class Vector32Builder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private values: GrowingValues | null = null;
  private done = 0;

  constructor(
    private readonly layout: Extract<Layout, { form: 'stlVector' }>,
    private readonly entries: number,
    private readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
  ) {
    this.offsets = offsetsArray(memory, entries);
  }

  add(s: BasketSlice): void {
    const { place, offsets } = this;
    const d = s.raw.data;
    const n = s.to - s.from;
    checkRoom(place, this.done, n, this.entries);
    const off = entryOffsets(this.layout, s, place);
    let m = offsets[this.done]!;
    // at most one value per 4 bytes of the basket
    const bound = m + ((off[s.to]! - off[s.from]!) >>> 2);
    const first = this.values === null;
    this.values ??= new GrowingValues(this.layout.elem, bound, this.memory);
    const values = this.values.ensure(bound);
    const words = new Int32Array(values.buffer, values.byteOffset, values.length);
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    let k = this.done;
    for (let i = s.from; i < s.to; i++) {
      const a = off[i]!;
      const b = off[i + 1]!;
      const count = vectorHeader(view, a, b, place, s, i);
      if (count < 0 || a + 10 + 4 * count !== b) throw corrupt(place, s, i, `vector of ${count} elements does not fill its ${b - a - 10} bytes`);
      for (let p = a + 10; p < b; p += 4) words[m++] = view.getInt32(p);
      offsets[++k] = m;
    }
    this.done = k;
    // After the first basket the values per entry are known: room for the whole column.
    if (first) this.values.ensure(estimate(m, k, this.entries));
  }

  finish(): ColumnChunk {
    return jaggedColumn(this.place, this.done, this.entries, this.offsets, this.values, this.layout.elem);
  }
}

// ---------- strings

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

class StringBuilder implements ColumnBuilder {
  private readonly indices: Uint32Array;
  private readonly dict = new StringDictionary();
  private done = 0;

  constructor(
    private readonly layout: Extract<Layout, { form: 'string' }>,
    private readonly entries: number,
    private readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
  ) {
    this.indices = memory.allocate('uint32', entries) as Uint32Array;
  }

  add(s: BasketSlice): void {
    const { layout, place } = this;
    const d = s.raw.data;
    checkRoom(place, this.done, s.to - s.from, this.entries);
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const off = entryOffsets(layout, s, place);
    for (let i = s.from; i < s.to; i++) {
      let a = off[i]!;
      const b = off[i + 1]!;
      if (layout.header === 6) {
        const end = objectHeader(d, a, b, place, s, i);
        if (end !== b) throw corrupt(place, s, i, `byte count ends at ${end}, entry ends at ${b}`);
        a += 6;
      }
      const [start, end] = stringAt(d, a, b, place, s, i);
      if (end !== b) throw corrupt(place, s, i, `string ends at ${end}, entry ends at ${b}`);
      this.indices[this.done++] = this.dict.intern(d, view, start, end);
    }
  }

  finish(): ColumnChunk {
    checkFull(this.place, this.done, this.entries);
    return { kind: 'string', indices: this.indices, dictionary: this.dict.strings };
  }
}

class VectorStringBuilder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private indices: GrowingValues | null = null;
  private readonly dict = new StringDictionary();
  private readonly layout: Layout = { form: 'stlVectorString' };
  private done = 0;

  constructor(
    private readonly entries: number,
    private readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
  ) {
    this.offsets = offsetsArray(memory, entries);
  }

  add(s: BasketSlice): void {
    const { place, offsets, dict } = this;
    const d = s.raw.data;
    checkRoom(place, this.done, s.to - s.from, this.entries);
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const off = entryOffsets(this.layout, s, place);
    let k = this.done;
    let m = offsets[k]!;
    const first = this.indices === null;
    // every string takes at least its length byte: at most one per byte of the basket
    this.indices ??= new GrowingValues('uint32', off[s.to]! - off[s.from]!, this.memory);
    for (let i = s.from; i < s.to; i++, k++) {
      const a = off[i]!;
      const b = off[i + 1]!;
      const count = vectorHeader(view, a, b, place, s, i);
      if (count < 0 || count > b - a - 10) throw corrupt(place, s, i, `vector<string> of ${count} elements in ${b - a - 10} bytes`);
      const indices = this.indices.ensure(m + count);
      let at = a + 10;
      for (let j = 0; j < count; j++) {
        const [start, end] = stringAt(d, at, b, place, s, i);
        indices[m++] = dict.intern(d, view, start, end);
        at = end;
      }
      if (at !== b) throw corrupt(place, s, i, `strings end at ${at}, entry ends at ${b}`);
      offsets[k + 1] = m;
    }
    this.done = k;
    // After the first basket the strings per entry are known: room for the whole column.
    if (first) this.indices.ensure(estimate(m, k, this.entries));
  }

  finish(): ColumnChunk {
    checkFull(this.place, this.done, this.entries);
    const m = this.offsets[this.entries]!;
    const indices = this.indices ? (this.indices.values as Uint32Array).subarray(0, m) : new Uint32Array(0);
    return { kind: 'vectorString', offsets: this.offsets, indices, dictionary: this.dict.strings };
  }
}
