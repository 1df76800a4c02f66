// Host side of the WebAssembly decode kernels (kernels/wasm/decode.ts, built to
// dist/kernels/decode.wasm): their memory, what goes in and what comes out.
//
// A call copies one basket's bytes and entry offsets into the kernels' memory and
// returns views of the results there, valid until the next call. The copies cost
// a few percent of a kernel's time; in exchange the kernels own no memory of the
// reader's and cannot corrupt it.

import { align8, WasmKernel } from '../../wasmKernel.js';
import type { StoredOffsets } from './basket.js';
import type { StringClassifier } from './columns.js';

interface KernelExports {
  basketOffsets(table: number, n: number, keylen: number, border: number, out: number): number;
  vector32(data: number, dataLen: number, offsets: number, from: number, to: number, outEnds: number, outValues: number, base: number): number;
  vectorString(data: number, dataLen: number, offsets: number, from: number, to: number, outEnds: number, outIndices: number, dict: number, base: number): number;
  vectorStringClasses(data: number, dataLen: number, offsets: number, from: number, to: number, outEnds: number, outClasses: number, dict: number, base: number, classes: number): number;
  rehashDictionary(dict: number): void;
}

/** Kernel results meaning "not well formed": the caller decodes the basket with the checked builders. */
const REJECTED = -1;
const DICTIONARY_FULL = -2;
const UNCLASSIFIED = -3;

const DICT_HEADER = 16;

/** A basket's entry offsets: decoded (entries + 1 of them), or its stored table, decoded and checked by the kernel. */
export type KernelOffsets = Int32Array | StoredOffsets;

/** What a kernel decoded from entries [from, to): where each entry's elements end, and the elements. */
export interface KernelResult<Elements extends Int32Array | Uint8Array = Int32Array> {
  /** ends[j] = base + elements of entries from..from+j together. */
  readonly ends: Int32Array;
  readonly elements: Elements;
}

/** The distinct strings of one column, as the kernel's dictionary numbers them. */
export class KernelStringDictionary {
  readonly strings: string[] = [];
  /** The class of each value, in dictionary order, when the column is read by class. */
  readonly classes: number[] = [];
  /** The dictionary's bytes while another dictionary is in the kernels' memory. */
  saved: Uint8Array | null = null;
  /** Its size in the kernels' memory (header, slots, spans, pool). */
  bytes = 0;
}

class Kernels {
  private readonly kernel = new WasmKernel<KernelExports>('decode.wasm');
  private readonly exports = this.kernel.exports;
  /** The string dictionary now at address 0, ahead of every call's buffers. */
  private active: KernelStringDictionary | null = null;
  private readonly decoder = new TextDecoder('utf-8');

  // views of the kernel's memory, taken anew whenever it grows
  private get u8(): Uint8Array {
    return this.kernel.u8;
  }
  private get i32(): Int32Array {
    return this.kernel.i32;
  }

  /** std::vector of 4-byte numbers, ends counted from `base`; null when the kernel rejects the basket. */
  vector32(data: Uint8Array, offsets: KernelOffsets, from: number, to: number, base: number): KernelResult | null {
    const at = this.place(this.active?.bytes ?? 0, data, offsets, data.length >>> 2);
    if (!at) return null;
    const m = this.exports.vector32(at.data, data.length, at.offsets, from, to, at.ends, at.elements, base);
    return m < 0 ? null : this.result(at, to - from, m);
  }

  /** std::vector<std::string>, each string as its index in `dict`, ends counted from `base`; null when the kernel rejects the basket. */
  vectorString(dict: KernelStringDictionary, data: Uint8Array, offsets: KernelOffsets, from: number, to: number, base: number): KernelResult | null {
    const done = this.strings(dict, null, data, offsets, from, to, base);
    return done && this.result(done.at, to - from, done.m);
  }

  /**
   * std::vector<std::string>, each string as its class: `classify` of its value, called
   * once per distinct value of the column (`dict`), as the value is first seen (its
   * exceptions pass through). Null when the kernel rejects the basket.
   */
  vectorStringClasses(
    dict: KernelStringDictionary,
    classify: StringClassifier,
    data: Uint8Array,
    offsets: KernelOffsets,
    from: number,
    to: number,
    base: number,
  ): KernelResult<Uint8Array> | null {
    const done = this.strings(dict, classify, data, offsets, from, to, base);
    return done && { ends: this.endsAt(done.at, to - from), elements: this.u8.subarray(done.at.elements, done.at.elements + done.m) };
  }

  /** Runs a string kernel (by class with `classify`), growing the dictionary and classifying new values until it is done. */
  private strings(dict: KernelStringDictionary, classify: StringClassifier | null, data: Uint8Array, offsets: KernelOffsets, from: number, to: number, base: number) {
    this.activate(dict);
    for (;;) {
      // every string takes at least its length byte; the class table: the count
      // classified, then one byte per value the dictionary can hold
      const at = this.place(dict.bytes, data, offsets, data.length, classify ? 4 + (this.i32[0]! + 1) / 2 : 0);
      if (!at) return null;
      let m: number;
      if (classify) {
        this.i32[at.classes >>> 2] = dict.classes.length;
        this.u8.set(dict.classes, at.classes + 4);
        m = this.exports.vectorStringClasses(at.data, data.length, at.offsets, from, to, at.ends, at.elements, 0, base, at.classes);
      } else {
        m = this.exports.vectorString(at.data, data.length, at.offsets, from, to, at.ends, at.elements, 0, base);
      }
      if (m === DICTIONARY_FULL) {
        this.growDictionary(dict, data.length);
        continue;
      }
      if (m === REJECTED) return null;
      this.syncStrings(dict);
      if (m === UNCLASSIFIED && classify) {
        // new values (rare: the first baskets of a column): classify them all, decode the slice again
        for (let idx = dict.classes.length; idx < dict.strings.length; idx++) dict.classes.push(classify(dict.strings[idx]!));
        continue;
      }
      return m < 0 ? null : { at, m };
    }
  }

