// Seeded mutations of a ROOT file, each aimed at one record kind. Case i of a
// corpus depends only on (seed, i), so a longer run (MSSI_CORPUS=N) keeps the
// default cases and a single case can be replayed (MSSI_CORPUS_ONLY=i).
import * as jsrootIo from 'jsroot/io';
import { BRANCHES_READ, EVENT_WEIGHT_BRANCH } from '../../src/analysis/lzColumns.js';
import { compressPayload } from '../../src/root/write/compress.js';
import { loadZstdEncoder } from '../../src/root/write/zstd.js';
import type { Compression } from '../../src/root/write/types.js';
import type { BasketRecord, Field, KeyRecord, RecordMap, Span } from './recordMap.js';
import { strictBlockProblem } from './strict.js';

/** The categories every input is cycled through (one case each, in turn). */
export const CATEGORIES = [
  'header',
  'topdir',
  'keyslist',
  'streamer',
  'tree',
  'basket.key',
  'basket.header',
  'basket.block',
  'basket.payload',
  'basket.content',
  'basket.offsets',
  'freesegments',
  'truncate',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Input {
  /** Short name, e.g. `sim-zlib`, `fixture-K40_DomePMTs`. */
  readonly id: string;
  /** Basket compression of the file, for the summary. */
  readonly compression: string;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly map: RecordMap;
}

/** One mutation: enough to name it in a report and to replay it (seed, index). */
export interface Mutation {
  readonly index: number;
  readonly seed: number;
  readonly input: string;
  readonly compression: string;
  readonly category: Category;
  /** The field or region hit, e.g. `basket.key.fObjlen`, `tree.content.fBasketSeek`. */
  readonly target: string;
  /** set | flip | overwrite | truncate. */
  readonly op: string;
  /** Byte offset in the file (for content mutations: of the record; see `detail`). */
  readonly offset: number;
  /** Bytes written (hex), or the new length for a truncation. */
  readonly bytes: string;
  /** Which record, the old value, where inside a decompressed payload. */
  readonly detail: string;
  /**
   * For damage inside a compressed stream: why the block now fails the checks of
   * ROOT's decoders (null: it passes them).
   */
  readonly corruptBlock: string | null;
  /** Whether the damaged record is one the selection reads (its trees, streamers, baskets of its branches). */
  readonly readBySelection: boolean;
}

export interface MutatedFile {
  readonly mutation: Mutation;
  readonly data: Uint8Array;
}

// --- PRNG: mulberry32, seeded per case from (seed, index).
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)]!;
  }
}

export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const hex = (b: Uint8Array | readonly number[]): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** `value` as `width` big-endian bytes (two's complement for negatives). */
function encode(value: number, width: 1 | 2 | 4 | 8): Uint8Array {
  const out = new Uint8Array(width);
  const v = new DataView(out.buffer);
  const big = BigInt.asUintN(width * 8, BigInt(Math.trunc(value)));
  if (width === 8) v.setBigUint64(0, big);
  else if (width === 4) v.setUint32(0, Number(big));
  else if (width === 2) v.setUint16(0, Number(big));
  else v.setUint8(0, Number(big));
  return out;
}

/** The values an attacker (or a bad disk) puts in a size, seek or count. */
function interestingValue(rng: Rng, f: { value: number; width: 1 | 2 | 4 | 8 }, m: RecordMap): number {
  const v = f.value;
  if (f.width === 1) return rng.pick([0, 255, 254, 1, v + 1, v - 1, v ^ 0x80]);
  if (f.width === 2) return rng.pick([0, -1, 1, v + 1, v - 1, v + 1000, v - 1000, 0x7fff, -0x8000]);
  const otherRecord = rng.pick(m.records);
  const candidates = [
    0,
    -1,
    -5, // ff ff ff fb
    1,
    v + 1,
    v - 1,
    v + 8,
    v - 8,
    0x7fffffff,
    -0x80000000,
    m.size, // just past the end
    m.size - 1,
    m.size + 1,
    m.size + 100_000,
    otherRecord.seek, // into another record
    otherRecord.seek + otherRecord.keylen,
    otherRecord.seek + rng.int(Math.max(1, otherRecord.nbytes)),
    v * 2,
    -v,
  ];
  if (f.width === 8) candidates.push(2 ** 32, 2 ** 40, 2 ** 53 - 1);
  return rng.pick(candidates);
}

/** How often each field is hit: the sizes and seeks a reader must check, more than dates. */
const FIELD_WEIGHTS: Record<string, number> = {
  fNbytes: 3,
  fObjlen: 3,
  fKeylen: 3,
  fSeekKey: 2,
  fVersion: 1.5,
  fSeekPdir: 0.5,
  fDatime: 0.3,
  fCycle: 0.5,
  fNevBuf: 2,
  fLast: 3,
  fNevBufSize: 1.5,
  fBufferSize: 1,
  flag: 0.5,
};

function pickField(rng: Rng, fields: readonly Field[]): Field {
  const w = fields.map((f) => FIELD_WEIGHTS[f.name.split('.').pop()!] ?? 1);
  let x = rng.next() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < fields.length; i++) {
    x -= w[i]!;
    if (x < 0) return fields[i]!;
  }
  return fields[fields.length - 1]!;
}

