// Writer benchmark: a 1M-entry LZ-like file (the simulator's split layout and
// events: Scatters + RQMCTruth trees, per-vertex vector<string>/vector<int>),
// written with zlib level 1 and with no compression, in MB/s of uncompressed
// basket bytes, next to Node's own zlib.deflateSync speed on the same bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import type { BenchRow } from './table.js';
import { RootFileWriter, type ColumnChunk, type Compression, type TreeSpec } from '../src/root/write/index.js';
import { LzEventGenerator } from '../src/simulate/generate.js';
import { allocateColumns, clusterChunks, treeSpecs } from '../src/simulate/lzModel.js';
import { sourceParams } from '../src/simulate/sources.js';

const ENTRIES = 1_000_000;
const CLUSTER = 100_000;
const [SCATTERS, TRUTH] = treeSpecs('split') as [TreeSpec, TreeSpec];

/** LZ-like clusters from the simulator's own generator (made before the clock starts). */
function lzClusters(): Map<string, Map<string, ColumnChunk>>[] {
  const generator = new LzEventGenerator(sourceParams('K40_DomePMTs'), 1, ENTRIES);
  return Array.from({ length: ENTRIES / CLUSTER }, () => {
    const columns = allocateColumns(CLUSTER);
    generator.fill(columns, CLUSTER);
    return clusterChunks(columns);
  });
}

/** Writes the file; returns the seconds spent in the writer and the file size before the metadata. */
function writeOnce(path: string, compression: Compression, data: Map<string, Map<string, ColumnChunk>>[]): { seconds: number; fileBytes: number } {
  const t0 = performance.now();
  const w = RootFileWriter.open(path, { compression, basketSize: 32000, datime: new Date(Date.UTC(2024, 0, 1)), uuid: new Uint8Array(16) });
  const a = w.tree(SCATTERS);
  const b = w.tree(TRUTH);
  for (const d of data) {
    a.writeCluster(CLUSTER, d.get(SCATTERS.name)!);
    b.writeCluster(CLUSTER, d.get(TRUTH.name)!);
  }
  const fileBytes = w.size;
  w.close();
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, fileBytes };
}

/** The uncompressed payload a file holds, read back from its TTree totals. */
async function totBytes(path: string): Promise<number> {
  const { openFile } = await import('jsroot/io');
  const f = await openFile(path);
  let sum = 0;
  for (const name of ['Scatters', 'RQMCTruth']) {
    const t = (await f.readObject(name)) as unknown as { fTotBytes: number };
    sum += Number(t.fTotBytes);
  }
  return sum;
}

export async function benchWrite(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-bench-write-'));
  try {
    const data = lzClusters();
    const rows: BenchRow[] = [];
    const run = async (label: string, c: Compression): Promise<{ mbps: number; raw: number; file: number }> => {
      const path = join(dir, `${label}.root`);
      writeOnce(path, c, data.slice(0, 1)); // warm-up (JIT)
      const r = writeOnce(path, c, data);
      const raw = await totBytes(path);
      return { mbps: raw / 1e6 / r.seconds, raw, file: r.fileBytes };
    };
    const none = await run('none', { algorithm: 'none', level: 0 });
    const zlib1 = await run('zlib1', { algorithm: 'zlib', level: 1 });

    // Node's deflate alone on a comparable payload: the uncompressed file's bytes, in basket-sized pieces.
    const { readFileSync } = await import('node:fs');
    const raw = readFileSync(join(dir, 'none.root'));
    const t0 = performance.now();
    for (let at = 0; at < raw.length; at += 32000) deflateSync(raw.subarray(at, at + 32000), { level: 1 });
    const deflateMBps = raw.length / 1e6 / ((performance.now() - t0) / 1000);

    rows.push({ name: 'write, no compression', value: none.mbps, unit: 'MB/s', note: `${ENTRIES} entries x 2 trees, ${(none.raw / 1e6).toFixed(0)} MB uncompressed` });
    rows.push({
      name: 'write, zlib level 1',
      value: zlib1.mbps,
      unit: 'MB/s',
      limit: `deflateSync alone: ${deflateMBps.toFixed(0)} MB/s`,
      note: `file ${(zlib1.file / 1e6).toFixed(1)} MB (ratio ${(none.raw / zlib1.file).toFixed(2)})`,
    });
    rows.push({ name: 'zlib.deflateSync level 1 (same bytes, 32 kB blocks)', value: deflateMBps, unit: 'MB/s' });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
