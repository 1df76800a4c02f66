// Per-entry serialisation of columns into basket payloads (the hot path): values go
// big-endian straight from TypedArrays through a DataView, no per-entry objects.

import { ByteWriter, kByteCountMask, utf8 } from './buffer.js';
import { NUMERIC_SIZE, type ColumnChunk, type ColumnType, type NumericArray, type NumericType } from './types.js';

/** ROOT's on-file version of an STL collection streamed object-wise (TStreamerInfo v9). */
const STL_VERSION = 9;

/** How one entry of a column is laid out in a basket. */
export type EntryLayout =
  | { kind: 'scalar'; type: NumericType }
  | { kind: 'string'; header: boolean } // header: split member (byte count + version)
  | { kind: 'vector'; type: NumericType }
  | { kind: 'vectorString' }
  | { kind: 'constU32'; value: number; variable: boolean }; // TObject fUniqueID / fBits sub-branches

const ARRAY_OF: Readonly<Record<NumericType, string>> = {
  bool: 'Uint8Array',
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  int64: 'BigInt64Array',
  uint64: 'BigUint64Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
};

/** Name of the TypedArray a column of `type` must use, or null when `arr` fits. */
export function arrayMismatch(type: NumericType, arr: NumericArray): string | null {
  const want = ARRAY_OF[type];
  return arr.constructor.name === want ? null : want;
}

/** Fixed bytes per entry, or 0 when entries vary in size (and need an entry-offset table). */
export function fixedEntrySize(layout: EntryLayout): number {
  if (layout.kind === 'scalar') return NUMERIC_SIZE[layout.type];
  if (layout.kind === 'constU32') return 4;
  return 0;
}

export function layoutOf(type: ColumnType, member: boolean): EntryLayout {
  switch (type.kind) {
    case 'scalar':
      return { kind: 'scalar', type: type.type };
    case 'string':
      return { kind: 'string', header: member };
    case 'vector':
      return { kind: 'vector', type: type.type };
    case 'vectorString':
      return { kind: 'vectorString' };
  }
}

/** Dictionary strings pre-encoded as ROOT strings (length prefix + UTF-8), once per chunk. */
export function encodeDictionary(dict: readonly string[]): Uint8Array[] {
  return dict.map((s) => {
    const b = utf8(s);
    const w = new ByteWriter(b.length + 5);
    w.lengthPrefixed(b);
    return w.toUint8Array();
  });
}

function writeScalarRun(w: ByteWriter, type: NumericType, values: NumericArray, from: number, to: number): void {
  const n = to - from;
  w.ensure(n * NUMERIC_SIZE[type]);
  const dv = w.dataView;
  const raw = w.raw;
  let p = w.pos;
  switch (type) {
    case 'bool': {
      const v = values as Uint8Array;
      for (let i = from; i < to; i++) raw[p++] = v[i] ? 1 : 0;
      break;
    }
    case 'int8':
    case 'uint8': {
      const v = values as Uint8Array | Int8Array;
      for (let i = from; i < to; i++) raw[p++] = (v[i] ?? 0) & 0xff;
      break;
    }
    case 'int16':
    case 'uint16': {
      const v = values as Int16Array | Uint16Array;
      for (let i = from; i < to; i++, p += 2) dv.setUint16(p, (v[i] ?? 0) & 0xffff);
      break;
    }
    case 'int32':
    case 'uint32': {
      const v = values as Int32Array | Uint32Array;
      for (let i = from; i < to; i++, p += 4) dv.setUint32(p, (v[i] ?? 0) >>> 0);
      break;
    }
    case 'int64': {
      const v = values as BigInt64Array;
      for (let i = from; i < to; i++, p += 8) dv.setBigInt64(p, v[i] ?? 0n);
      break;
    }
    case 'uint64': {
      const v = values as BigUint64Array;
      for (let i = from; i < to; i++, p += 8) dv.setBigUint64(p, v[i] ?? 0n);
      break;
    }
    case 'float32': {
      const v = values as Float32Array;
      for (let i = from; i < to; i++, p += 4) dv.setFloat32(p, v[i] ?? 0);
      break;
    }
    case 'float64': {
      const v = values as Float64Array;
      for (let i = from; i < to; i++, p += 8) dv.setFloat64(p, v[i] ?? 0);
      break;
    }
  }
  w.pos = p;
}