/** A field, mutated by value (mostly) or by one flipped bit. */
function mutateField(rng: Rng, data: Uint8Array, f: Field, m: RecordMap): { op: string; offset: number; bytes: Uint8Array; detail: string } {
  if (rng.next() < 0.8) {
    let nv = interestingValue(rng, f, m);
    if (nv === f.value) nv = f.value + 1;
    const bytes = encode(nv, f.width);
    data.set(bytes, f.offset);
    return { op: 'set', offset: f.offset, bytes, detail: `${f.value} -> ${nv}` };
  }
  const bit = rng.int(f.width * 8);
  const at = f.offset + (bit >> 3);
  data[at] = data[at]! ^ (1 << (bit & 7));
  return { op: 'flip', offset: at, bytes: data.subarray(at, at + 1).slice(), detail: `bit ${bit & 7} of byte ${bit >> 3} (was ${f.value})` };
}

/** A bit flip (half the time) or 1-4 random bytes somewhere in a span. */
function mutateSpan(rng: Rng, data: Uint8Array, s: Span): { op: string; offset: number; bytes: Uint8Array; detail: string } {
  const len = Math.max(1, s.length);
  const at = s.offset + rng.int(len);
  if (rng.next() < 0.5) {
    const bit = rng.int(8);
    data[at] = data[at]! ^ (1 << bit);
    return { op: 'flip', offset: at, bytes: data.subarray(at, at + 1).slice(), detail: `bit ${bit} at +${at - s.offset} of ${s.length}` };
  }
  const n = Math.min(1 + rng.int(4), s.offset + len - at);
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = rng.int(256);
  if (bytes.every((x, i) => x === data[at + i])) bytes[0] = bytes[0]! ^ 0xff;
  data.set(bytes, at);
  return { op: 'overwrite', offset: at, bytes, detail: `at +${at - s.offset} of ${s.length}` };
}

// --- Decompressed payloads: inflated with jsroot's own R__unzip (not the reader
// under test), mutated, recompressed with the writer in the record's algorithm and
// written back in place, zero-padded (readers stop at fObjlen), when it fits.
type Unzip = (view: DataView, tgtsize: number, noalert?: boolean) => Promise<DataView | null>;
const R__unzip = (jsrootIo as unknown as { R__unzip: Unzip }).R__unzip;

const contentCache = new WeakMap<Uint8Array, Map<number, Uint8Array | null>>();

export async function recordContent(file: Uint8Array, r: KeyRecord): Promise<Uint8Array | null> {
  let perFile = contentCache.get(file);
  if (!perFile) contentCache.set(file, (perFile = new Map()));
  if (perFile.has(r.seek)) return perFile.get(r.seek) ?? null;
  let out: Uint8Array | null;
  if (r.raw) out = file.slice(r.payload.offset, r.payload.offset + r.objlen);
  else {
    const view = new DataView(file.buffer, file.byteOffset + r.payload.offset, r.payload.length);
    const res = await R__unzip(view, r.objlen, true);
    out = res ? new Uint8Array(res.buffer, res.byteOffset, res.byteLength).slice() : null;
  }
  perFile.set(r.seek, out);
  return out;
}

const ALGORITHMS: Record<string, Compression['algorithm']> = { ZL: 'zlib', L4: 'lz4', ZS: 'zstd' };

