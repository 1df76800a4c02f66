// The WebAssembly kernels against the checked TypeScript builders, on generated
// std::vector baskets: equal columns for well-formed bytes, the same error for
// damaged ones (a kernel must never accept what the checked builder rejects).
import { describe, expect, it } from 'vitest';
import { byClass, columnBuilder } from '../../../src/root/read/columnBuilders.js';
import { checkedColumnBuilder, type BasketSlice, type ColumnBuilder } from '../../../src/root/read/interpret.js';
import { classesOfIndices, type ColumnData } from '../../../src/root/read/columns.js';
import type { Layout } from '../../../src/root/read/metadata.js';
import type { ColumnMemory } from '../../../src/root/read/columnMemory.js';
import { allocate } from '../../../src/root/read/columnMemory.js';
import type { NumericType } from '../../../src/root/write/types.js';
import { basketWithStoredOffsets } from '../../../src/root/read/basket.js';
import { decodeKernels } from '../../../src/root/read/wasmKernels.js';

const place = { file: 'generated.root', tree: 't', branch: 'b' };

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

class Bytes {
  private out: number[] = [];
  u8(v: number) {
    this.out.push(v & 0xff);
  }
  u16(v: number) {
    this.u8(v >>> 8);
    this.u8(v);
  }
  u32(v: number) {
    this.u16(v >>> 16);
    this.u16(v);
  }
  raw(b: ArrayLike<number>) {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]!);
  }
  get length() {
    return this.out.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** One std::vector entry as ROOT streams it: byte count | kByteCountMask, version, size, elements. */
function vectorEntry(w: Bytes, count: number, elements: (w: Bytes) => void): void {
  const body = new Bytes();
  body.u16(6); // version
  body.u32(count);
  elements(body);
  w.u32((body.length | 0x40000000) >>> 0);
  w.raw(body.bytes());
}

function basket(entries: ((w: Bytes) => void)[]): BasketSlice {
  const w = new Bytes();
  const offsets = new Int32Array(entries.length + 1);
  entries.forEach((write, i) => {
    write(w);
    offsets[i + 1] = w.length;
  });
  const data = w.bytes();
  return { raw: { data, offsets, entries: entries.length, compressedBytes: data.length, uncompressedBytes: data.length }, from: 0, to: entries.length, entryStart: 0 };
}

const NAMES = [
  ...['LiquidXenonTarget', 'InnerTitaniumVessel', 'SideSkinXenon', 'GdLSVolume', 'Skin', '', 'x', 'ScintillatorCenter', 'Ünïcödé volume ✓'],
  // the same length, differing in one byte: in each 8- and 16-byte part the kernel compares
  ...[0, 7, 8, 15, 16, 23, 30, 31].map((at) => 'abcdefghijklmnopqrstuvwxyz012345'.slice(0, at) + '#' + 'abcdefghijklmnopqrstuvwxyz012345'.slice(at + 1)),
  ...[3, 4, 8, 16, 17, 33].map((len) => 'q'.repeat(len)),
];

function randomName(r: () => number): string {
  const pick = r();
  if (pick < 0.7) return NAMES[Math.floor(r() * NAMES.length)]!;
  if (pick < 0.9) return `volume_${Math.floor(r() * 500)}`; // many distinct values: the dictionary grows
  const len = [253, 254, 255, 256, 300, 1000][Math.floor(r() * 6)]!; // one-byte and long length forms
  return 'L'.repeat(len - 4) + String(Math.floor(r() * 1000)).padStart(4, '0');
}

function writeString(w: Bytes, s: string): void {
  const b = new TextEncoder().encode(s);
  if (b.length < 255) w.u8(b.length);
  else {
    w.u8(255);
    w.u32(b.length);
  }
  w.raw(b);
}

function stringBasket(r: () => number, n: number): BasketSlice {
  return basket(
    Array.from({ length: n }, () => {
      const names = Array.from({ length: Math.floor(r() * 7) }, () => randomName(r));
      return (w: Bytes) => vectorEntry(w, names.length, (b) => names.forEach((s) => writeString(b, s)));
    }),
  );
}

function vector32Basket(r: () => number, n: number): BasketSlice {
  return basket(
    Array.from({ length: n }, () => {
      const words = Array.from({ length: Math.floor(r() * 9) }, () => Math.floor(r() * 2 ** 32));
      return (w: Bytes) => vectorEntry(w, words.length, (b) => words.forEach((x) => b.u32(x)));
    }),
  );
}

/** Column memory that hands out garbage-filled arrays, as recycled memory may be. */
const GARBAGE: ColumnMemory = {
  allocate(type: NumericType, n: number) {
    const a = allocate(type, n);
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).fill(0xa5);
    return a;
  },
};

