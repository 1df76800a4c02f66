// `npm run bench`: every benchmark, each printed as a table with the limit it is
// compared to. The data sets live in bench/data/ (git-ignored), remade each time.
//   MSSI_BENCH_EVENTS   events per file of the 10-file data set (default 1,000,000)

import { closeSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { packagePath } from '../src/packageRoot.js';
import { simulate } from '../src/simulate/simulate.js';
import { benchRead } from './read.js';
import { benchRun } from './run.js';
import { benchSimulate, dataSetOptions } from './simulate.js';
import { formatBenchTable, type BenchRow } from './table.js';
import { benchWrite } from './write.js';
import { benchGpu, gpuAdapterName } from './gpu.js';
import { benchSelection } from './selection.js';
import { benchShard } from './shard.js';
import { benchStartup } from './startup.js';

async function section(title: string, run: () => Promise<BenchRow[]>): Promise<void> {
  process.stderr.write(`bench: ${title}...\n`);
  const rows = await run();
  process.stdout.write(`${formatBenchTable(title, rows)}\n`);
}

async function main(): Promise<void> {
  const dataDir = packagePath('bench', 'data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const header = `node ${process.version}, ${process.arch}; ${(await import('node:os')).cpus()[0]?.model ?? 'cpu'} x ${(await import('node:os')).availableParallelism()}`;
  process.stdout.write(`mssi benchmarks (${header})\n\n`);

  // First, on a machine not yet busy with this benchmark's files.
  await section('mssi start-up (whole processes)', async () => benchStartup());
  // Then, in a fresh process: its peak RSS is the simulator's own.
  let files: string[] = [];
  await section('mssi simulate: 10-file data set', async () => {
    const out = await benchSimulate(packagePath('bench', 'data', 'lz'));
    files = out.files;
    return out.rows;
  });
  await section('ROOT writer', benchWrite);
  await section('ROOT reader (selection branches of the data set)', () => benchRead(files, 2));
  await section('CPU selection by selection and output (one thread)', async () => benchSelection());

  const bigBase = dataSetOptions(packagePath('bench', 'data', 'big'));
  const bigEvents = 4 * bigBase.events;
  process.stderr.write(`bench: writing one ${bigEvents}-event file for the memory test...\n`);
  const [big] = await simulate({ ...bigBase, sources: ['K40_DomePMTs'], events: bigEvents, seed: 2 });
  // The data just written would otherwise be flushed to disk by the kernel during
  // the timed runs, on the cores the workers use.
  for (const path of [...files, big!.path]) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const gpuName = await gpuAdapterName();
  await section('mssi run', () => benchRun(files, big!.path, gpuName));
  if (gpuName) await section(`GPU selection (${gpuName})`, benchGpu);
  else process.stdout.write('GPU benchmarks skipped: no usable WebGPU adapter (see `mssi gpu`)\n');
  await section('mssi plan / merge at scale', () => benchShard(packagePath('bench', 'data', 'shard'), big!.path));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
