// Benchmark of plan / shard / merge at scale: `mssi plan` over 100,000 files and `mssi
// merge` of their 100,000 results, each timed in a fresh process with its peak RSS; the
// shard balance (heaviest / mean) for realistic mixes of file sizes; and planning with a
// real big ROOT file cut into ranges (its worker start and metadata read).
//
// The 100,000 files are sparse (ftruncate to their size: no data blocks, real stat
// results), lognormal from 10 MB to 4 GB, so planning stats real files. A file over a
// shard's fair share is opened to be cut, which needs a real ROOT file, so the 100,000
// are planned into shards larger than the largest file (nothing is cut), and cutting is
// measured apart, on a simulated file. The merge's shard files hold synthetic results
// of the planned tasks (merge reads nothing else). Run alone: `npm run bench:shard`.

import { DEFAULT_SELECTION } from '../src/selection/definition.js';
import { fork } from 'node:child_process';
import { emptyModel, modelAxes } from '../src/model/bin.js';
import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNT_KEYS } from '../src/selection/types.js';
import { balance, shardLoads } from '../src/shard/balance.js';
import { PIECES_PER_SHARE, planHash, readPlan, tasksOfShard } from '../src/shard/plan.js';
import { SHARD_SCHEMA, writeShardFile, type ShardTaskDone } from '../src/shard/shardFile.js';
import { Rng } from '../src/simulate/rng.js';
import type { ChildReport } from './shardChild.js';
import type { BenchRow } from './table.js';

const MB = 1e6;
const MIN_BYTES = 10 * MB;
const MAX_BYTES = 4000 * MB;

/** Lognormal sizes (median 300 MB, sigma 1.3), clipped to 10 MB .. 4 GB: LZ-like simulation outputs. */
export function realisticSizes(n: number, seed: number): number[] {
  const rng = new Rng(seed, 'sizes');
  return Array.from({ length: n }, () => Math.round(Math.min(MAX_BYTES, Math.max(MIN_BYTES, Math.exp(Math.log(300 * MB) + 1.3 * rng.normal())))));
}

/** Runs `mssi ARGS` in a fresh process; its time and peak RSS. */
function timedCommand(args: readonly string[]): Promise<ChildReport> {
  const child = fork(fileURLToPath(new URL('./shardChild.js', import.meta.url)), [...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let report: ChildReport | null = null;
    child.once('message', (m: ChildReport) => (report = m));
    child.once('exit', (code) => (report ? resolve(report) : reject(new Error(`bench: mssi ${args[0]} exited ${code} without a report`))));
  });
}

/**
 * Heaviest / mean shard for `sizes` in shards of about `shareBytes`, files over the fair
 * share cut as the planner cuts them (here into equal pieces; real files: at clusters).
 */
function balanceOf(sizes: readonly number[], shareBytes: number): { ratio: number; shards: number; tasks: number; cut: number } {
  const total = sizes.reduce((a, b) => a + b, 0);
  const shards = Math.max(1, Math.round(total / shareBytes));
  const fair = total / shards;
  const tasks: number[] = [];
  let cut = 0;
  for (const s of sizes) {
    if (s <= fair) {
      tasks.push(s);
      continue;
    }
    cut++;
    const pieces = Math.ceil((PIECES_PER_SHARE * s) / fair);
    for (let p = 0; p < pieces; p++) tasks.push(Math.round((s * (p + 1)) / pieces) - Math.round((s * p) / pieces));
  }
  const loads = shardLoads(tasks, balance(tasks, shards), shards);
  return { ratio: Math.max(...loads) / (total / shards), shards, tasks: tasks.length, cut };
}

/** The files of a plan's run: sparse, named SS_skim_fNNNNNN.root (Source fNNNNNN, each in the rates table). */
function makeSparseFiles(dir: string, sizes: readonly number[]): string[] {
  mkdirSync(dir, { recursive: true });
  return sizes.map((size, i) => {
    const path = join(dir, `SS_skim_f${String(i).padStart(6, '0')}.root`);
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
    return path;
  });
}

/** Shard files with a made-up result for every task of the plan in `runDir`. */
function writeSyntheticShards(runDir: string): void {
  const plan = readPlan(runDir);
  const hash = planHash(plan);
  const rng = new Rng(3, 'results');
  // consistent with the counts (the shard files are checked): every FV ROI event in one cell
  const modelHolding = (c: ShardTaskDone['counts']) => {
    const m = emptyModel(modelAxes(DEFAULT_SELECTION));
    m.ss.cells[1000] = c.nSSFVROI;
    m.mssi.cells[1000] = c.nMSSIFVROI;
    return m;
  };
  for (let k = 0; k < plan.shards; k++) {
    const tasks = tasksOfShard(plan, k).map((t): ShardTaskDone => {
      const entries = 1000 + rng.int(1_000_000);
      const counts = Object.fromEntries(COUNT_KEYS.map((c) => [c, rng.int(entries)])) as unknown as ShardTaskDone['counts'];
      counts.nMSSIFVROI = Math.min(counts.nMSSIFVROI, counts.nSSFVROI);
      return {
        task: t.id,
        path: plan.inputs[t.input]!.absolutePath,
        state: 'done',
        contentHash: Array.from({ length: 8 }, () => rng.int(2 ** 32).toString(16).padStart(8, '0')).join(''),
        fileEntries: entries,
        entryStart: 0,
        entryStop: entries,
        counts,
        model: modelHolding(counts),
        eventWeight: 1e-6 * (1 + rng.uniform()),
        backend: 'cpu',
        fromCache: false,
        timings: { readMs: 1000 * rng.uniform(), selectMs: 10 * rng.uniform(), totalMs: 1000, workerPeakRssBytes: 200 << 20 },
      };
    });
    writeShardFile(runDir, {
      schema: SHARD_SCHEMA,
      planHash: hash,
      shard: k,
      selectionHash: plan.selectionHash,
      mssiVersion: plan.mssiVersion,
      host: 'bench',
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      tasks,
    });
  }
}