  /**
   * Lays out [basket bytes][entry offsets][stored table][ends][elements][classes] after
   * `base`, growing the memory to fit, with the 32 bytes of slack that whole-vector loads
   * and stores need, and copies the basket in; a stored table is decoded there (null
   * when it is not well formed).
   */
  private place(base: number, data: Uint8Array, offsets: KernelOffsets, maxElements: number, classBytes = 0) {
    const entries = offsets instanceof Int32Array ? offsets.length - 1 : offsets.bytes.length >>> 2;
    const at = { data: align8(base), offsets: 0, table: 0, ends: 0, elements: 0, classes: 0 };
    at.offsets = align8(at.data + data.length);
    at.table = align8(at.offsets + 4 * (entries + 1));
    at.ends = align8(at.table + (offsets instanceof Int32Array ? 0 : offsets.bytes.length));
    at.elements = align8(at.ends + 4 * entries);
    at.classes = align8(at.elements + 4 * maxElements + 32);
    this.ensure(at.classes + classBytes);
    this.u8.set(data, at.data);
    if (offsets instanceof Int32Array) {
      this.i32.set(offsets, at.offsets >>> 2);
    } else {
      this.u8.set(offsets.bytes, at.table);
      if (this.exports.basketOffsets(at.table, entries, offsets.keylen, data.length, at.offsets) !== 0) return null;
    }
    return at;
  }

  /** The ends of `n` entries and `m` 32-bit elements a kernel wrote at `at`. */
  private result(at: { ends: number; elements: number }, n: number, m: number): KernelResult {
    return { ends: this.endsAt(at, n), elements: this.i32.subarray(at.elements >>> 2, (at.elements >>> 2) + m) };
  }

  private endsAt(at: { ends: number }, n: number): Int32Array {
    return this.i32.subarray(at.ends >>> 2, (at.ends >>> 2) + n);
  }

  private ensure(bytes: number): void {
    this.kernel.ensure(bytes);
  }

  /** Puts `dict` at address 0, saving the one that was there. */
  private activate(dict: KernelStringDictionary): void {
    if (this.active === dict) return;
    if (this.active) this.active.saved = this.u8.slice(0, this.active.bytes);
    this.active = dict;
    if (dict.saved) {
      this.ensure(dict.bytes);
      this.u8.set(dict.saved, 0);
      dict.saved = null;
    } else {
      this.layOutDictionary(dict, 256, 1024);
    }
  }

  /** An empty dictionary of `slots` slots (a power of two) and `poolBytes` of string bytes, at address 0. */
  private layOutDictionary(dict: KernelStringDictionary, slots: number, poolBytes: number): void {
    dict.bytes = DICT_HEADER + 8 * slots + poolBytes;
    this.ensure(dict.bytes);
    this.i32.fill(0, 0, (DICT_HEADER + 4 * slots) >>> 2);
    this.i32[0] = slots - 1;
    this.i32[3] = poolBytes;
  }

  /** More slots when half are used, more pool when a string did not fit (no string is longer than its basket). */
  private growDictionary(dict: KernelStringDictionary, basketBytes: number): void {
    const slots = this.i32[0]! + 1;
    const count = this.i32[1]!;
    const used = this.i32[2]!;
    const poolBytes = this.i32[3]!;
    const spans = this.i32.slice((DICT_HEADER >>> 2) + slots, (DICT_HEADER >>> 2) + slots + 2 * count);
    const pool = this.u8.slice(DICT_HEADER + 8 * slots, DICT_HEADER + 8 * slots + used);
    const newSlots = 2 * (count + 1) > slots ? 2 * slots : slots;
    const newPool = used + basketBytes > poolBytes ? Math.max(2 * poolBytes, used + basketBytes) : poolBytes;
    this.layOutDictionary(dict, newSlots, newPool);
    this.i32.set(spans, (DICT_HEADER >>> 2) + newSlots);
    this.u8.set(pool, DICT_HEADER + 8 * newSlots);
    this.i32[1] = count;
    this.i32[2] = used;
    this.exports.rehashDictionary(0);
  }

  /** Makes the JS strings of the values the kernel added to the active dictionary. */
  private syncStrings(dict: KernelStringDictionary): void {
    const count = this.i32[1]!;
    if (dict.strings.length === count) return;
    const slots = this.i32[0]! + 1;
    const spans = (DICT_HEADER >>> 2) + slots;
    const pool = DICT_HEADER + 8 * slots;
    for (let idx = dict.strings.length; idx < count; idx++) {
      const start = pool + this.i32[spans + 2 * idx]!;
      dict.strings.push(this.decoder.decode(this.u8.subarray(start, start + this.i32[spans + 2 * idx + 1]!)));
    }
  }
}

let kernels: Kernels | null = null;

/** The decode kernels of this process, compiled on first use. */
export function decodeKernels(): Kernels {
  kernels ??= new Kernels();
  return kernels;
}
