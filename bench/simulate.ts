// Benchmark of `mssi simulate`: a 10-file data set (one per source of
// fixtures/rates.csv, MSSI_BENCH_EVENTS events each, default 1M) written to a
// temporary folder; wall time, MB/s, events/s and peak RSS. Run directly:
//   npm run build && node dist/bench/simulate.js

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simulate, SIMULATE_DEFAULTS, type SimulateOptions } from '../src/simulate/simulate.js';
import { formatBenchTable, type BenchRow } from './table.js';

function eventsPerFile(): number {
  const text = process.env.MSSI_BENCH_EVENTS;
  const n = text === undefined ? 1_000_000 : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`MSSI_BENCH_EVENTS must be a positive integer, got "${text}"`);
  return n;
}

/** The benchmarks' data set: one split, zlib file per source of the rates table, MSSI_BENCH_EVENTS events each. */
export function dataSetOptions(outDir: string): SimulateOptions {
  return {
    outDir,
    events: eventsPerFile(),
    layout: 'split',
    compression: SIMULATE_DEFAULTS.compression,
    basketSize: SIMULATE_DEFAULTS.basketSize,
    clusterSize: SIMULATE_DEFAULTS.clusterSize,
    seed: 1,
  };
}

/**
 * Writes the data set into `outDir` (a fresh temporary folder, removed afterwards, when
 * not given) and returns the table and the files written, for the run benchmark to use.
 */
export async function benchSimulate(outDir?: string): Promise<{ rows: BenchRow[]; files: string[] }> {
  const scratch = mkdtempSync(join(tmpdir(), 'mssi-bench-simulate-'));
  const base = dataSetOptions(outDir ?? scratch);
  const events = base.events;
  try {
    // Generation and the reference selection alone (a writer that drops everything), on one file's worth.
    const g0 = performance.now();
    await simulate({
      ...base,
      outDir: join(scratch, 'null'),
      sources: ['K40_DomePMTs'],
      openWriter: (path) => {
        writeFileSync(path, ''); // simulate renames what the writer wrote
        return { tree: () => ({ writeCluster() {} }), close() {}, abort() {} };
      },
    });
    const generateS = (performance.now() - g0) / 1000;

    const t0 = performance.now();
    const files = await simulate(base);
    const wallS = (performance.now() - t0) / 1000;
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    const totalEvents = files.reduce((s, f) => s + f.events, 0);
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const what = `${files.length} files x ${events} events, split, ${base.compression.algorithm} ${base.compression.level}, cluster ${base.clusterSize}`;
    const rows: BenchRow[] = [
      { name: 'simulate: wall time', value: wallS, unit: 's', note: what },
      { name: 'simulate: written', value: bytes / 1e6, unit: 'MB' },
      { name: 'simulate: write rate', value: bytes / 1e6 / wallS, unit: 'MB/s' },
      { name: 'simulate: events', value: totalEvents / wallS, unit: 'events/s' },
      { name: 'simulate: generate + select only', value: events / generateS, unit: 'events/s', note: 'no ROOT writer, one file' },
      { name: 'simulate: peak RSS', value: peakRssMiB, unit: 'MiB', limit: 'bounded by the cluster, not the file' },
    ];
    return { rows, files: files.map((f) => f.path) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSimulate().then(
    ({ rows }) => process.stdout.write(formatBenchTable('mssi simulate', rows)),
    (err: unknown) => {
      process.stderr.write(`bench simulate: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