/** A column as plain values per entry, strings resolved (dictionary numbering may differ). */
function plain(c: ColumnData): unknown[] {
  if (c.kind === 'vectorStringClass') {
    return Array.from({ length: c.offsets.length - 1 }, (_, i) => Array.from(c.classes.subarray(c.offsets[i]!, c.offsets[i + 1]!)));
  }
  if (c.kind === 'vectorString') {
    return Array.from({ length: c.offsets.length - 1 }, (_, i) => Array.from(c.indices.subarray(c.offsets[i]!, c.offsets[i + 1]!), (k) => c.dictionary[k]));
  }
  if (c.kind === 'vector') {
    const words = new Uint32Array(c.values.buffer, c.values.byteOffset, c.values.length);
    return Array.from({ length: c.offsets.length - 1 }, (_, i) => Array.from(words.subarray(c.offsets[i]!, c.offsets[i + 1]!)));
  }
  throw new Error(`unexpected ${c.kind}`);
}

type MakeBuilder = (layout: Layout, entries: number, p: typeof place, memory?: ColumnMemory) => ColumnBuilder;

/** Classes of strings for reads by class: several, from each value's characters. */
const classify = (s: string): number => (s.includes('Skin') || s.includes('Scint') ? 1 : 0) + 2 * (s.length % 7);

/** Reads by class: the kernel's builder, and the checked builder's indices mapped to classes. */
const kernelByClass: MakeBuilder = (layout, entries, p, memory) => columnBuilder(layout, entries, p, memory, classify);
// (the checked path is what a big-endian host reads by class with)
const checkedByClass: MakeBuilder = (layout, entries, p, memory) => byClass(checkedColumnBuilder(layout, entries, p, memory), classify, p, memory);

