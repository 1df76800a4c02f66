// Writer benchmark: a ~1M-entry LZ-like file (Scatters + RQMCTruth trees, split
// objects with float/double scalars and per-vertex vector<string>/vector<int>),
// written with zlib level 1 and with no compression, in MB/s of uncompressed
// basket bytes, next to Node's own zlib.deflateSync speed on the same bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import type { BenchRow } from './table.js';
import { RootFileWriter, type ColumnChunk, type Compression, type TreeSpec } from '../src/root/write/index.js';

const ENTRIES = 1_000_000;
const CLUSTER = 100_000;
const VOLUMES = ['LiquidXenonTarget', 'ReverseFieldRegion', 'SkinLXe', 'ScintTank', 'TPC_Cathode', 'OuterDetector'];

const SCATTERS: TreeSpec = {
  name: 'Scatters',
  title: 'Scatters',
  branches: [
    {
      kind: 'object',
      name: 'ss',
      className: 'RQ::SingleScatters',
      classVersion: 1,
      members: ['x_cm', 'y_cm', 'driftTime_ns', 's1Area_phd', 's2Area_phd', 'correctedS1Area_phd', 'correctedS2Area_phd'].map((name) => ({
        name,
        type: { kind: 'scalar' as const, type: 'float32' as const },
      })),
    },
  ],
};

const TRUTH: TreeSpec = {
  name: 'RQMCTruth',
  title: 'RQMCTruth',
  branches: [
    {
      kind: 'object',
      name: 'mcTruthVertices',
      className: 'RQ::MCTruthVertices',
      classVersion: 1,
      members: [
        { name: 'nRQMCTruthVertices', type: { kind: 'scalar', type: 'int32' } },
        { name: 'volumeName', type: { kind: 'vectorString' } },
        { name: 'detectedS1Photons', type: { kind: 'vector', type: 'int32' } },
        { name: 'detectedS2Photons', type: { kind: 'vector', type: 'int32' } },
      ],
    },
    { kind: 'object', name: 'mcTruthEvent', className: 'RQ::MCTruthEvent', classVersion: 1, members: [{ name: 'eventWeight', type: { kind: 'scalar', type: 'float64' } }] },
  ],
};

function clusterData(n: number, seed: number): { scatters: Map<string, ColumnChunk>; truth: Map<string, ColumnChunk> } {
  let s = seed >>> 0;
  const rnd = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const scatters = new Map<string, ColumnChunk>();
  for (const m of ['x_cm', 'y_cm', 'driftTime_ns', 's1Area_phd', 's2Area_phd', 'correctedS1Area_phd', 'correctedS2Area_phd']) {
    scatters.set(`ss.${m}`, { kind: 'scalar', values: Float32Array.from({ length: n }, () => rnd() * 1000) });
  }
  const offsets = new Int32Array(n + 1);
  const nv = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    nv[i] = 1 + Math.floor(rnd() * 4);
    offsets[i + 1] = (offsets[i] ?? 0) + (nv[i] ?? 0);
  }
  const total = offsets[n] ?? 0;
  const truth = new Map<string, ColumnChunk>([
    ['mcTruthVertices.nRQMCTruthVertices', { kind: 'scalar', values: nv }],
    ['mcTruthVertices.volumeName', { kind: 'vectorString', offsets, indices: Uint32Array.from({ length: total }, () => Math.floor(rnd() * VOLUMES.length)), dictionary: VOLUMES }],
    ['mcTruthVertices.detectedS1Photons', { kind: 'vector', offsets, values: Int32Array.from({ length: total }, () => Math.floor(rnd() * 50)) }],
    ['mcTruthVertices.detectedS2Photons', { kind: 'vector', offsets, values: Int32Array.from({ length: total }, () => Math.floor(rnd() * 5000)) }],
    ['mcTruthEvent.eventWeight', { kind: 'scalar', values: new Float64Array(n).fill(1.25) }],
  ]);
  return { scatters, truth };
}

/** Writes the file; returns the seconds spent in the writer and the file size before the metadata. */
function writeOnce(path: string, compression: Compression, data: ReturnType<typeof clusterData>[]): { seconds: number; fileBytes: number } {
  const t0 = performance.now();
  const w = RootFileWriter.open(path, { compression, basketSize: 32000, datime: new Date(Date.UTC(2024, 0, 1)), uuid: new Uint8Array(16) });
  const a = w.tree(SCATTERS);
  const b = w.tree(TRUTH);
  for (const d of data) {
    a.writeCluster(CLUSTER, d.scatters);
    b.writeCluster(CLUSTER, d.truth);
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
    const data = Array.from({ length: ENTRIES / CLUSTER }, (_, i) => clusterData(CLUSTER, 1000 + i));
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
