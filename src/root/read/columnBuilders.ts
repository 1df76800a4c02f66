// Which builder decodes a branch: WebAssembly kernels for the std::vector layouts
// that dominate LZ files (vector<int>/<float> per vertex, vector<string> volume
// names), the checked TypeScript builders of interpret.ts for everything else.
//
// A kernel only decodes well-formed bytes. When it rejects a basket, that basket
// is decoded again by the checked builder, whose error names the entry and what is
// wrong; the kernels need no error messages of their own.

import { NUMERIC_SIZE, type ColumnChunk } from '../write/types.js';
import type { Layout } from './metadata.js';
import type { ErrorPlace } from './errors.js';
import { FRESH_MEMORY, type ColumnMemory } from './columnMemory.js';
import {
  checkedColumnBuilder,
  checkFull,
  checkRoom,
  entryOffsets,
  estimate,
  GrowingValues,
  jaggedColumn,
  LITTLE_ENDIAN_HOST,
  offsetsArray,
  type BasketSlice,
  type ColumnBuilder,
} from './interpret.js';
import { decodeKernels, KernelStringDictionary } from './wasmKernels.js';

/** A builder of the column of `entries` entries of a branch with this layout, its arrays from `memory`. */
export function columnBuilder(layout: Layout, entries: number, place: ErrorPlace, memory: ColumnMemory = FRESH_MEMORY): ColumnBuilder {
  // The kernels' memory is little-endian; on a big-endian host its Int32Array views would not be.
  if (LITTLE_ENDIAN_HOST) {
    if (layout.form === 'stlVector' && NUMERIC_SIZE[layout.elem] === 4) return new KernelVector32Builder(layout, entries, place, memory);
    if (layout.form === 'stlVectorString') return new KernelVectorStringBuilder(layout, entries, place, memory);
  }
  return checkedColumnBuilder(layout, entries, place, memory);
}

/** Decodes the slice with the checked builder, which throws the reason the kernel rejected it. */
function rejected(layout: Layout, s: BasketSlice, place: ErrorPlace): never {
  checkedColumnBuilder(layout, s.to - s.from, place).add(s);
  throw new Error(
    `internal error: the WebAssembly decoder rejected the basket at entry ${s.entryStart} of ${place.file} (branch ${place.branch ?? '?'}), which the checked decoder accepts`,
  );
}

/** std::vector of 4-byte numbers (int, unsigned, float), the kernel's words kept as bit patterns. */
class KernelVector32Builder implements ColumnBuilder {
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
    checkRoom(this.place, this.done, s.to - s.from, this.entries);
    const off = s.raw.storedOffsets ?? entryOffsets(this.layout, s, this.place);
    const m = this.offsets[this.done]!;
    const got = decodeKernels().vector32(s.raw.data, off, s.from, s.to, m);
    if (!got) rejected(this.layout, s, this.place);
    const first = this.values === null;
    this.values ??= new GrowingValues(this.layout.elem, m + got.elements.length, this.memory);
    const values = this.values.ensure(m + got.elements.length);
    new Int32Array(values.buffer, values.byteOffset, values.length).set(got.elements, m);
    this.offsets.set(got.ends, this.done + 1);
    this.done += got.ends.length;
    // After the first basket the values per entry are known: room for the whole column.
    if (first) this.values.ensure(estimate(this.offsets[this.done]!, this.done, this.entries));
  }

  finish(): ColumnChunk {
    return jaggedColumn(this.place, this.done, this.entries, this.offsets, this.values, this.layout.elem);
  }
}

/** std::vector<std::string> as dictionary indices, one JS string per distinct value. */
class KernelVectorStringBuilder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private indices: Uint32Array | null = null;
  private readonly dict = new KernelStringDictionary();
  private done = 0;

  constructor(
    private readonly layout: Extract<Layout, { form: 'stlVectorString' }>,
    private readonly entries: number,
    private readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
  ) {
    this.offsets = offsetsArray(memory, entries);
  }

  add(s: BasketSlice): void {
    checkRoom(this.place, this.done, s.to - s.from, this.entries);
    const off = s.raw.storedOffsets ?? entryOffsets(this.layout, s, this.place);
    const m = this.offsets[this.done]!;
    const got = decodeKernels().vectorString(this.dict, s.raw.data, off, s.from, s.to, m);
    if (!got) rejected(this.layout, s, this.place);
    const need = m + got.elements.length;
    const first = this.indices === null;
    if (!this.indices || need > this.indices.length) {
      const room = first ? need : Math.max(need, Math.ceil(this.indices!.length * 1.5));
      this.grow(room);
    }
    this.indices!.set(got.elements, m);
    this.offsets.set(got.ends, this.done + 1);
    this.done += got.ends.length;
    // After the first basket the strings per entry are known: room for the whole column.
    if (first) this.grow(estimate(need, this.done, this.entries));
  }

  private grow(room: number): void {
    const old = this.indices;
    if (old && room <= old.length) return;
    const bigger = this.memory.allocate('uint32', Math.max(16, room)) as Uint32Array;
    if (old) bigger.set(old.subarray(0, this.offsets[this.done]!));
    this.indices = bigger;
  }

  finish(): ColumnChunk {
    checkFull(this.place, this.done, this.entries);
    const m = this.offsets[this.entries]!;
    return {
      kind: 'vectorString',
      offsets: this.offsets,
      indices: (this.indices ?? new Uint32Array(0)).subarray(0, m),
      dictionary: this.dict.strings,
    };
  }
}
