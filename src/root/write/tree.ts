// TreeWriter: turns TreeSpec branches into ROOT's branch hierarchy and appends one
// cluster at a time, cutting every column into baskets of about basketSize bytes.
// All branches flush at each cluster's end, so baskets align on cluster boundaries.

import { ByteWriter } from './buffer.js';
import {
  arrayMismatch,
  encodeDictionary,
  fixedEntrySize,
  layoutOf,
  writeEntries,
  type EntryLayout,
  type EntrySink,
} from './encode.js';
import { RootWriteSpecError } from './errors.js';
import { BranchMeta, type TreeMeta } from './meta.js';
import { keyLength } from './records.js';
import {
  NUMERIC,
  kBits,
  kSTL,
  kUInt,
  userClass,
  vectorClass,
  type ClassDef,
} from './streamers.js';
import type { BranchSpec, ColumnChunk, ColumnType, TreeSpec } from './types.js';

/** Where a TreeWriter puts its baskets: implemented by RootFileWriter. */
export interface BasketSink {
  readonly fileLabel: string;
  readonly compressCode: number;
  readonly basketSize: number;
  /**
   * Writes one TBasket key. `payload` is the uncompressed basket content (data, then
   * the entry-offset table if any); returns where it went and its size on disk.
   */
  writeBasket(b: {
    treeName: string;
    branchName: string;
    keylen: number;
    payload: Uint8Array;
    nevbufsize: number;
    nevbuf: number;
    last: number;
  }): { seek: number; nbytes: number };
}

const TOBJECT_CHECKSUM = 2417737773;
/** fBits of an object created by a branch on the heap (kNotDeleted | kIsOnHeap). */
const HEAP_OBJECT_BITS = 0x03000000;
const VARIABLE_OFFSET_LEN = 1000;

/** A branch that owns baskets, with how its entries are encoded. */
interface Column {
  readonly meta: BranchMeta;
  /** Key into writeCluster's chunks; null for the generated TObject members. */
  readonly key: string | null;
  readonly type: ColumnType | null;
  readonly layout: EntryLayout;
  readonly fixedSize: number;
  readonly variable: boolean;
  readonly keylen: number;
}