function writeContent(data: Uint8Array, r: KeyRecord, content: Uint8Array): string | null {
  if (r.raw) {
    data.set(content, r.payload.offset);
    return 'raw';
  }
  const own = ALGORITHMS[r.algorithm];
  // The record's own algorithm first; then whichever fits (ROOT frames each block
  // with its own algorithm, so a zstd block in a zlib file is a valid file).
  const tries: Compression[] = [];
  if (own) tries.push({ algorithm: own, level: 9 } as Compression);
  for (const c of [{ algorithm: 'zlib', level: 9 }, { algorithm: 'zstd', level: 19 }] as const) if (c.algorithm !== own) tries.push(c);
  for (const c of tries) {
    const z = compressPayload(content, c, 'corpus');
    if (z && z.length <= r.payload.length) {
      data.set(z, r.payload.offset);
      data.fill(0, r.payload.offset + z.length, r.payload.offset + r.payload.length);
      return c.algorithm;
    }
  }
  return null;
}

/** Offsets in `hay` where `needle` occurs (at most 64). */
function occurrences(hay: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = [];
  outer: for (let i = 0; i + needle.length <= hay.length && out.length < 64; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    out.push(i);
  }
  return out;
}

/** Same-length swaps of class and type names: a leaf or streamer element that claims another type. */
const NAME_SWAPS: readonly (readonly [string, string])[] = [
  ['TLeafF', 'TLeafI'],
  ['TLeafI', 'TLeafD'],
  ['TLeafD', 'TLeafL'],
  ['float', 'short'],
  ['double', 'Long_t'],
  ['vector<int>', 'vector<dbl>'],
  ['vector<string>', 'vector<double>'],
  ['int', 'Int'],
  ['string', 'String'],
  ['TBranchElement', 'TBranchObject_'],
];

interface ContentTarget {
  readonly name: string;
  readonly at: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly value: number;
}

function u32(b: Uint8Array, at: number, width: 4 | 8): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return width === 4 ? v.getInt32(at) : Number(v.getBigInt64(at));
}

/** Numeric fields inside a decompressed TTree: known values located by search. */
function treeTargets(content: Uint8Array, tree: KeyRecord, m: RecordMap): ContentTarget[] {
  const out: ContentTarget[] = [];
  const mine = m.baskets.filter((b) => b.title === tree.name);
  for (const b of mine) {
    for (const at of occurrences(content, encode(b.seek, 8))) out.push({ name: 'tree.content.fBasketSeek', at, width: 8, value: b.seek });
    for (const at of occurrences(content, encode(b.nbytes, 4))) out.push({ name: 'tree.content.fBasketBytes', at, width: 4, value: b.nbytes });
  }
  const entries = new Set(mine.map((b) => b.fNevBuf));
  for (const e of entries) {
    for (const at of occurrences(content, encode(e, 8))) out.push({ name: 'tree.content.entryNumber', at, width: 8, value: e });
  }
  return out;
}

