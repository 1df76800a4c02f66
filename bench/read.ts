// Reader benchmark: decompression alone vs our full decode (decompress +
// big-endian -> TypedArray + jagged offsets + string dictionary), over the
// baskets of the selection's branches (or every decodable branch of files
// that do not have them).
import { performance } from 'node:perf_hooks';
import { inflateSync } from 'node:zlib';
import { basename } from 'node:path';
import type { BenchRow } from './table.js';
import { openRootFile, type RootFile } from '../src/root/read/reader.js';
import type { BranchInfo, TreeInfo } from '../src/root/read/metadata.js';
import { parseBasketHeader } from '../src/root/read/basket.js';
import { decompressRoot, loadLzma } from '../src/root/read/compression.js';
import { FileSource } from '../src/root/read/source.js';
import { BRANCHES_READ } from '../src/analysis/lzColumns.js';

// The branches the selection reads: what a run decompresses.
const SELECTION = BRANCHES_READ;

interface Work {
  file: string;
  tree: TreeInfo;
  branches: BranchInfo[];
}

function pick(rf: RootFile, file: string): Work[] {
  const trees = rf.trees();
  const sel = trees.filter((t) => SELECTION[t.name]);
  const chosen = sel.length > 0 ? sel : trees;
  return chosen.map((tree) => ({
    file,
    tree,
    branches: tree.branchList.filter(
      (b) => b.type.kind !== 'unsupported' && (sel.length === 0 || SELECTION[tree.name]!.includes(b.name)),
    ),
  }));
}


export interface CompressedBaskets {
  readonly baskets: { buf: Uint8Array; keylen: number; nbytes: number; objlen: number }[];
  readonly uncompressedBytes: number;
  readonly diskBytes: number;
  /** Entries summed over the trees read. */
  readonly entries: number;
}

function collectBaskets(work: readonly Work[]): CompressedBaskets {
  const baskets: CompressedBaskets['baskets'] = [];
  let uncompressedBytes = 0;
  let diskBytes = 0;
  let entries = 0;
  for (const w of work) {
    const src = new FileSource(w.file);
    entries += w.tree.entries;
    for (const b of w.branches) {
      for (const k of b.baskets) {
        if (k.inMemory) continue;
        const buf = src.read(k.seek, k.bytes);
        const h = parseBasketHeader(buf, { file: w.file });
        baskets.push({ buf, keylen: h.keylen, nbytes: h.nbytes, objlen: h.objlen });
        uncompressedBytes += h.objlen;
        diskBytes += k.bytes;
      }
    }
    src.close();
  }
  return { baskets, uncompressedBytes, diskBytes, entries };
}

/** The baskets of the selection's branches of `files`, read into memory. */
export async function selectionBaskets(files: readonly string[]): Promise<CompressedBaskets> {
  const work: Work[] = [];
  for (const f of files) {
    const rf = await openRootFile(f);
    work.push(...pick(rf, f));
    rf.close();
  }
  return collectBaskets(work);
}

/**
 * Seconds to decompress every basket once, on this thread, into one reused buffer:
 * the floor of any reader (the same zlib stream reuse as the reader's, no allocation).
 */
export function inflateSeconds(c: CompressedBaskets): number {
  const into = new Uint8Array(c.baskets.reduce((m, b) => Math.max(m, b.objlen + 1), 0));
  const t0 = performance.now();
  for (const b of c.baskets) {
    if (b.nbytes - b.keylen !== b.objlen) decompressRoot(b.buf.subarray(b.keylen, b.nbytes), b.objlen, undefined, into);
  }
  return (performance.now() - t0) / 1e3;
}

/**
 * The same baskets through zlib.inflateSync, Node's public API (a new zlib stream and
 * fresh output memory per block): what a reader without stream reuse pays. zlib
 * blocks only (the benchmark's data sets are zlib-compressed).
 */
export function inflateSyncSeconds(c: CompressedBaskets): number {
  const t0 = performance.now();
  for (const b of c.baskets) {
    if (b.nbytes - b.keylen === b.objlen) continue;
    for (let at = b.keylen; at + 9 <= b.nbytes; ) {
      const size = b.buf[at + 3]! | (b.buf[at + 4]! << 8) | (b.buf[at + 5]! << 16);
      if (b.buf[at] === 0x5a && b.buf[at + 1] === 0x4c) inflateSync(b.buf.subarray(at + 9, at + 9 + size));
      at += 9 + size;
    }
  }
  return (performance.now() - t0) / 1e3;
}

function best(times: number[]): number {
  return Math.min(...times);
}

export async function benchRead(files: string[], repeats = 5): Promise<BenchRow[]> {
  await loadLzma();
  const opened: { rf: RootFile; work: Work[] }[] = [];
  for (const f of files) {
    const rf = await openRootFile(f);
    opened.push({ rf, work: pick(rf, f) });
  }
  // (a) decompression only, from bytes already in memory
  const baskets = collectBaskets(opened.flatMap((o) => o.work));
  const { uncompressedBytes, diskBytes, entries } = baskets;
  const compressed = baskets.baskets;
  const tInflate: number[] = [];
  for (let r = 0; r < repeats; r++) tInflate.push(inflateSeconds(baskets));
  // (b) full decode through the public API (pread + decompress + interpret)
  const tDecode: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (const { rf, work } of opened) {
      for (const w of work) await rf.readColumns(w.tree, w.branches.map((b) => b.name));
    }
    tDecode.push((performance.now() - t0) / 1e3);
  }
  for (const { rf } of opened) rf.close();
  const mb = uncompressedBytes / 1e6;
  const a = best(tInflate);
  const b = best(tDecode);
  const what = files.length === 1 ? basename(files[0]!) : `${files.length} files`;
  const note = `${what}; ${compressed.length} baskets, ${(diskBytes / 1e6).toFixed(2)} MB on disk, best of ${repeats}`;
  return [
    { name: 'read: decompress only', value: mb / a, unit: 'MB/s (uncompressed)', note },
    { name: 'read: full decode', value: mb / b, unit: 'MB/s (uncompressed)', limit: `decompress only: ${(mb / a).toFixed(0)} MB/s` },
    { name: 'read: full decode', value: entries / b, unit: 'entries/s', note: `${entries} entries (summed over trees)` },
    { name: 'read: decode / decompress time', value: b / a, unit: 'ratio', limit: 'close to 1' },
  ];
}

// `node dist/bench/read.js FILE...` prints the table
if (process.argv[1] && /bench[\\/]read\.(js|ts)$/.test(process.argv[1])) {
  const { formatBenchTable } = await import('./table.js');
  const files = process.argv.slice(2);
  if (files.length > 0) console.log(formatBenchTable('ROOT reader', await benchRead(files)));
}