/** Byte count + version in front of an object-wise streamed STL collection or split std::string. */
function beginHeader(w: ByteWriter): number {
  const at = w.pos;
  w.u32(0);
  w.i16(STL_VERSION);
  return at;
}

function endHeader(w: ByteWriter, at: number): void {
  w.setU32At(at, (w.pos - at - 4) | kByteCountMask);
}

export interface EntrySink {
  /** Offsets (relative to the basket payload start) of each entry written, for variable layouts. */
  offsets: Int32Array;
  count: number;
  /** Longest string seen (TLeafC's fMaximum). */
  maxString: number;
}

export function pushOffset(sink: EntrySink, off: number): void {
  if (sink.count === sink.offsets.length) {
    const next = new Int32Array(sink.offsets.length * 2);
    next.set(sink.offsets);
    sink.offsets = next;
  }
  sink.offsets[sink.count++] = off;
}

/**
 * Appends entries `from`.. of `chunk` to `w` until `to`, or, for variable layouts,
 * until the payload reaches `limit` bytes (at least one entry is always written).
 * Returns the index of the first entry not written.
 */
export function writeEntries(
  w: ByteWriter,
  layout: EntryLayout,
  chunk: ColumnChunk | null,
  dict: Uint8Array[] | null,
  from: number,
  to: number,
  limit: number,
  sink: EntrySink,
): number {
  if (layout.kind === 'scalar') {
    writeScalarRun(w, layout.type, (chunk as { values: NumericArray }).values, from, to);
    return to;
  }
  if (layout.kind === 'constU32') {
    for (let i = from; i < to; i++) {
      if (layout.variable) pushOffset(sink, w.pos);
      w.u32(layout.value);
    }
    return to;
  }
  let i = from;
  switch (layout.kind) {
    case 'string': {
      const c = chunk as Extract<ColumnChunk, { kind: 'string' }>;
      const d = dict as Uint8Array[];
      for (; i < to && (i === from || w.pos < limit); i++) {
        pushOffset(sink, w.pos);
        const s = d[c.indices[i] ?? 0] as Uint8Array;
        if (s.length - 1 > sink.maxString) sink.maxString = s.length - 1;
        if (layout.header) {
          const at = beginHeader(w);
          w.bytesIn(s);
          endHeader(w, at);
        } else {
          w.bytesIn(s);
        }
      }
      return i;
    }
    case 'vector': {
      const c = chunk as Extract<ColumnChunk, { kind: 'vector' }>;
      const offs = c.offsets;
      for (; i < to && (i === from || w.pos < limit); i++) {
        pushOffset(sink, w.pos);
        const a = offs[i] ?? 0;
        const b = offs[i + 1] ?? a;
        const at = beginHeader(w);
        w.i32(b - a);
        writeScalarRun(w, layout.type, c.values, a, b);
        endHeader(w, at);
      }
      return i;
    }
    case 'vectorString': {
      const c = chunk as Extract<ColumnChunk, { kind: 'vectorString' }>;
      const d = dict as Uint8Array[];
      const offs = c.offsets;
      const idx = c.indices;
      for (; i < to && (i === from || w.pos < limit); i++) {
        pushOffset(sink, w.pos);
        const a = offs[i] ?? 0;
        const b = offs[i + 1] ?? a;
        const at = beginHeader(w);
        w.i32(b - a);
        for (let k = a; k < b; k++) w.bytesIn(d[idx[k] ?? 0] as Uint8Array);
        endHeader(w, at);
      }
      return i;
    }
  }
}
