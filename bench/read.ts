// Reader benchmark: decompression alone vs our full decode (decompress +
// big-endian -> TypedArray + jagged offsets + string dictionary), over the
// baskets of the selection's branches (or every decodable branch of files
// that do not have them).
import { performance } from 'node:perf_hooks';
import { basename } from 'node:path';
import type { BenchRow } from './table.js';
import { openRootFile, type RootFile } from '../src/root/read/reader.js';
import type { BranchInfo, TreeInfo } from '../src/root/read/metadata.js';
import { parseBasketHeader } from '../src/root/read/basket.js';
import { decompressRoot, loadLzma } from '../src/root/read/compression.js';
import { FileSource } from '../src/root/read/source.js';

const SELECTION: Record<string, readonly string[]> = {
  Scatters: [
    'ss.x_cm',
    'ss.y_cm',
    'ss.driftTime_ns',
    'ss.s1Area_phd',
    'ss.s2Area_phd',
    'ss.correctedS1Area_phd',
    'ss.correctedS2Area_phd',
  ],
  RQMCTruth: [
    'mcTruthVertices.nRQMCTruthVertices',
    'mcTruthVertices.volumeName',
    'mcTruthVertices.detectedS1Photons',
    'mcTruthVertices.detectedS2Photons',
    'mcTruthEvent.eventWeight',
  ],
};

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
  const compressed: { buf: Uint8Array; keylen: number; nbytes: number; objlen: number }[] = [];
  let uncompressedBytes = 0;
  let diskBytes = 0;
  let entries = 0;
  for (const { work } of opened) {
    for (const w of work) {
      const src = new FileSource(w.file);
      entries += w.tree.entries;
      for (const b of w.branches) {
        for (const k of b.baskets) {
          if (k.inMemory) continue;
          const buf = src.read(k.seek, k.bytes);
          const h = parseBasketHeader(buf, { file: w.file });
          compressed.push({ buf, keylen: h.keylen, nbytes: h.nbytes, objlen: h.objlen });
          uncompressedBytes += h.objlen;
          diskBytes += k.bytes;
        }
      }
      src.close();
    }
  }
  const tInflate: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (const c of compressed) {
      if (c.nbytes - c.keylen !== c.objlen) decompressRoot(c.buf.subarray(c.keylen, c.nbytes), c.objlen);
    }
    tInflate.push((performance.now() - t0) / 1e3);
  }
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
