// The reader's entry point: open a file (jsroot for metadata), then read
// columns of an entry range with our own basket decoder.
import { FileSource, PrefetchingSource, type ByteSource } from './source.js';
import { describeTree, type BasketInfo, type BranchInfo, type TreeInfo, type Layout } from './metadata.js';
import { basketPlace, readBasket, type RawBasket } from './basket.js';
import { columnBuilder } from './columnBuilders.js';
import { supplyLeafStreamers } from './leafStreamers.js';
import { ScratchArena } from './scratch.js';
import { FRESH_MEMORY, type ColumnMemory } from './columnMemory.js';
import { loadLzma, LzmaNotLoadedError } from './compression.js';
import type { JsrootFile, JsrootNamed } from 'jsroot/io';
import { MissingObjectError, RootReadError, type ErrorPlace, UnsupportedBranchError, CorruptBasketError, CorruptFileError, printable } from './errors.js';
import { checkBasketTable } from './checks.js';
import { checkKeyAtItsSeek, readFileStructure, type FileHeader, type ObjectKey } from './structure.js';
import { openJsrootFile, readJsrootObject, type JsrootDiagnostics } from './jsrootFile.js';
import type { ColumnData, ReadOptions, StringClassifier } from './columns.js';

export type { ColumnData, ReadOptions, StringClassifier, StringClassColumn } from './columns.js';

export interface EntryRange {
  readonly start: number;
  readonly stop: number;
}

export interface RootFile {
  readonly path: string;
  /** ROOT version that wrote the file, e.g. 62004. */
  readonly version: number;
  /** The file's default compression setting (algorithm*100 + level). */
  readonly compress: number;
  trees(): TreeInfo[];
  /** Throws MissingObjectError when there is no such tree. */
  tree(name: string): TreeInfo;
  /** Throws MissingObjectError / UnsupportedBranchError for a branch that cannot be read. */
  branch(tree: TreeInfo | string, name: string): BranchInfo;
  /**
   * Columns of `branchNames` for entries [entryStart, entryStop) (defaults: the
   * whole tree), keyed by the names given. Only the baskets overlapping the
   * range are read; baskets crossing its ends are sliced. The columns' arrays come
   * from `memory` (default: fresh memory). `options.stringClasses` names the
   * std::vector<std::string> branches to read by class (a StringClassColumn each).
   */
  readColumns(
    tree: TreeInfo | string,
    branchNames: readonly string[],
    entryStart?: number,
    entryStop?: number,
    memory?: ColumnMemory,
    options?: ReadOptions,
  ): Promise<Map<string, ColumnData>>;
  close(): void;
}

/** Splits a tree into entry ranges of about `targetEntries`, cut only at cluster boundaries. */
export function clusterRanges(tree: TreeInfo, targetEntries: number): EntryRange[] {
  const b = tree.clusterBoundaries;
  const out: EntryRange[] = [];
  if (tree.entries <= 0) return out;
  const target = Math.max(1, Math.floor(targetEntries));
  let start = 0;
  for (let i = 1; i < b.length; i++) {
    const e = b[i]!;
    if (e - start >= target || i === b.length - 1) {
      out.push({ start, stop: e });
      start = e;
    }
  }
  return out;
}

class OpenedRootFile implements RootFile {
  readonly path: string;
  readonly version: number;
  readonly compress: number;
  private readonly source: PrefetchingSource;
  private readonly treeMap: Map<string, TreeInfo>;
  /** Uncompressed baskets of the branch being decoded (decoders copy out of it). */
  private readonly scratch = idleArenas.pop() ?? new ScratchArena();
  private readonly takeScratch = (bytes: number) => this.scratch.take(bytes);

  constructor(
    path: string,
    source: ByteSource,
    private readonly header: FileHeader,
    trees: Map<string, TreeInfo>,
  ) {
    this.path = path;
    this.source = new PrefetchingSource(source);
    this.version = header.version % 1000000;
    this.compress = header.compress;
    this.treeMap = trees;
  }

  trees(): TreeInfo[] {
    return [...this.treeMap.values()];
  }

  tree(name: string): TreeInfo {
    const t = this.treeMap.get(name);
    if (!t) {
      const have = [...this.treeMap.keys()].join(', ') || 'none';
      throw new MissingObjectError({ file: this.path, tree: name }, `no TTree named '${name}' (trees in the file: ${have})`);
    }
    return t;
  }

  branch(tree: TreeInfo | string, name: string): BranchInfo {
    const t = typeof tree === 'string' ? this.tree(tree) : tree;
    const b = t.branches.get(name);
    const place = { file: this.path, tree: t.name, branch: name };
    if (!b) throw new MissingObjectError(place, `no such branch (the tree has ${t.branchList.length} branches)`);
    if (b.type.kind === 'unsupported') throw new UnsupportedBranchError(place, b.type.reason);
    this.checkBaskets(t, b);
    return b;
  }