/** Decodes the slices with a builder; the column, or the error's message. */
function decode(make: MakeBuilder, layout: Layout, slices: BasketSlice[], memory?: ColumnMemory): { column: unknown[] } | { error: string } {
  try {
    const b = make(layout, slices.reduce((n, s) => n + s.to - s.from, 0), place, memory);
    for (const s of slices) b.add(s);
    return { column: plain(b.finish()) };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** The basket as readBasket gives it: its entry offsets stored big-endian, from a key of `keylen` bytes. */
function stored(s: BasketSlice, keylen = 77): BasketSlice {
  const offsets = s.raw.offsets!;
  const bytes = new Uint8Array(4 * (offsets.length - 1));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < offsets.length - 1; i++) view.setInt32(4 * i, offsets[i]! + keylen);
  return { ...s, raw: basketWithStoredOffsets(s.raw.data, { bytes, keylen }, place) };
}

/** Cuts the baskets into slices of random entry ranges, as chunked reads do. */
function sliced(r: () => number, baskets: BasketSlice[]): BasketSlice[] {
  const out: BasketSlice[] = [];
  for (const s of baskets) {
    let from = 0;
    while (from < s.to) {
      const to = Math.min(s.to, from + 1 + Math.floor(r() * s.to));
      out.push({ ...s, from, to });
      from = to;
    }
  }
  return out;
}

const LAYOUTS: [string, Layout, (r: () => number, n: number) => BasketSlice, MakeBuilder, MakeBuilder][] = [
  ['vector<string>', { form: 'stlVectorString' }, stringBasket, columnBuilder, checkedColumnBuilder],
  ['vector<string> by class', { form: 'stlVectorString' }, stringBasket, kernelByClass, checkedByClass],
  ['vector<int>', { form: 'stlVector', elem: 'int32' }, vector32Basket, columnBuilder, checkedColumnBuilder],
  ['vector<float>', { form: 'stlVector', elem: 'float32' }, vector32Basket, columnBuilder, checkedColumnBuilder],
];

describe.each(LAYOUTS)('WebAssembly %s kernel', (_name, layout, make, kernelBuilder, checkedBuilder) => {
  it('equals the checked builder on well-formed baskets, whole and cut into slices, in garbage-filled memory', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const baskets = Array.from({ length: 1 + Math.floor(r() * 4) }, () => make(r, Math.floor(r() * 200)));
      const withStored = baskets.map((b) => stored(b));
      for (const slices of [baskets, sliced(r, baskets), withStored, sliced(r, withStored)]) {
        const want = decode(checkedBuilder, layout, slices);
        expect('column' in want).toBe(true);
        expect(decode(kernelBuilder, layout, slices, GARBAGE)).toEqual(want);
      }
    }
  });

  it('gives the checked builder’s error, or its column, for every damaged byte of a basket', () => {
    const r = rng(7);
    const good = make(r, 12);
    const d = good.raw.data;
    let rejectedCount = 0;
    for (let at = 0; at < d.length; at++) {
      for (const value of [0x00, 0xff, d[at]! ^ 0x40, d[at]! + 1]) {
        const data = d.slice();
        data[at] = value;
        const bad: BasketSlice = { ...good, raw: { ...good.raw, data } };
        const want = decode(checkedBuilder, layout, [bad]);
        if ('error' in want) rejectedCount++;
        expect(decode(kernelBuilder, layout, [bad]), `byte ${at} = ${value}`).toEqual(want);
      }
    }
    expect(rejectedCount).toBeGreaterThan(0);
  });

  it('gives the checked builder’s error for every damaged byte of a stored entry-offset table', () => {
    const good = stored(make(rng(5), 6));
    const table = good.raw.storedOffsets!;
    let rejectedCount = 0;
    for (let at = 0; at < table.bytes.length; at++) {
      for (const value of [0x00, 0xff, table.bytes[at]! ^ 0x01, table.bytes[at]! ^ 0x80, (table.bytes[at]! + 1) & 0xff]) {
        const bytes = table.bytes.slice();
        bytes[at] = value;
        // the whole basket, and parts of it: the table is checked whole either way
        for (const [from, to] of [[0, good.to], [0, 2], [2, good.to]] as const) {
          const bad = (): BasketSlice => ({ ...good, from, to, raw: basketWithStoredOffsets(good.raw.data, { bytes, keylen: table.keylen }, place) });
          const want = decode(checkedBuilder, layout, [bad()]);
          if ('error' in want) rejectedCount++;
          expect(decode(kernelBuilder, layout, [bad()]), `table byte ${at} = ${value}, entries ${from}..${to}`).toEqual(want);
        }
      }
    }
    expect(rejectedCount).toBeGreaterThan(0);
  });

  it('gives the checked builder’s error for a basket of no entries whose data is not empty', () => {
    const empty: BasketSlice = { raw: basketWithStoredOffsets(new Uint8Array(10), { bytes: new Uint8Array(0), keylen: 77 }, place), from: 0, to: 0, entryStart: 0 };
    const want = decode(checkedBuilder, layout, [empty]);
    expect(want).toHaveProperty('error');
    expect(decode(kernelBuilder, layout, [empty])).toEqual(want);
  });

  it('gives the checked builder’s error for entry offsets that do not fit the basket', () => {
    const good = make(rng(3), 5);
    const offsets = good.raw.offsets!.slice();
    offsets[3] = offsets[3]! + 1;
    const bad: BasketSlice = { ...good, raw: { ...good.raw, offsets } };
    const want = decode(checkedBuilder, layout, [bad]);
    expect(want).toHaveProperty('error');
    expect(decode(kernelBuilder, layout, [bad])).toEqual(want);
  });
});

describe('WebAssembly kernels’ memory', () => {
  it('grows for baskets of several MB and keeps decoding small ones after', () => {
    const r = rng(13);
    for (const [, layout, make] of LAYOUTS) {
      const big = make(r, 40_000); // 1-8 MB: more than the kernels' first memory (1 MiB)
      const small = make(r, 50);
      for (const slices of [[small, big, small], [stored(big), stored(small)]]) {
        expect(decode(columnBuilder, layout, slices)).toEqual(decode(checkedColumnBuilder, layout, slices));
      }
    }
  });
});

