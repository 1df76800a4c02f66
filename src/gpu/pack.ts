// Host side of the kernel's buffer layout (kernels/mssi.wgsl): a chunk of
// EventColumns becomes float32 bit patterns, with the events whose values are
// not exactly float32 flagged for the float64 path. Float32 columns are copied
// as they are; other types are converted only where that is provably exact.

import type { EventColumns, JaggedColumn, NumberArray } from '../selection/types.js';

/** Bit 31 of an event's vertex word: the host already sends the event to the CPU. */
export const HOST_FLAG = 0x80000000;
const MAX_VERTEX_COUNT = 0x7fffffff;
/** Words per event in the events buffer: 6 scalars, the vertex word, the CSR offset (+1 at the end). */
export const WORDS_PER_EVENT = 8;
/** Bytes per vertex in the vertex buffer: S1, S2 (float32 bits) and a skip byte. */
export const BYTES_PER_VERTEX = 9;
const SMALLEST_POSITIVE_F32 = 2 ** -149;

/** The three per-vertex columns on one CSR layout, or none when the columns are not well formed. */
export interface VertexLayout {
  readonly offsets: Int32Array;
  readonly s1: NumberArray;
  readonly s2: NumberArray;
  readonly skip: Uint8Array;
}

/**
 * The common case, checked in one pass: the three columns have equal, well-formed
 * offsets (LZ's per-vertex vectors are equally long). Undefined otherwise.
 */
function sharedOffsets(skip: JaggedColumn<Uint8Array>, s1: JaggedColumn, s2: JaggedColumn, entries: number): VertexLayout | undefined {
  const o = skip.offsets;
  const o1 = s1.offsets;
  const o2 = s2.offsets;
  if (o.length < entries + 1 || o1.length < entries + 1 || o2.length < entries + 1) return undefined;
  if (o[0]! < 0 || o1[0] !== o[0] || o2[0] !== o[0]) return undefined;
  for (let i = 0; i < entries; i++) {
    const next = o[i + 1]!;
    if (next < o[i]! || o1[i + 1] !== next || o2[i + 1] !== next) return undefined;
  }
  const last = o[entries]!;
  if (last > skip.values.length || last > s1.values.length || last > s2.values.length) return undefined;
  return { offsets: o, s1: s1.values, s2: s2.values, skip: skip.values };
}

function wellFormed(col: JaggedColumn, entries: number): boolean {
  const o = col.offsets;
  if (o.length < entries + 1 || o[0]! < 0 || o[entries]! > col.values.length) return false;
  for (let i = 0; i < entries; i++) if (o[i + 1]! < o[i]!) return false;
  return true;
}

/**
 * One CSR layout for the skip flags and both photon columns. When their offsets
 * differ (legal, if odd), each event keeps the shortest of its three vectors:
 * the reference reads only the first n vertices and fails when n exceeds any
 * of the three lengths, i.e. exactly when n exceeds the shortest.
 * Undefined when a column is malformed (the caller then runs the reference).
 */
export function vertexLayout(c: EventColumns): VertexLayout | undefined {
  const n = c.entries;
  const cols = [c.vertexSkipped, c.detectedS1Photons, c.detectedS2Photons] as const;
  const [skip, s1, s2] = cols;
  const shared = sharedOffsets(skip, s1, s2, n);
  if (shared) return shared;
  if (!cols.every((col) => wellFormed(col, n))) return undefined;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const len = Math.min(...cols.map((col) => col.offsets[i + 1]! - col.offsets[i]!));
    offsets[i + 1] = offsets[i]! + len;
  }
  const total = offsets[n]!;
  const out = { s1: new Float64Array(total), s2: new Float64Array(total), skip: new Uint8Array(total) };
  for (let i = 0; i < n; i++) {
    const len = offsets[i + 1]! - offsets[i]!;
    const at = offsets[i]!;
    for (let j = 0; j < len; j++) {
      out.skip[at + j] = skip.values[skip.offsets[i]! + j]!;
      out.s1[at + j] = s1.values[s1.offsets[i]! + j]!;
      out.s2[at + j] = s2.values[s2.offsets[i]! + j]!;
    }
  }
  return { offsets, ...out };
}

/** A photon column as the kernel reads it: float32 bits, or int32 (whose "> 0" is the integer's). */
export type PhotonWords = Float32Array | Int32Array;

/** A packed chunk [start, stop), ready for the kernel's buffers. */
export interface PackedChunk {
  readonly start: number;
  readonly events: number;
  /**
   * The events buffer's sections, in order, each `events` words: six scalars
   * (float32 bits), the vertex words; then `events + 1` CSR offsets. Views of the
   * caller's columns where those are already in the kernel's format, else of the
   * packer's scratch.
   */
  readonly eventSections: readonly (Float32Array | Int32Array | Uint32Array)[];
  readonly hostFlagged: number;
  readonly vertexBase: number;
  readonly vertices: number;
  readonly s1: PhotonWords;
  readonly s2: PhotonWords;
  /** One skip byte per vertex (not padded). */
  readonly skip: Uint8Array;
}