async function mutateContent(
  rng: Rng,
  data: Uint8Array,
  input: Input,
  r: KeyRecord,
  prefix: string,
  region?: { start: number; end: number; offsets?: boolean },
): Promise<{ target: string; op: string; offset: number; bytes: Uint8Array; detail: string } | null> {
  const original = await recordContent(input.bytes, r);
  if (!original || original.length === 0) return null;
  const content = original.slice();
  let target: string;
  let op: string;
  let at: number;
  let bytes: Uint8Array;
  let detail = '';
  const start = region?.start ?? 0;
  const end = region?.end ?? content.length;
  if (end <= start) return null;
  const roll = rng.next();
  if (region?.offsets) {
    // The entry-offset table: an int32 count, then one int32 per entry (from the key's start).
    const slots = Math.floor((end - start) / 4);
    const slot = rng.int(Math.max(1, slots));
    at = start + slot * 4;
    const f = { value: u32(content, at, 4), width: 4 as const };
    const v = f.value;
    const nv = rng.next() < 0.5 ? rng.pick([v + 1, v - 1, v + 4, v - 4, v + 1000, 0, -1, r.keylen, r.keylen - 1]) : interestingValue(rng, f, input.map);
    bytes = encode(nv === v ? v + 1 : nv, 4);
    target = slot === 0 ? `${prefix}.count` : `${prefix}.entry`;
    op = 'set';
    detail = `slot ${slot} ${v} -> ${nv === v ? v + 1 : nv}`;
  } else if (prefix.startsWith('tree') && roll < 0.5) {
    const targets = treeTargets(content, r, input.map);
    if (targets.length === 0) return null;
    const t = rng.pick(targets);
    const nv = interestingValue(rng, t, input.map);
    bytes = encode(nv === t.value ? t.value + 1 : nv, t.width);
    at = t.at;
    target = t.name;
    op = 'set';
    detail = `${t.value} -> ${nv}`;
  } else if ((prefix.startsWith('tree') || prefix.startsWith('streamer')) && roll < 0.7) {
    const [a, b] = rng.pick(NAME_SWAPS);
    const [from, to] = rng.next() < 0.5 ? [a, b] : [b, a];
    const hits = occurrences(content, Buffer.from(from, 'latin1'));
    if (hits.length === 0) return null;
    at = rng.pick(hits);
    bytes = Buffer.from(to, 'latin1');
    target = `${prefix}.typeName`;
    op = 'set';
    detail = `'${from}' -> '${to}'`;
  } else {
    at = start + rng.int(end - start);
    if (rng.next() < 0.5) {
      const bit = rng.int(8);
      bytes = Uint8Array.of(content[at]! ^ (1 << bit));
      op = 'flip';
    } else {
      const n = Math.min(1 + rng.int(4), end - at);
      bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = rng.int(256);
      if (bytes.every((x, i) => x === content[at + i])) bytes[0] = bytes[0]! ^ 0xff;
      op = 'overwrite';
    }
    target = `${prefix}.bytes`;
  }
  content.set(bytes, at);
  const how = writeContent(data, r, content);
  if (how === null) return null;
  return {
    target,
    op,
    offset: r.seek,
    bytes,
    detail: `${detail ? `${detail}, ` : ''}at +${at} of the ${content.length}-byte object of the record at ${r.seek} (rewritten: ${how})`,
  };
}

const READ = new Set(Object.values(BRANCHES_READ).flat());

/** A basket, three times in four of a branch the selection reads (where damage can change a count). */
function pickBasket<T extends BasketRecord>(rng: Rng, baskets: readonly T[]): T {
  const read = baskets.filter((b) => READ.has(b.name));
  return rng.pick(read.length > 0 && rng.next() < 0.75 ? read : baskets);
}

/**
 * Whether a run reads this record: the trees, the streamer infos, the baskets of the
 * branches read; of the event weight's baskets only the first (in file order, which
 * is entry order): the file's weight is entry 0's.
 */
function isRead(r: KeyRecord, baskets: readonly BasketRecord[]): boolean {
  if (r.kind === 'tree' || r.kind === 'streamer') return true;
  if (r.kind !== 'basket' || !(BRANCHES_READ[r.title] ?? []).includes(r.name)) return false;
  if (r.name !== EVENT_WEIGHT_BRANCH) return true;
  const first = baskets.filter((b) => b.name === r.name && b.title === r.title).reduce((a, b) => (b.seek < a.seek ? b : a));
  return first.seek === r.seek;
}

function recordLabel(r: KeyRecord): string {
  if (r.kind === 'basket') return `basket of ${r.name} (${r.title}) at ${r.seek}`;
  return `${r.kind} ${r.className} '${r.name}' at ${r.seek}`;
}

/** Key header fields and strings, and the bytes of a record as stored. */
async function mutateRecord(rng: Rng, data: Uint8Array, input: Input, r: KeyRecord, prefix: string) {
  const roll = rng.next();
  if (roll < 0.45) {
    const f = pickField(rng, r.fields.filter((x) => !x.name.startsWith('basket.header')));
    return { target: f.name, ...mutateField(rng, data, f, input.map) };
  }
  if (roll < 0.55) {
    const s = rng.pick(r.strings);
    return { target: s.name, ...mutateSpan(rng, data, s) };
  }
  if (roll < 0.7 && r.blocks.length > 0) {
    const f = rng.pick(r.blocks);
    return { target: f.name, ...mutateField(rng, data, f, input.map) };
  }
  if (roll < 0.85) {
    const c = await mutateContent(rng, data, input, r, `${prefix}.content`);
    if (c) return c;
  }
  return { target: `${prefix}.payload`, ...mutateSpan(rng, data, r.payload) };
}