  /** Basket tables already checked (each once: a task reads a branch chunk by chunk). */
  private readonly checkedBranches = new WeakSet<BranchInfo>();

  private checkBaskets(t: TreeInfo, b: BranchInfo): void {
    if (this.checkedBranches.has(b)) return;
    const place = { file: this.path, tree: t.name, branch: b.name };
    try {
      checkBasketTable(t, b, this.header, place);
    } catch (e) {
      if (e instanceof RootReadError) throw e;
      throw new CorruptFileError({ ...place, record: 'its TBranch record' }, 'its basket tables cannot be read (damaged)', { cause: e });
    }
    this.checkedBranches.add(b);
  }

  /** Calls run one after another: they share the prefetch buffer. */
  private queue: Promise<unknown> = Promise.resolve();

  readColumns(
    tree: TreeInfo | string,
    branchNames: readonly string[],
    entryStart = 0,
    entryStop?: number,
    memory: ColumnMemory = FRESH_MEMORY,
    options: ReadOptions = {},
  ): Promise<Map<string, ColumnData>> {
    const run = this.queue.then(() => this.readColumnsNow(tree, branchNames, entryStart, entryStop, memory, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readColumnsNow(
    tree: TreeInfo | string,
    branchNames: readonly string[],
    entryStart: number,
    entryStop: number | undefined,
    memory: ColumnMemory,
    options: ReadOptions,
  ): Promise<Map<string, ColumnData>> {
    const t = typeof tree === 'string' ? this.tree(tree) : tree;
    const stop = Math.min(entryStop ?? t.entries, t.entries);
    const start = Math.max(0, entryStart);
    if (!(stop >= start)) {
      throw new RootReadError({ file: this.path, tree: t.name }, `bad entry range ${entryStart}..${entryStop}`);
    }
    const branches = branchNames.map((name) => this.branch(t, name));
    const wanted = branches.flatMap((b) =>
      basketsOverlapping(b.baskets, start, stop)
        .filter((k) => !k.inMemory && k.entries > 0)
        .map((k) => ({ position: k.seek, length: k.bytes })),
    );
    this.source.prefetch(wanted);
    try {
      const out = new Map<string, ColumnData>();
      for (let i = 0; i < branches.length; i++) {
        const name = branchNames[i]!;
        out.set(name, await this.readBranch(t, branches[i]!, start, stop, memory, options.stringClasses?.get(name)));
      }
      return out;
    } finally {
      this.source.prefetch([]); // memory is bounded by one call's range
    }
  }

  /**
   * Each basket is decompressed into the scratch arena, decoded into the column at
   * once (its bytes still in cache), and its memory reused for the next basket.
   */
  private async readBranch(
    t: TreeInfo,
    b: BranchInfo,
    start: number,
    stop: number,
    memory: ColumnMemory = FRESH_MEMORY,
    classify?: StringClassifier,
  ): Promise<ColumnData> {
    const place = { file: this.path, tree: t.name, branch: b.name };
    this.checkBaskets(t, b);
    if (classify && b.type.kind !== 'vectorString') {
      throw new UnsupportedBranchError(place, `it holds ${b.rootType}, and only a std::vector<std::string> branch can be read by class`);
    }
    const layout = b.layout as Layout;
    const builder = columnBuilder(layout, stop - start, place, memory, classify);
    let covered = start;
    for (const k of basketsOverlapping(b.baskets, start, stop)) {
      const kEnd = k.entryStart + k.entries;
      if (k.entries === 0) continue;
      if (k.entryStart > covered) break; // a hole: reported below
      const mark = this.scratch.mark();
      try {
        let raw: RawBasket;
        try {
          raw = readBasket(this.source, k, place, undefined, this.takeScratch);
        } catch (e) {
          if (!(e instanceof LzmaNotLoadedError)) throw e;
          await loadLzma(); // first LZMA block seen: load the decoder once, then retry
          raw = readBasket(this.source, k, place, undefined, this.takeScratch);
        }
        let counts: ArrayLike<number> | undefined;
        if (layout.form === 'counted' && raw.offsets === null) {
          // a nested read: its baskets go above this one in the arena
          counts = await this.countsFor(t, b, layout, k.entryStart, kEnd);
        }
        builder.add({
          raw,
          from: Math.max(start, k.entryStart) - k.entryStart,
          to: Math.min(stop, kEnd) - k.entryStart,
          entryStart: k.entryStart,
          ...(counts ? { counts } : {}),
        });
      } catch (e) {
        // the decoders know the entry; the basket is named here
        if (e instanceof RootReadError) throw e.locate(basketPlace(place, k)().record!);
        throw e;
      } finally {
        this.scratch.release(mark);
      }
      covered = Math.min(stop, kEnd);
    }
    if (covered < stop) {
      throw new CorruptBasketError(
        place,
        `no basket holds entries ${covered}..${stop} (the branch's baskets cover ${b.baskets.reduce((s, k) => s + k.entries, 0)} of ${t.entries} entries)`,
      );
    }
    return builder.finish();
  }

  /** Counts of a counted array in a basket without entry offsets, from its count branch. */
  private async countsFor(t: TreeInfo, b: BranchInfo, layout: Extract<Layout, { form: 'counted' }>, s: number, e: number): Promise<ArrayLike<number>> {
    const place = { file: this.path, tree: t.name, branch: b.name };
    if (layout.countBranch === null) throw new CorruptBasketError(place, 'basket without entry offsets and no count branch');
    const cb = t.branches.get(layout.countBranch);
    if (!cb || cb.layout?.form !== 'fixed' || cb.layout.count !== 1) {
      throw new CorruptBasketError(place, `count branch '${layout.countBranch}' is missing or not a scalar`);
    }
    const col = await this.readBranch(t, cb, s, e);
    if (col.kind !== 'scalar') throw new CorruptBasketError(place, `count branch '${layout.countBranch}' is not a scalar`);
    return Array.from(col.values as ArrayLike<number | bigint>, (x) => Number(x));
  }

  private closed = false;

  close(): void {
    this.source.close();
    // only an arena nothing is using any more (a read still in flight keeps its own)
    if (!this.closed && this.scratch.mark() === 0 && idleArenas.length < MAX_IDLE_ARENAS) idleArenas.push(this.scratch);
    this.closed = true;
  }
}

/**
 * The baskets holding entries of [start, stop), found by bisection: a task reads a big
 * file chunk by chunk, and a scan from its first basket for every chunk would grow
 * with the square of the file. Baskets are listed in entry order; in a list that is
 * not, a basket missed here shows as a hole that readBranch reports.
 */
export function basketsOverlapping(baskets: readonly BasketInfo[], start: number, stop: number): readonly BasketInfo[] {
  // first basket ending after `start`, then up to the first starting at or after `stop`
  let lo = 0;
  let hi = baskets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = baskets[mid]!;
    if (k.entryStart + k.entries <= start) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < baskets.length && baskets[end]!.entryStart < stop) end++;
  return baskets.slice(lo, end);
}

/** Arenas of closed files, handed to the next file opened: its memory is already mapped. */
const idleArenas: ScratchArena[] = [];
const MAX_IDLE_ARENAS = 2;

/**
 * describeTree over what jsroot parsed: on a damaged record its fields may be of any
 * type, and what is not a RootReadError already is said as the damage it is.
 */
function describeChecked(jsfile: JsrootFile, path: string, obj: JsrootNamed, key: ObjectKey, name: string, place: ErrorPlace): TreeInfo {
  try {
    return describeTree(jsfile, path, obj, key.cycle, name);
  } catch (e) {
    if (e instanceof RootReadError) throw e;
    throw new CorruptFileError(place, `its branches cannot be described from it (its TTree record or the streamer infos are damaged)`, { cause: e });
  }
}

/** Key classes whose objects are trees (TNtuple and TNtupleD are TTrees with float/double leaves). */
const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);

/**
 * Opens a ROOT file: its structure is read and checked first (header, directories,
 * keys, streamer infos), then jsroot reads the streamer infos and every TTree (in
 * any directory, named "dir/tree") through the checked source.
 */
export async function openRootFile(path: string): Promise<RootFile> {
  let source: FileSource;
  try {
    source = new FileSource(path);
  } catch (e) {
    throw new RootReadError({ file: path }, `cannot open: ${(e as Error).message}`, { cause: e });
  }
  try {
    const structure = readFileStructure(source);
    // highest cycle of each tree
    const best = new Map<string, ObjectKey>();
    for (const k of structure.keys) {
      if (!TREE_CLASSES.has(k.className)) continue;
      const seen = best.get(k.path);
      if (!seen || seen.cycle < k.cycle) best.set(k.path, k);
    }
    const trees = new Map<string, TreeInfo>();
    if (best.size > 0) {
      if (structure.streamerKey === null) {
        throw new CorruptFileError({ file: path, record: 'file header' }, 'fSeekInfo is 0: the file has no streamer infos, so its trees cannot be read');
      }
      const messages: JsrootDiagnostics = [];
      const jsfile = await openJsrootFile(source, messages, `streamer infos (key at byte ${structure.header.seekInfo})`);
      supplyLeafStreamers(jsfile);
      for (const [name, key] of best) {
        const place = { file: path, record: `${key.className} '${printable(name)};${key.cycle}' (key at byte ${key.seekKey}, ${key.nbytes} bytes)` };
        checkKeyAtItsSeek(source, structure.header, key, place);
        const obj = await readJsrootObject(jsfile, name, key.cycle, place, `a ${key.className}`, messages);
        trees.set(name, describeChecked(jsfile, path, obj, key, name, place));
      }
    }
    return new OpenedRootFile(path, source, structure.header, trees);
  } catch (e) {
    source.close();
    throw e;
  }
}