/** ROOT branch names of a split object end in a dot; members are `name.member`. */
function objectPrefix(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

export class TreeWriter {
  private readonly columns: Column[] = [];
  private readonly topBranches: BranchMeta[] = [];
  private readonly objectBranches: BranchMeta[] = [];
  private readonly classDefs: ClassDef[] = [];
  private readonly keys = new Set<string>();
  private entries = 0;
  private readonly clusterSizes: number[] = [];
  private readonly data = new ByteWriter(64 * 1024);
  private readonly entrySink: EntrySink = { offsets: new Int32Array(1024), count: 0, maxString: 0 };
  private finished = false;

  /** @internal Created by RootFileWriter.tree(). */
  constructor(
    readonly spec: TreeSpec,
    private readonly sink: BasketSink,
  ) {
    if (!spec.name) throw new RootWriteSpecError(`${sink.fileLabel}: a tree needs a name`, sink.fileLabel);
    if (spec.branches.length === 0) {
      throw new RootWriteSpecError(`${sink.fileLabel}: tree '${spec.name}' has no branches`, sink.fileLabel);
    }
    for (const b of spec.branches) this.addBranch(b);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Entries written so far. */
  get numEntries(): number {
    return this.entries;
  }

  /** @internal Classes whose streamers this tree needs (user classes, vector<T>). */
  get classes(): readonly ClassDef[] {
    return this.classDefs;
  }

  /** @internal Leaf and branch classes used, for the StreamerInfo list. */
  usedRecordClasses(): Set<string> {
    const s = new Set<string>();
    const visit = (b: BranchMeta): void => {
      s.add(b.element ? 'TBranchElement' : 'TBranch');
      s.add(b.leaf.className);
      b.children.forEach(visit);
    };
    this.topBranches.forEach(visit);
    return s;
  }

  private error(msg: string, branch?: string): RootWriteSpecError {
    return new RootWriteSpecError(
      `${this.sink.fileLabel}: tree '${this.spec.name}'${branch ? `, branch '${branch}'` : ''}: ${msg}`,
      this.sink.fileLabel,
      branch,
    );
  }

  private addColumn(meta: BranchMeta, key: string | null, type: ColumnType | null, layout: EntryLayout): void {
    if (key !== null) {
      if (this.keys.has(key)) throw this.error('duplicate branch name', key);
      this.keys.add(key);
    }
    this.columns.push({
      meta,
      key,
      type,
      layout,
      fixedSize: fixedEntrySize(layout),
      variable: meta.entryOffsetLen > 0,
      keylen: keyLength('TBasket', meta.name, this.spec.name, true) + 19,
    });
  }

  private addBranch(b: BranchSpec): void {
    const sink = this.sink;
    if (!b.name) throw this.error('a branch needs a name');
    if (b.kind === 'leaf') {
      const t = b.type;
      let meta: BranchMeta;
      if (t.kind === 'scalar') {
        const n = NUMERIC[t.type];
        meta = new BranchMeta(
          b.name,
          b.title ?? `${b.name}/${n.letter}`,
          { className: n.leafClass, name: b.name, title: b.name, lenType: n.size, isUnsigned: n.unsigned },
          sink.compressCode,
          sink.basketSize,
          0,
          0,
        );
      } else if (t.kind === 'string') {
        meta = new BranchMeta(
          b.name,
          b.title ?? `${b.name}/C`,
          { className: 'TLeafC', name: b.name, title: b.name, lenType: 1, isUnsigned: false, maximum: 0 },
          sink.compressCode,
          sink.basketSize,
          VARIABLE_OFFSET_LEN,
          0,
        );
      } else {
        const cls = vectorClass(t);
        this.addClass(cls);
        meta = new BranchMeta(
          b.name,
          b.title ?? b.name,
          { className: 'TLeafElement', name: b.name, title: b.name, lenType: 0, isUnsigned: false, elementId: -1, elementType: -1 },
          sink.compressCode,
          sink.basketSize,
          VARIABLE_OFFSET_LEN,
          99,
          { className: cls.name, parentName: '', checksum: cls.checksum, classVersion: cls.version, id: -1, type: 0, streamerType: -1 },
        );
      }
      this.topBranches.push(meta);
      this.addColumn(meta, b.name, t, layoutOf(t, false));
      return;
    }

    // Split object of a TObject-derived class.
    if (b.members.length === 0) throw this.error('an object branch needs members', b.name);
    const cls = userClass(b.className, b.classVersion, b.members);
    this.addClass(cls);
    const prefix = objectPrefix(b.name);
    const top = new BranchMeta(
      prefix,
      prefix,
      { className: 'TLeafElement', name: prefix, title: prefix, lenType: 0, isUnsigned: false, elementId: -2, elementType: -1 },
      sink.compressCode,
      sink.basketSize,
      VARIABLE_OFFSET_LEN,
      99,
      { className: cls.name, parentName: '', checksum: cls.checksum, classVersion: cls.version, id: -2, type: 0, streamerType: -1 },
    );
    this.topBranches.push(top);
    this.objectBranches.push(top);

    // TBranchElement::Unroll splits the TObject base into its two data members.
    const tobjectMember = (member: string, id: number, streamerType: number, offsetLen: number): void => {
      const name = `${prefix}${member}`;
      const meta = new BranchMeta(
        name,
        name,
        { className: 'TLeafElement', name, title: name, lenType: 4, isUnsigned: false, elementId: id, elementType: streamerType },
        sink.compressCode,
        sink.basketSize,
        offsetLen,
        0,
        { className: 'TObject', parentName: cls.name, checksum: TOBJECT_CHECKSUM, classVersion: 1, id, type: 0, streamerType },
      );
      top.children.push(meta);
      const value = member === 'fBits' ? HEAP_OBJECT_BITS : 0;
      this.addColumn(meta, null, null, { kind: 'constU32', value, variable: offsetLen > 0 });
    };
    tobjectMember('fUniqueID', 0, kUInt, 0);
    // kBits entries are variable-sized for ROOT (a referenced object adds its pid), hence offsets.
    tobjectMember('fBits', 1, kBits, VARIABLE_OFFSET_LEN);

    b.members.forEach((m, i) => {
      if (!m.name) throw this.error('a member needs a name', prefix);
      const name = `${prefix}${m.name}`;
      const id = i + 1; // element 0 is the TObject base
      const el = cls.elements[id];
      if (!el) throw this.error('internal: missing streamer element', name);
      const basic = m.type.kind === 'scalar';
      const streamerType = basic ? el.type : kSTL;
      if (m.type.kind === 'vector' || m.type.kind === 'vectorString') this.addClass(vectorClass(m.type));
      const meta = new BranchMeta(
        name,
        name,
        {
          className: 'TLeafElement',
          name,
          title: name,
          lenType: basic ? el.size : 0,
          isUnsigned: false,
          elementId: id,
          elementType: streamerType,
        },
        sink.compressCode,
        sink.basketSize,
        basic ? 0 : VARIABLE_OFFSET_LEN,
        basic ? 98 : 0,
        { className: cls.name, parentName: cls.name, checksum: cls.checksum, classVersion: cls.version, id, type: 0, streamerType },
      );
      top.children.push(meta);
      this.addColumn(meta, name, m.type, layoutOf(m.type, true));
    });
  }

  private addClass(c: ClassDef): void {
    const prev = this.classDefs.find((d) => d.name === c.name);
    if (!prev) {
      this.classDefs.push(c);
    } else if (prev.checksum !== c.checksum || prev.version !== c.version) {
      throw this.error(`class '${c.name}' is declared twice with different members or versions`);
    }
  }

  /**
   * Appends one cluster of `entries` entries. `chunks` is keyed by full branch name
   * (`ss.x_cm`, or a flat branch's name); every column of the spec must be present.
   */
  writeCluster(entries: number, chunks: ReadonlyMap<string, ColumnChunk>): void {
    if (this.finished) throw this.error('writeCluster after the file was closed');
    if (!Number.isInteger(entries) || entries < 0) throw this.error(`entries must be a non-negative integer, got ${entries}`);
    for (const k of chunks.keys()) {
      if (!this.keys.has(k)) throw this.error('no such branch in the tree spec', k);
    }
    const prepared = this.columns.map((c) => this.prepare(c, entries, chunks));
    if (entries === 0) return;
    for (let i = 0; i < this.columns.length; i++) {
      const col = this.columns[i] as Column;
      const p = prepared[i] as Prepared;
      this.writeColumn(col, entries, p.chunk, p.dict);
    }
    for (const top of this.objectBranches) top.entries += entries;
    this.entries += entries;
    this.clusterSizes.push(entries);
  }

  /** Checks a chunk against its column before anything of the cluster is written. */
  private prepare(col: Column, entries: number, chunks: ReadonlyMap<string, ColumnChunk>): Prepared {
    if (col.key === null || col.type === null) return { chunk: null, dict: null };
    const chunk = chunks.get(col.key);
    const t = col.type;
    if (!chunk) throw this.error('missing from the cluster', col.key);
    if (chunk.kind !== t.kind) throw this.error(`expected a '${t.kind}' chunk, got '${chunk.kind}'`, col.key);
    const bad = (msg: string): RootWriteSpecError => this.error(msg, col.key ?? undefined);
    const checkOffsets = (offsets: Int32Array, n: number): void => {
      if (offsets.length !== entries + 1) throw bad(`offsets must have entries+1 = ${entries + 1} items, got ${offsets.length}`);
      if (offsets[0] !== 0) throw bad('offsets[0] must be 0');
      for (let i = 0; i < entries; i++) {
        if ((offsets[i + 1] ?? 0) < (offsets[i] ?? 0)) throw bad(`offsets decrease at entry ${i}`);
      }
      if ((offsets[entries] ?? 0) > n) throw bad(`offsets point past the ${n} values`);
    };
    const checkIndices = (indices: Uint32Array, count: number, dict: readonly string[]): void => {
      if (indices.length < count) throw bad(`needs ${count} string indices, got ${indices.length}`);
      for (let i = 0; i < count; i++) {
        if ((indices[i] ?? 0) >= dict.length) throw bad(`string index ${indices[i]} outside the dictionary of ${dict.length}`);
      }
    };
    switch (chunk.kind) {
      case 'scalar': {
        const want = arrayMismatch((t as { type: Parameters<typeof arrayMismatch>[0] }).type, chunk.values);
        if (want) throw bad(`values must be a ${want}, got ${chunk.values.constructor.name}`);
        if (chunk.values.length !== entries) throw bad(`expected ${entries} values, got ${chunk.values.length}`);
        return { chunk, dict: null };
      }
      case 'vector': {
        const want = arrayMismatch((t as { type: Parameters<typeof arrayMismatch>[0] }).type, chunk.values);
        if (want) throw bad(`values must be a ${want}, got ${chunk.values.constructor.name}`);
        checkOffsets(chunk.offsets, chunk.values.length);
        return { chunk, dict: null };
      }
      case 'string':
        checkIndices(chunk.indices, entries, chunk.dictionary);
        if (chunk.indices.length !== entries) throw bad(`expected ${entries} string indices, got ${chunk.indices.length}`);
        return { chunk, dict: encodeDictionary(chunk.dictionary) };
      case 'vectorString':
        checkOffsets(chunk.offsets, chunk.indices.length);
        checkIndices(chunk.indices, chunk.offsets[entries] ?? 0, chunk.dictionary);
        return { chunk, dict: encodeDictionary(chunk.dictionary) };
    }
  }

  private writeColumn(col: Column, entries: number, chunk: ColumnChunk | null, dict: Uint8Array[] | null): void {
    const w = this.data;
    const es = this.entrySink;
    const basketSize = this.sink.basketSize;
    const perBasket = col.fixedSize > 0 ? Math.max(1, Math.floor(basketSize / col.fixedSize)) : 0;
    let i = 0;
    while (i < entries) {
      w.reset();
      es.count = 0;
      const to = perBasket > 0 ? Math.min(entries, i + perBasket) : entries;
      const next = writeEntries(w, col.layout, chunk, dict, i, to, basketSize, es);
      this.flushBasket(col, i, next);
      i = next;
    }
    if (col.meta.leaf.className === 'TLeafC') {
      col.meta.leaf.maximum = Math.max(col.meta.leaf.maximum ?? 0, es.maxString);
    }
    col.meta.entries += entries;
    col.meta.entryNumber += entries;
  }

  private flushBasket(col: Column, from: number, to: number): void {
    const w = this.data;
    const dataLen = w.pos;
    const n = to - from;
    if (col.variable) {
      // Entry-offset table as ROOT writes it: n+1, the n offsets from the key start, then 0.
      const es = this.entrySink;
      w.i32(n + 1);
      for (let k = 0; k < es.count; k++) w.i32((es.offsets[k] ?? 0) + col.keylen);
      w.i32(0);
    }
    const payload = w.bytes();
    const { seek, nbytes } = this.sink.writeBasket({
      treeName: this.spec.name,
      branchName: col.meta.name,
      keylen: col.keylen,
      payload,
      nevbufsize: col.variable ? col.meta.entryOffsetLen : col.fixedSize,
      nevbuf: n,
      last: col.keylen + dataLen,
    });
    const m = col.meta;
    m.baskets.push(nbytes, this.entries + from, seek);
    m.totBytes += col.keylen + payload.length;
    m.zipBytes += nbytes;
  }

  /** @internal The TTree record's contents; the tree accepts no more clusters afterwards. */
  finish(): TreeMeta {
    this.finished = true;
    let totBytes = 0;
    let zipBytes = 0;
    const sum = (b: BranchMeta): void => {
      totBytes += b.totBytes;
      zipBytes += b.zipBytes;
      b.children.forEach(sum);
    };
    this.topBranches.forEach(sum);
    const { autoFlush, rangeEnd, rangeSize } = clusterRanges(this.clusterSizes);
    return {
      name: this.spec.name,
      title: this.spec.title,
      entries: this.entries,
      totBytes,
      zipBytes,
      autoFlush,
      clusterRangeEnd: rangeEnd,
      clusterSize: rangeSize,
      branches: this.topBranches,
    };
  }
}

interface Prepared {
  chunk: ColumnChunk | null;
  dict: Uint8Array[] | null;
}

/**
 * ROOT's cluster description: runs of equal-sized clusters become ranges
 * (fClusterRangeEnd = last entry of the run, inclusive); the final run's size is
 * fAutoFlush, and a short final cluster is implied by fEntries.
 */
export function clusterRanges(sizes: readonly number[]): { autoFlush: number; rangeEnd: number[]; rangeSize: number[] } {
  const rangeEnd: number[] = [];
  const rangeSize: number[] = [];
  if (sizes.length === 0) return { autoFlush: 0, rangeEnd, rangeSize };
  // A shorter last cluster needs no range of its own.
  const last = sizes.length - 1;
  let entry = 0;
  let runSize = sizes[0] as number;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i] as number;
    const shortTail = i === last && s < runSize;
    if (s !== runSize && !shortTail) {
      rangeEnd.push(entry - 1);
      rangeSize.push(runSize);
      runSize = s;
    }
    entry += s;
  }
  return { autoFlush: runSize, rangeEnd, rangeSize };
}