const mib = (bytes: number) => bytes / (1 << 20);

/**
 * `dataDir`: a scratch folder (emptied); `bigFile`: a real ROOT file of many clusters for
 * the planning-with-cutting row (none: the row is left out).
 */
export async function benchShard(dataDir: string, bigFile: string | null, files = 100_000): Promise<BenchRow[]> {
  rmSync(dataDir, { recursive: true, force: true });
  const sizes = realisticSizes(files, 1);
  const total = sizes.reduce((a, b) => a + b, 0);
  process.stderr.write(`bench: making ${files} sparse files (${(total / 1e12).toFixed(1)} TB apparent)...\n`);
  const made0 = performance.now();
  const paths = makeSparseFiles(join(dataDir, 'files'), sizes);
  const madeSeconds = (performance.now() - made0) / 1000;
  const rates = join(dataDir, 'rates.csv');
  writeFileSync(rates, `Source,Rate (Decays/day)\n${paths.map((_, i) => `f${String(i).padStart(6, '0')},${1 + (i % 997)}`).join('\n')}\n`);

  // shards of at least twice the largest file: planning never opens one
  const shards = Math.max(1, Math.min(1000, Math.floor(total / (2 * MAX_BYTES))));
  const runDir = join(dataDir, 'run');
  const planned = await timedCommand(['plan', join(dataDir, 'files'), '--shards', String(shards), '--out', runDir, '--rates', rates]);
  if (planned.exitCode !== 0) throw new Error(`bench: mssi plan exited ${planned.exitCode}`);
  const plan = readPlan(runDir);
  const loads = shardLoads(plan.tasks.map((t) => t.bytes), plan.tasks.map((t) => t.shard), plan.shards);
  const planMB = statSync(join(runDir, 'plan.json')).size / 1e6;

  writeSyntheticShards(runDir);
  const merged = await timedCommand(['merge', runDir, '--json']);
  if (merged.exitCode !== 0) throw new Error(`bench: mssi merge exited ${merged.exitCode}`);
  const shardsMB = Array.from({ length: shards }, (_, k) => statSync(join(runDir, 'shards', `${k}.json`)).size).reduce((a, b) => a + b, 0) / 1e6;

  const what = `${files.toLocaleString('en-US')} files, ${(total / 1e12).toFixed(1)} TB (lognormal 10 MB - 4 GB, median 300 MB), ${shards} shards`;
  const rows: BenchRow[] = [
    { name: `plan ${files.toLocaleString('en-US')} files`, value: planned.seconds, unit: 's', note: `${what}; stat, balance, write plan.json (${planMB.toFixed(1)} MB); ${((files / planned.seconds) / 1000).toFixed(0)}k files/s; making the sparse files took ${madeSeconds.toFixed(1)} s` },
    { name: `plan ${files.toLocaleString('en-US')} files: peak RSS`, value: mib(planned.maxRssBytes), unit: 'MiB', note: 'the whole mssi process' },
    { name: `merge ${files.toLocaleString('en-US')} results (--json)`, value: merged.seconds, unit: 's', note: `read plan.json and ${shards} shard files (${shardsMB.toFixed(1)} MB), join, the report as JSON to /dev/null` },
    { name: `merge ${files.toLocaleString('en-US')} results: peak RSS`, value: mib(merged.maxRssBytes), unit: 'MiB', note: 'the whole mssi process' },
    { name: `shard balance of that plan: heaviest / mean`, value: Math.max(...loads) / (plan.totalBytes / shards), unit: 'ratio', limit: `<= ${(1 + Math.max(...sizes) / (plan.totalBytes / shards)).toFixed(3)} (mean + largest)`, note: `${(plan.totalBytes / shards / 1e9).toFixed(1)} GB per shard` },
  ];
  for (const [n, share] of [
    [10_000, 1.5e9],
    [1_000, 1.5e9],
    [100, 1.5e9],
  ] as const) {
    const b = balanceOf(realisticSizes(n, 2), share);
    rows.push({
      name: `shard balance, ${n.toLocaleString('en-US')} files in ~1.5 GB shards: heaviest / mean`,
      value: b.ratio,
      unit: 'ratio',
      note: `${b.shards} shards, ${b.tasks} tasks; ${b.cut} file(s) over the fair share cut into pieces of about half of it (equal pieces here; at clusters in a plan)`,
    });
  }
  if (bigFile) {
    const cutRun = join(dataDir, 'cut');
    const sizeMB = statSync(bigFile).size / 1e6;
    const t = await timedCommand(['plan', bigFile, '--shards', '8', '--out', cutRun, '-j', '1']);
    if (t.exitCode !== 0) throw new Error(`bench: mssi plan of ${bigFile} exited ${t.exitCode}`);
    const p = readPlan(cutRun);
    rows.push({ name: `plan 1 big file cut into ranges (8 shards)`, value: t.seconds, unit: 's', note: `${sizeMB.toFixed(0)} MB simulated file into ${p.tasks.length} cluster-aligned ranges: a worker started, the file's metadata read; peak RSS of mssi ${mib(t.maxRssBytes).toFixed(0)} MiB (the worker's not included)` });
  }
  process.stderr.write('bench: removing the sparse files...\n');
  rmSync(dataDir, { recursive: true, force: true });
  return rows;
}