function truncation(rng: Rng, m: RecordMap): { length: number; detail: string } {
  const roll = rng.next();
  if (roll < 0.35) {
    const length = 1 + rng.int(m.size - 1);
    return { length, detail: 'random offset' };
  }
  const r = rng.pick(m.records);
  const points: [number, string][] = [
    [r.seek, 'at the start of'],
    [r.seek + 1, 'one byte into'],
    [r.seek - 1, 'one byte before'],
    [r.seek + r.keylen, 'after the key of'],
    [r.seek + r.keylen - 1, 'inside the key of'],
    [r.seek + r.nbytes - 1, 'one byte before the end of'],
    [r.seek + Math.floor(r.nbytes / 2), 'in the middle of'],
  ];
  if (roll > 0.9) points.push([m.size - 1, 'the last byte of the file:'], [m.fBEGIN, 'header only:'], [m.fBEGIN - 1, 'inside the header:']);
  const [length, where] = rng.pick(points);
  return { length: Math.max(1, Math.min(m.size - 1, length)), detail: `${where} ${recordLabel(r)}` };
}

/** The applicable categories of an input: one without compressed baskets has no basket blocks. */
function applicable(c: Category, m: RecordMap): boolean {
  switch (c) {
    case 'streamer':
      return m.streamer !== null;
    case 'freesegments':
      return m.freesegments !== null;
    case 'basket.block':
      return m.baskets.some((b) => b.blocks.length > 0);
    case 'basket.offsets':
      return m.baskets.some((b) => b.hasOffsets);
    default:
      return true;
  }
}