const SCALARS = ['x_cm', 'y_cm', 'driftTime_ns', 's2Area_phd', 'correctedS1Area_phd', 'correctedS2Area_phd'] as const;

/**
 * Packs chunks for the kernel. Columns already in its format (float32 scalars,
 * int32 vertex counts, float32 or int32 photon counts: what LZ files hold) are
 * handed over as views, with no copy on the host; the rest is converted into
 * scratch arrays that are reused from chunk to chunk.
 */
export class ChunkPacker {
  private words = new Uint32Array(0);
  private floats = new Float32Array(0);
  private flags = new Uint8Array(0);
  private s1 = new Float32Array(0);
  private s2 = new Float32Array(0);

  pack(c: EventColumns, layout: VertexLayout, start: number, stop: number): PackedChunk {
    const e = stop - start;
    const counts = c.nRQMCTruthVertices;
    const direct = counts instanceof Int32Array && SCALARS.every((name) => c[name] instanceof Float32Array);
    let eventSections: (Float32Array | Int32Array | Uint32Array)[];
    let hostFlagged = 0;
    if (direct) {
      // A negative count has bit 31, the host flag, set: the float64 reference decides
      // such an event (it loops zero times, as the kernel's clamp would).
      eventSections = [...SCALARS.map((name) => (c[name] as Float32Array).subarray(start, stop)), counts.subarray(start, stop)];
    } else {
      this.reserveEvents(e);
      const flags = this.flags.subarray(0, e);
      flags.fill(0);
      eventSections = SCALARS.map((name, section) => {
        const dst = this.floats.subarray(section * e, (section + 1) * e);
        toFloat32Exact(c[name], start, stop, dst, flags);
        return dst;
      });
      const vertexWords = this.words.subarray(6 * e, 7 * e);
      for (let i = 0; i < e; i++) {
        // The reference's count: NaN or negative loop zero times; beyond 2^31-1 it
        // exceeds any vector anyway, so clamping keeps the kernel's answer.
        const n = Math.min(MAX_VERTEX_COUNT, Math.max(0, Math.trunc(counts[start + i]!) || 0));
        const flagged = flags[i]! !== 0;
        if (flagged) hostFlagged++;
        vertexWords[i] = flagged ? (n | HOST_FLAG) >>> 0 : n;
      }
      eventSections.push(vertexWords);
    }
    eventSections.push(layout.offsets.subarray(start, stop + 1));

    const vertexBase = layout.offsets[start]!;
    const vertices = layout.offsets[stop]! - vertexBase;
    return {
      start,
      events: e,
      eventSections,
      hostFlagged,
      vertexBase,
      vertices,
      s1: this.photonWords(layout.s1, vertexBase, vertices, 's1'),
      s2: this.photonWords(layout.s2, vertexBase, vertices, 's2'),
      skip: layout.skip.subarray(vertexBase, vertexBase + vertices),
    };
  }

  private photonWords(src: NumberArray, at: number, n: number, scratch: 's1' | 's2'): PhotonWords {
    if (src instanceof Float32Array || src instanceof Int32Array) return src.subarray(at, at + n);
    if (this[scratch].length < n) this[scratch] = new Float32Array(Math.max(n, Math.ceil(this[scratch].length * 1.5)));
    const dst = this[scratch].subarray(0, n);
    toSignExactFloat32(src, at, dst);
    return dst;
  }

  private reserveEvents(e: number): void {
    const need = 7 * e;
    if (this.words.length >= need) return;
    this.words = new Uint32Array(need);
    this.floats = new Float32Array(this.words.buffer);
    this.flags = new Uint8Array(e);
  }
}

/**
 * src[start, stop) as float32 into dst; flags[i] = 1 where a value is not
 * exactly a float32 (float64 or wide integer columns), so that the float64
 * reference decides that event. NaN stays NaN (it converts exactly in meaning).
 */
export function toFloat32Exact(src: NumberArray, start: number, stop: number, dst: Float32Array, flags: Uint8Array): void {
  if (src instanceof Float32Array) {
    dst.set(src.subarray(start, stop));
    return;
  }
  const exactByType =
    src instanceof Int8Array || src instanceof Uint8Array || src instanceof Int16Array || src instanceof Uint16Array;
  for (let i = start; i < stop; i++) {
    const v = src[i]!;
    const f = Math.fround(v);
    dst[i - start] = f;
    if (!exactByType && f !== v && v === v) flags[i - start] = 1;
  }
}

/**
 * Per-vertex photon counts, of which the selection only asks `> 0`: converted
 * to float32 with that sign kept exactly (a positive float64 below float32's
 * smallest subnormal would round to 0, so it becomes that subnormal).
 */
export function toSignExactFloat32(src: NumberArray, start: number, dst: Float32Array): void {
  const stop = start + dst.length;
  if (src instanceof Float32Array) {
    dst.set(src.subarray(start, stop));
    return;
  }
  for (let i = start; i < stop; i++) {
    const v = src[i]!;
    const f = Math.fround(v);
    dst[i - start] = f === 0 && v > 0 ? SMALLEST_POSITIVE_F32 : f;
  }
}
