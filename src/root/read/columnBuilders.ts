// Which builder decodes a branch: WebAssembly kernels for the std::vector layouts
// that dominate LZ files (vector<int>/<float> per vertex, vector<string> volume
// names), the checked TypeScript builders of interpret.ts for everything else.
//
// A kernel only decodes well-formed bytes. When it rejects a basket, that basket
// is decoded again by the checked builder, whose error names the entry and what is
// wrong; the kernels need no error messages of their own.

import { NUMERIC_SIZE, type NumericType } from '../write/types.js';
import type { Layout } from './metadata.js';
import { UnsupportedBranchError, type ErrorPlace } from './errors.js';
import { FRESH_MEMORY, type ColumnMemory } from './columnMemory.js';
import { classesOfIndices, classOf, type ColumnData, type StringClassifier } from './columns.js';
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
import { decodeKernels, KernelStringDictionary, type KernelOffsets, type KernelResult } from './wasmKernels.js';

/**
 * A builder of the column of `entries` entries of a branch with this layout, its arrays
 * from `memory`; with `classify`, a std::vector<std::string> branch read by class.
 */
export function columnBuilder(layout: Layout, entries: number, place: ErrorPlace, memory: ColumnMemory = FRESH_MEMORY, classify?: StringClassifier): ColumnBuilder {
  if (classify) {
    if (layout.form !== 'stlVectorString') throw new UnsupportedBranchError(place, 'only a std::vector<std::string> branch can be read by class');
    if (LITTLE_ENDIAN_HOST) return new KernelStringClassBuilder(layout, entries, place, memory, (value) => classOf(classify, value, place));
    return byClass(checkedColumnBuilder(layout, entries, place, memory), classify, place, memory);
  }
  // The kernels' memory is little-endian; on a big-endian host its Int32Array views would not be.
  if (LITTLE_ENDIAN_HOST) {
    if (layout.form === 'stlVector' && NUMERIC_SIZE[layout.elem] === 4) return new KernelVector32Builder(layout, entries, place, memory);
    if (layout.form === 'stlVectorString') return new KernelVectorStringBuilder(layout, entries, place, memory);
  }
  return checkedColumnBuilder(layout, entries, place, memory);
}

/** A builder of a column read by class from a builder of its dictionary indices (where there is no class kernel). */
export function byClass(strings: ColumnBuilder, classify: StringClassifier, place: ErrorPlace, memory: ColumnMemory = FRESH_MEMORY): ColumnBuilder {
  return {
    add: (s) => strings.add(s),
    finish: () => {
      const c = strings.finish();
      if (c.kind !== 'vectorString') throw new Error(`internal error: ${place.branch ?? '?'} decoded as ${c.kind}, not as strings`);
      return classesOfIndices(c, classify, place, memory);
    },
  };
}

/** Decodes the slice with the checked builder, which throws the reason the kernel rejected it. */
function rejected(layout: Layout, s: BasketSlice, place: ErrorPlace): never {
  checkedColumnBuilder(layout, s.to - s.from, place).add(s);
  throw new Error(
    `internal error: the WebAssembly decoder rejected the basket at entry ${s.entryStart} of ${place.file} (branch ${place.branch ?? '?'}), which the checked decoder accepts`,
  );
}

/**
 * What the kernel builders do: find the basket's entry offsets, let a kernel decode
 * the slice, and append its elements (32-bit words, or bytes) and entry ends to the
 * column.
 */
abstract class KernelBuilder<Elements extends Int32Array | Uint8Array = Int32Array> implements ColumnBuilder {
  protected readonly offsets: Int32Array;
  protected elements: GrowingValues | null = null;
  protected done = 0;

  constructor(
    protected readonly layout: Extract<Layout, { form: 'stlVector' | 'stlVectorString' }>,
    protected readonly entries: number,
    protected readonly place: ErrorPlace,
    private readonly memory: ColumnMemory,
    protected readonly elementType: NumericType,
  ) {
    this.offsets = offsetsArray(memory, entries);
  }