describe('WebAssembly vector<string> dictionaries', () => {
  it('keeps two columns’ dictionaries apart when their baskets alternate', () => {
    const r = rng(11);
    const layout: Layout = { form: 'stlVectorString' };
    const a = [stringBasket(r, 100), stringBasket(r, 100)];
    const b = [stringBasket(r, 100), stringBasket(r, 100)];
    const ka = columnBuilder(layout, 200, place);
    const kb = columnBuilder(layout, 200, place);
    for (let i = 0; i < 2; i++) {
      ka.add(a[i]!);
      kb.add(b[i]!);
    }
    expect(plain(ka.finish())).toEqual((decode(checkedColumnBuilder, layout, a) as { column: unknown[] }).column);
    expect(plain(kb.finish())).toEqual((decode(checkedColumnBuilder, layout, b) as { column: unknown[] }).column);
  });

  it('makes one JS string per distinct value', () => {
    const slice = basket([
      (w) => vectorEntry(w, 3, (b) => ['A', 'B', 'A'].forEach((s) => writeString(b, s))),
      (w) => vectorEntry(w, 2, (b) => ['B', 'C'].forEach((s) => writeString(b, s))),
    ]);
    const builder = columnBuilder({ form: 'stlVectorString' }, 2, place);
    builder.add(slice);
    const c = builder.finish();
    expect(c.kind === 'vectorString' && c.dictionary).toEqual(['A', 'B', 'C']);
    expect(plain(c)).toEqual([['A', 'B', 'A'], ['B', 'C']]);
  });
});

describe('vector<string> read by class', () => {
  const layout: Layout = { form: 'stlVectorString' };

  it('asks the classifier once per distinct value, over baskets that make the dictionary grow, in two alternating columns', () => {
    const r = rng(23);
    const columns = [0, 1].map(() => Array.from({ length: 4 }, () => stringBasket(r, 150)));
    const seen = [new Map<string, number>(), new Map<string, number>()];
    const builders = seen.map((calls) =>
      columnBuilder(layout, 600, place, undefined, (s) => {
        calls.set(s, (calls.get(s) ?? 0) + 1);
        return classify(s);
      }),
    );
    for (let i = 0; i < 4; i++) builders.forEach((b, c) => b.add(columns[c]![i]!));
    builders.forEach((b, c) => {
      const got = b.finish();
      expect(got.kind).toBe('vectorStringClass');
      expect(plain(got)).toEqual((decode(checkedByClass, layout, columns[c]!) as { column: unknown[] }).column);
      expect(seen[c]!.size).toBeGreaterThan(300); // past the dictionary's first 128 values and 1 kB of bytes
      expect([...seen[c]!.values()].every((n) => n === 1)).toBe(true);
    });
  });

  it('decodes a slice of many new values in two kernel passes (classify them all, then decode), not one pass per new value', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `volume_${i}`);
    const slice = basket(Array.from({ length: 1000 }, (_, e) => (w: Bytes) => vectorEntry(w, 3, (b) => names.slice(3 * e, 3 * e + 3).forEach((s) => writeString(b, s)))));
    // a fresh dictionary that first grows to hold the 3000 values, then the slice again with every value known
    const kernels = decodeKernels() as unknown as { exports: Record<string, (...args: number[]) => number> };
    const real = kernels.exports;
    let passes = 0;
    kernels.exports = { ...real, vectorStringClasses: (...args: number[]) => (passes++, real.vectorStringClasses!(...args)) };
    try {
      const builder = columnBuilder(layout, 1000, place, undefined, classify);
      builder.add(slice);
      expect(plain(builder.finish()).flat()).toEqual(names.map(classify));
    } finally {
      kernels.exports = real;
    }
    const growths = Math.ceil(Math.log2(3000 / 128)) + 1; // the slot table doubles from 256 slots; the pool grows at most as often
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(passes).toBeLessThanOrEqual(2 * growths + 2);
  });

  it('refuses a class outside 0-255, naming the branch, in the kernel and in the checked path', () => {
    const slice = basket([(w) => vectorEntry(w, 2, (b) => ['LiquidXenonTarget', 'SideSkinXenon'].forEach((s) => writeString(b, s)))]);
    for (const bad of [256, -1, 0.5, Number.NaN]) {
      const kernel = columnBuilder(layout, 1, place, undefined, (s) => (s.includes('Skin') ? bad : 0));
      expect(() => kernel.add(slice)).toThrow(/branch 'b'.*classifier gave .* for 'SideSkinXenon'/);
      const strings = checkedColumnBuilder(layout, 1, place);
      strings.add(slice);
      const c = strings.finish();
      if (c.kind !== 'vectorString') throw new Error('not strings');
      expect(() => classesOfIndices(c, (s) => (s.includes('Skin') ? bad : 0), place)).toThrow(/branch 'b'.*classifier gave/);
    }
  });

  it('is refused for a branch that is not a vector<string>', () => {
    expect(() => columnBuilder({ form: 'stlVector', elem: 'int32' }, 1, place, undefined, classify)).toThrow(/only a std::vector<std::string> branch can be read by class/);
  });
});
