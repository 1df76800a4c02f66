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
import * as zlib from 'node:zlib';
import { decompressRoot, loadLzma, lz4DecodeBlock } from '../src/root/read/compression.js';
import { compressPayload } from '../src/root/write/compress.js';
import { loadZstdEncoder } from '../src/root/write/zstd.js';
import { xxh64Is } from '../src/root/xxhash64.js';
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

/** The selection baskets' uncompressed bytes (up to `maxBytes`), each compressed again as one ROOT buffer. */
function recompressed(c: CompressedBaskets, algorithm: 'lz4' | 'zstd', maxBytes: number): { buffers: { z: Uint8Array; size: number }[]; bytes: number; compressed: number } {
  const buffers: { z: Uint8Array; size: number }[] = [];
  let bytes = 0;
  let compressed = 0;
  for (const b of c.baskets) {
    if (bytes >= maxBytes) break;
    const stored = b.buf.subarray(b.keylen, b.nbytes);
    const raw = b.nbytes - b.keylen === b.objlen ? stored : decompressRoot(stored, b.objlen);
    const z = compressPayload(raw, { algorithm, level: 1 });
    if (z === null) continue;
    buffers.push({ z, size: raw.length });
    bytes += raw.length;
    compressed += z.length;
  }
  return { buffers, bytes, compressed };
}

function timeBest(repeats: number, pass: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    pass();
    times.push((performance.now() - t0) / 1e3);
  }
  return best(times);
}

type ZstdDecode = (src: Uint8Array, dst?: Uint8Array) => Uint8Array;
const nativeZstd = (zlib as { zstdDecompressSync?: (src: Uint8Array) => Buffer }).zstdDecompressSync;

/**
 * What the decoders' checks cost, on the selection baskets compressed again with lz4
 * and zstd (the data set itself is zlib): lz4 with and without ROOT's xxhash64 check,
 * and zstd by libzstd (WebAssembly) against fzstd (the JavaScript decoder used
 * before, a dev dependency) and Node's own zstd where this Node has one.
 */
export async function benchCodecs(c: CompressedBaskets, repeats = 5, maxBytes = 64e6): Promise<BenchRow[]> {
  await loadZstdEncoder();
  const rows: BenchRow[] = [];
  const lz4 = recompressed(c, 'lz4', maxBytes);
  const into = new Uint8Array(lz4.buffers.reduce((m, b) => Math.max(m, b.size + 1), 0));
  const checked = timeBest(repeats, () => {
    for (const b of lz4.buffers) decompressRoot(b.z, b.size, undefined, into);
  });
  // the same blocks through the LZ4 decoder alone (each basket is one block: 9-byte header, 8-byte checksum)
  const unchecked = timeBest(repeats, () => {
    for (const b of lz4.buffers) lz4DecodeBlock(b.z.subarray(17), into.subarray(0, b.size));
  });
  const hashOnly = timeBest(repeats, () => {
    for (const b of lz4.buffers) xxh64Is(b.z.subarray(17), 0, 0);
  });
  const mb = lz4.bytes / 1e6;
  const note = `${lz4.buffers.length} selection baskets, ${mb.toFixed(1)} MB, compressed again at level 1`;
  rows.push(
    { name: 'read: lz4 decode, xxhash64 checked', value: mb / checked, unit: 'MB/s (uncompressed)', limit: `checksum skipped: ${(mb / unchecked).toFixed(0)} MB/s`, note },
    { name: 'read: xxhash64 of the lz4 blocks', value: (lz4.compressed - 17 * lz4.buffers.length) / 1e6 / hashOnly, unit: 'MB/s (compressed)', note: `${((checked / unchecked - 1) * 100).toFixed(0)}% on top of the lz4 decode` },
  );
  const zstd = recompressed(c, 'zstd', maxBytes);
  const zmb = zstd.bytes / 1e6;
  const libzstd = timeBest(repeats, () => {
    for (const b of zstd.buffers) decompressRoot(b.z, b.size, undefined, into);
  });
  const fzstd = (await import('fzstd').catch(() => null)) as { decompress: ZstdDecode } | null;
  let limit = 'fzstd: not installed (a dev dependency)';
  if (fzstd) {
    // into the basket's buffer, as the reader called it, and allocating its output (its faster mode)
    const old = timeBest(repeats, () => {
      for (const b of zstd.buffers) fzstd.decompress(b.z.subarray(9), into.subarray(0, b.size));
    });
    const allocating = timeBest(repeats, () => {
      for (const b of zstd.buffers) fzstd.decompress(b.z.subarray(9));
    });
    limit = `fzstd (before): ${(zmb / old).toFixed(0)} MB/s into the basket, ${(zmb / allocating).toFixed(0)} MB/s allocating`;
  }
  if (nativeZstd) {
    const native = timeBest(repeats, () => {
      for (const b of zstd.buffers) nativeZstd(b.z.subarray(9));
    });
    limit += `; Node's native zstd: ${(zmb / native).toFixed(0)} MB/s`;
  }
  rows.push({ name: 'read: zstd decode (libzstd, WebAssembly)', value: zmb / libzstd, unit: 'MB/s (uncompressed)', limit, note: `${zstd.buffers.length} baskets, ${zmb.toFixed(1)} MB, level 1` });
  return rows;
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
    ...(await benchCodecs(baskets, repeats)),
  ];
}

// `node dist/bench/read.js FILE...` prints the table
if (process.argv[1] && /bench[\\/]read\.(js|ts)$/.test(process.argv[1])) {
  const { formatBenchTable } = await import('./table.js');
  const files = process.argv.slice(2);
  if (files.length > 0) console.log(formatBenchTable('ROOT reader', await benchRead(files)));
}