/** Case `index` of the corpus: a category by turn, the rest from the case's own seed. */
export async function makeMutation(seed: number, index: number, inputs: readonly Input[]): Promise<MutatedFile> {
  await loadZstdEncoder(); // recompression may use zstd in any file: the same case, whatever ran before
  const input = inputs[index % inputs.length]!;
  let ci = Math.floor(index / inputs.length) % CATEGORIES.length;
  while (!applicable(CATEGORIES[ci]!, input.map)) ci = (ci + 1) % CATEGORIES.length;
  const category = CATEGORIES[ci]!;
  const s = caseSeed(seed, index);
  const rng = new Rng(s);
  const m = input.map;
  for (let attempt = 0; attempt < 20; attempt++) {
    const data = input.bytes.slice();
    let res: { target: string; op: string; offset: number; bytes: Uint8Array; detail: string } | null = null;
    let label = '';
    let rec: KeyRecord | null = null;
    switch (category) {
      case 'header': {
        const roll = rng.next();
        if (roll < 0.8) res = { target: '', ...mutateField(rng, data, rng.pick(m.header), m) };
        else res = { target: 'header.bytes', ...mutateSpan(rng, data, { name: 'header', offset: 0, length: m.fBEGIN }) };
        if (!res.target) res.target = m.header.find((f) => f.offset <= res!.offset && res!.offset < f.offset + f.width)?.name ?? 'header.bytes';
        label = 'file header';
        break;
      }
      case 'topdir': {
        label = recordLabel(m.topdir);
        const roll = rng.next();
        if (roll < 0.5) {
          const f = rng.pick(m.topdirFields);
          res = { target: f.name, ...mutateField(rng, data, f, m) };
        } else if (roll < 0.8) {
          const f = pickField(rng, m.topdir.fields);
          res = { target: f.name, ...mutateField(rng, data, f, m) };
        } else {
          const s = rng.pick([...m.topdir.strings, { name: 'topdir.names', offset: m.topdir.seek + m.topdir.keylen, length: Math.max(1, m.header[7]!.value - m.topdir.keylen) }]);
          res = { target: s.name, ...mutateSpan(rng, data, s) };
        }
        break;
      }
      case 'keyslist': {
        label = recordLabel(m.keyslist);
        const roll = rng.next();
        if (roll < 0.25) {
          const f = pickField(rng, m.keyslist.fields);
          res = { target: f.name, ...mutateField(rng, data, f, m) };
        } else if (roll < 0.85) {
          const e = rng.pick(m.keyslistEntries);
          label = `keys list entry ${e.className} '${e.name}'`;
          const f = pickField(rng, e.fields);
          res = { target: f.name, ...mutateField(rng, data, f, m) };
        } else {
          const e = rng.pick(m.keyslistEntries);
          label = `keys list entry ${e.className} '${e.name}'`;
          const sp = rng.pick(e.strings);
          res = { target: `keyslist.entry.${sp.name.split('.').pop()!}`, ...mutateSpan(rng, data, sp) };
        }
        break;
      }
      case 'streamer':
        rec = m.streamer!;
        label = recordLabel(m.streamer!);
        res = await mutateRecord(rng, data, input, m.streamer!, 'streamer');
        break;
      case 'tree': {
        const t = rng.pick(m.trees);
        rec = t;
        label = recordLabel(t);
        res = await mutateRecord(rng, data, input, t, 'tree');
        break;
      }
      case 'freesegments':
        rec = m.freesegments!;
        label = recordLabel(m.freesegments!);
        res = await mutateRecord(rng, data, input, m.freesegments!, 'freesegments');
        break;
      case 'basket.key': {
        const b = pickBasket(rng, m.baskets);
        label = recordLabel(b);
        if (rng.next() < 0.85) {
          const f = pickField(rng, b.fields.filter((x) => x.name.startsWith('basket.key')));
          res = { target: f.name, ...mutateField(rng, data, f, m) };
        } else {
          const sp = rng.pick(b.strings);
          res = { target: sp.name, ...mutateSpan(rng, data, sp) };
        }
        break;
      }
      case 'basket.header': {
        const b = pickBasket(rng, m.baskets);
        label = recordLabel(b);
        const f = pickField(rng, b.fields.filter((x) => x.name.startsWith('basket.header')));
        res = { target: f.name, ...mutateField(rng, data, f, m) };
        break;
      }
      case 'basket.block': {
        const b = pickBasket(rng, m.baskets.filter((x) => x.blocks.length > 0));
        rec = b;
        label = recordLabel(b);
        const f = rng.pick(b.blocks);
        res = { target: f.name, ...mutateField(rng, data, f, m) };
        break;
      }
      case 'basket.payload': {
        // mostly inside compressed streams, where a decoder's own checks must catch it
        const packed = m.baskets.filter((x) => !x.raw);
        const b = pickBasket(rng, packed.length > 0 && rng.next() < 0.8 ? packed : m.baskets);
        rec = b;
        label = recordLabel(b);
        res = { target: b.raw ? 'basket.payload.raw' : 'basket.payload.compressed', ...mutateSpan(rng, data, b.payload) };
        break;
      }
      case 'basket.content': {
        const b = pickBasket(rng, m.baskets);
        label = recordLabel(b);
        const dataEnd = b.hasOffsets ? b.fLast - b.keylen : b.objlen;
        res = await mutateContent(rng, data, input, b, 'basket.content', { start: 0, end: dataEnd });
        break;
      }
      case 'basket.offsets': {
        const b = pickBasket(rng, m.baskets.filter((x) => x.hasOffsets));
        label = recordLabel(b);
        res = await mutateContent(rng, data, input, b, 'basket.offsets', { start: b.fLast - b.keylen, end: b.objlen, offsets: true });
        break;
      }
      case 'truncate': {
        const t = truncation(rng, m);
        const mutation: Mutation = {
          index,
          seed: s,
          input: input.id,
          compression: input.compression,
          category,
          target: 'truncate',
          op: 'truncate',
          offset: t.length,
          bytes: `length ${t.length} of ${m.size}`,
          detail: t.detail,
          corruptBlock: null,
          readBySelection: true,
        };
        return { mutation, data: input.bytes.slice(0, t.length) };
      }
    }
    if (!res) continue; // e.g. a recompressed payload that no longer fits: draw again
    if (res.bytes.length > 0 && data.every((x, i) => x === input.bytes[i])) continue; // no change
    // Damage inside a compressed stream, its framing intact: do ROOT's decoders still take it?
    const inStream = rec !== null && !rec.raw && /(\.payload(\.compressed)?|lz4checksum)$/.test(res.target);
    const corruptBlock = inStream ? await strictBlockProblem(data, rec!.seek) : null;
    const mutation: Mutation = {
      index,
      seed: s,
      input: input.id,
      compression: input.compression,
      category,
      target: res.target,
      op: res.op,
      offset: res.offset,
      bytes: hex(res.bytes),
      detail: `${label}: ${res.detail}`,
      corruptBlock,
      readBySelection: rec === null ? true : isRead(rec, m.baskets),
    };
    return { mutation, data };
  }
  // No draw fitted (a recompressed payload larger than the original, 20 times):
  // a byte of the record as stored instead, so that case i still exists.
  const data = input.bytes.slice();
  const b = pickBasket(rng, m.baskets);
  const res = mutateSpan(rng, data, b.payload);
  const mutation: Mutation = {
    index,
    seed: s,
    input: input.id,
    compression: input.compression,
    category,
    target: b.raw ? 'basket.payload.raw' : 'basket.payload.compressed',
    op: res.op,
    offset: res.offset,
    bytes: hex(res.bytes),
    detail: `${recordLabel(b)}: ${res.detail} (no ${category} mutation fitted in 20 draws)`,
    corruptBlock: b.raw ? null : await strictBlockProblem(data, b.seek),
    readBySelection: isRead(b, m.baskets),
  };
  return { mutation, data };
}