  /** The kernel's decoding of entries [s.from, s.to), ends counted from `base`; null when it rejects them. */
  protected abstract decode(s: BasketSlice, offsets: KernelOffsets, base: number): KernelResult<Elements> | null;

  add(s: BasketSlice): void {
    checkRoom(this.place, this.done, s.to - s.from, this.entries);
    const off = s.raw.storedOffsets ?? entryOffsets(this.layout, s, this.place);
    const m = this.offsets[this.done]!;
    const got = this.decode(s, off, m);
    if (!got) rejected(this.layout, s, this.place);
    const first = this.elements === null;
    this.elements ??= new GrowingValues(this.elementType, m + got.elements.length, this.memory);
    const values = this.elements.ensure(m + got.elements.length);
    if (got.elements instanceof Uint8Array) new Uint8Array(values.buffer, values.byteOffset, values.length).set(got.elements, m);
    else new Int32Array(values.buffer, values.byteOffset, values.length).set(got.elements, m);
    this.offsets.set(got.ends, this.done + 1);
    this.done += got.ends.length;
    // After the first basket the elements per entry are known: room for the whole column.
    if (first) this.elements.ensure(estimate(this.offsets[this.done]!, this.done, this.entries));
  }

  abstract finish(): ColumnData;

  /** The column as offsets and elements, once every entry was added. */
  protected jagged(): Extract<ColumnData, { kind: 'vector' }> {
    return jaggedColumn(this.place, this.done, this.entries, this.offsets, this.elements, this.elementType);
  }
}

/** std::vector of 4-byte numbers (int, unsigned, float), the kernel's words kept as bit patterns. */
class KernelVector32Builder extends KernelBuilder {
  constructor(layout: Extract<Layout, { form: 'stlVector' }>, entries: number, place: ErrorPlace, memory: ColumnMemory) {
    super(layout, entries, place, memory, layout.elem);
  }

  protected decode(s: BasketSlice, offsets: KernelOffsets, base: number): KernelResult | null {
    return decodeKernels().vector32(s.raw.data, offsets, s.from, s.to, base);
  }

  finish(): ColumnData {
    return this.jagged();
  }
}

/** std::vector<std::string> as dictionary indices, one JS string per distinct value. */
class KernelVectorStringBuilder extends KernelBuilder {
  private readonly dict = new KernelStringDictionary();

  constructor(layout: Extract<Layout, { form: 'stlVectorString' }>, entries: number, place: ErrorPlace, memory: ColumnMemory) {
    super(layout, entries, place, memory, 'uint32');
  }

  protected decode(s: BasketSlice, offsets: KernelOffsets, base: number): KernelResult | null {
    return decodeKernels().vectorString(this.dict, s.raw.data, offsets, s.from, s.to, base);
  }

  finish(): ColumnData {
    return { kind: 'vectorString', offsets: this.offsets, indices: this.jagged().values as Uint32Array, dictionary: this.dict.strings };
  }
}

/** std::vector<std::string> by class: one byte per string, `classify` called once per distinct value. */
class KernelStringClassBuilder extends KernelBuilder<Uint8Array> {
  private readonly dict = new KernelStringDictionary();

  constructor(
    layout: Extract<Layout, { form: 'stlVectorString' }>,
    entries: number,
    place: ErrorPlace,
    memory: ColumnMemory,
    private readonly classify: StringClassifier,
  ) {
    super(layout, entries, place, memory, 'uint8');
  }

  protected decode(s: BasketSlice, offsets: KernelOffsets, base: number): KernelResult<Uint8Array> | null {
    return decodeKernels().vectorStringClasses(this.dict, this.classify, s.raw.data, offsets, s.from, s.to, base);
  }

  finish(): ColumnData {
    return { kind: 'vectorStringClass', offsets: this.offsets, classes: this.jagged().values as Uint8Array, dictionary: this.dict.strings };
  }
}
