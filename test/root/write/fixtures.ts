// Deterministic test data covering every column kind, with the awkward cases:
// empty vectors, empty strings, strings longer than 255 bytes, extreme integers.
import type { BranchSpec, ColumnChunk, ColumnType, NumericArray, NumericType, TreeSpec } from '../../../src/root/write/index.js';

export const NUMERIC_TYPES: readonly NumericType[] = [
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
];

export const DICTIONARY: readonly string[] = ['LXe', '', 'Skin', 'ScintTank', 'x'.repeat(300), 'é ünïcode', 'TPC_Cathode'];

/** Small deterministic PRNG (LCG) so files are identical run to run. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function scalarArray(type: NumericType, n: number, rng: Rng): NumericArray {
  switch (type) {
    case 'bool':
      return Uint8Array.from({ length: n }, () => rng.int(2));
    case 'int8':
      return Int8Array.from({ length: n }, () => rng.int(256) - 128);
    case 'uint8':
      return Uint8Array.from({ length: n }, () => rng.int(256));
    case 'int16':
      return Int16Array.from({ length: n }, () => rng.int(65536) - 32768);
    case 'uint16':
      return Uint16Array.from({ length: n }, () => rng.int(65536));
    case 'int32':
      return Int32Array.from({ length: n }, (_, i) => (i === 0 ? -2147483648 : rng.int(2 ** 32) - 2 ** 31));
    case 'uint32':
      return Uint32Array.from({ length: n }, (_, i) => (i === 0 ? 4294967295 : rng.int(2 ** 32)));
    case 'int64':
      // Within 2^53 so that jsroot's Number decoding is exact. jsroot decodes a negative
      // int64 right only when its low 32-bit word is >= 2^31 (its ntoi8 quirk), so negative
      // values here keep that property; the bytes themselves are checked elsewhere.
      return BigInt64Array.from({ length: n }, (_, i) => {
        if (i === 0) return -1n;
        const hi = rng.int(2 ** 20) - 2 ** 19;
        const lo = hi < 0 ? 2 ** 31 + rng.int(2 ** 31) : rng.int(2 ** 32);
        return BigInt(hi) * 2n ** 32n + BigInt(lo);
      });
    case 'uint64':
      return BigUint64Array.from({ length: n }, () => BigInt(rng.int(2 ** 30)) * 1000003n);
    case 'float32':
      return Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 1e4);
    case 'float64':
      return Float64Array.from({ length: n }, () => (rng.next() - 0.5) * 1e6);
  }
}

function offsetsFor(n: number, rng: Rng, maxLen: number): Int32Array {
  const o = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) o[i + 1] = (o[i] ?? 0) + (i % 5 === 0 ? 0 : rng.int(maxLen + 1)); // every 5th entry empty
  return o;
}

export function makeChunk(type: ColumnType, n: number, rng: Rng): ColumnChunk {
  switch (type.kind) {
    case 'scalar':
      return { kind: 'scalar', values: scalarArray(type.type, n, rng) };
    case 'string':
      return { kind: 'string', indices: Uint32Array.from({ length: n }, () => rng.int(DICTIONARY.length)), dictionary: DICTIONARY };
    case 'vector': {
      const offsets = offsetsFor(n, rng, 6);
      return { kind: 'vector', offsets, values: scalarArray(type.type, offsets[n] ?? 0, rng) };
    }
    case 'vectorString': {
      const offsets = offsetsFor(n, rng, 4);
      return {
        kind: 'vectorString',
        offsets,
        indices: Uint32Array.from({ length: offsets[n] ?? 0 }, () => rng.int(DICTIONARY.length)),
        dictionary: DICTIONARY,
      };
    }
  }
}

/** The value jsroot should give for entry i of a chunk. */
export function expectedValue(chunk: ColumnChunk, i: number): unknown {
  const num = (v: number | bigint | undefined): number => Number(v);
  switch (chunk.kind) {
    case 'scalar':
      return num(chunk.values[i]);
    case 'string':
      return chunk.dictionary[chunk.indices[i] ?? 0];
    case 'vector': {
      const out: number[] = [];
      for (let k = chunk.offsets[i] ?? 0; k < (chunk.offsets[i + 1] ?? 0); k++) out.push(num(chunk.values[k]));
      return out;
    }
    case 'vectorString': {
      const out: string[] = [];
      for (let k = chunk.offsets[i] ?? 0; k < (chunk.offsets[i + 1] ?? 0); k++) out.push(chunk.dictionary[chunk.indices[k] ?? 0] ?? '');
      return out;
    }
  }
}

const VECTOR_TYPES: readonly NumericType[] = ['int32', 'float32', 'float64', 'int16', 'uint32', 'int64'];

/** Every column type once, as (name suffix, type). */
export function allColumnTypes(): { name: string; type: ColumnType }[] {
  return [
    ...NUMERIC_TYPES.map((t) => ({ name: `s_${t}`, type: { kind: 'scalar', type: t } as ColumnType })),
    { name: 'str', type: { kind: 'string' } },
    ...VECTOR_TYPES.map((t) => ({ name: `v_${t}`, type: { kind: 'vector', type: t } as ColumnType })),
    { name: 'vstr', type: { kind: 'vectorString' } },
  ];
}

/** A tree with every column type both flat (`flat_*`) and as members of a split object (`obj.*`). */
export function fullSpec(name = 'T'): TreeSpec {
  const cols = allColumnTypes();
  const branches: BranchSpec[] = [
    ...cols.map((c) => ({ kind: 'leaf' as const, name: `flat_${c.name}`, type: c.type })),
    { kind: 'object', name: 'obj', className: 'RQ::Everything', classVersion: 2, members: cols.map((c) => ({ name: c.name, type: c.type })) },
  ];
  return { name, title: `${name} title`, branches };
}

/** Chunks for every column of `spec`, keyed by full branch name. */
export function chunksFor(spec: TreeSpec, n: number, rng: Rng): Map<string, ColumnChunk> {
  const m = new Map<string, ColumnChunk>();
  for (const b of spec.branches) {
    if (b.kind === 'leaf') m.set(b.name, makeChunk(b.type, n, rng));
    else for (const mem of b.members) m.set(`${b.name}.${mem.name}`, makeChunk(mem.type, n, rng));
  }
  return m;
}