export function describeMutation(m: Mutation): string {
  return `#${m.index} ${m.input} [${m.compression}] ${m.target} ${m.op} @${m.offset} ${m.bytes} (${m.detail}; seed ${m.seed})`;
}

/**
 * The records the main process reads to plan a big file's ranges, each damaged
 * as a batch job meets it: header seeks and sizes, the directory's keys, the
 * trees' keys, a truncation that keeps the file over the threshold. Case k of
 * this list (mod its length); `k >= length` adds a random draw of the same kind.
 */
export async function makeBigMutation(seed: number, index: number, k: number, input: Input): Promise<MutatedFile> {
  const m = input.map;
  const header = (name: string): Field => m.header.find((f) => f.name === `header.${name}`)!;
  const dirField = (name: string): Field => m.topdirFields.find((f) => f.name === `topdir.dir.${name}`)!;
  const scatters = m.keyslistEntries.find((e) => e.name === 'Scatters') ?? m.keyslistEntries[0]!;
  const entry = (name: string): Field => scatters.fields.find((f) => f.name === `keyslist.entry.key.${name}`)!;
  const targets: [string, Field, number][] = [
    ['fNbytesInfo flipped negative', header('fNbytesInfo'), header('fNbytesInfo').value | 0x80000000],
    ['fNbytesInfo = -5', header('fNbytesInfo'), -5],
    ['fSeekInfo past the end', header('fSeekInfo'), m.size + 1000],
    ['fSeekInfo = 0', header('fSeekInfo'), 0],
    ['fEND before the keys list', header('fEND'), m.seekKeys - 1],
    ['fSeekKeys past the end', dirField('fSeekKeys'), m.size + 10],
    ['fNbytesKeys = -1', dirField('fNbytesKeys'), -1],
    ['Scatters key fObjlen = -5', entry('fObjlen'), -5],
    ['Scatters key fNbytes = 2^31-1', entry('fNbytes'), 0x7fffffff],
    ['Scatters key fSeekKey past the end', entry('fSeekKey'), m.size + 1],
  ];
  const s = caseSeed(seed, index);
  if (k < targets.length) {
    const [what, f, value] = targets[k]!;
    const data = input.bytes.slice();
    const bytes = encode(value, f.width);
    data.set(bytes, f.offset);
    const mutation: Mutation = {
      index,
      seed: s,
      input: input.id,
      compression: input.compression,
      category: f.name.startsWith('header') ? 'header' : f.name.startsWith('topdir') ? 'topdir' : 'keyslist',
      target: f.name,
      op: 'set',
      offset: f.offset,
      bytes: hex(bytes),
      detail: `big file, planned by the main process: ${what} (${f.value} -> ${value})`,
      corruptBlock: null,
      readBySelection: true,
    };
    return { mutation, data };
  }
  if (k === targets.length) {
    // the keys list cut off: still over the split threshold
    const length = m.keyslist.seek + Math.floor(m.keyslist.nbytes / 2);
    const mutation: Mutation = {
      index,
      seed: s,
      input: input.id,
      compression: input.compression,
      category: 'truncate',
      target: 'truncate',
      op: 'truncate',
      offset: length,
      bytes: `length ${length} of ${m.size}`,
      detail: 'big file, cut in the middle of the keys list',
      corruptBlock: null,
      readBySelection: true,
    };
    return { mutation, data: input.bytes.slice(0, length) };
  }
  const kinds: Category[] = ['header', 'topdir', 'keyslist', 'streamer', 'tree'];
  const cat = kinds[k % kinds.length]!;
  const made = await makeMutation(seed, k * CATEGORIES.length + CATEGORIES.indexOf(cat), [input]);
  return { mutation: { ...made.mutation, index }, data: made.data };
}
