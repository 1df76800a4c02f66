// `npm run bench:gpu [-- FILE...]`: the GPU benchmarks alone, for a machine with a
// GPU: the selection kernel on 10 million events, then `mssi run` on the CPU and
// with --gpu, with one worker and with one per core, on FILEs or, if none are given, on the
// 10-file data set of `npm run bench` (written to bench/data/lz first).
//   MSSI_BENCH_JOBS   worker counts to run, e.g. 1,4,16 (default: 1 and one per core)

import { availableParallelism, cpus } from 'node:os';
import { packagePath } from '../src/packageRoot.js';
import { simulate } from '../src/simulate/simulate.js';
import { benchGpu, benchGpuRun, gpuAdapterName } from './gpu.js';
import { dataSetOptions } from './simulate.js';
import { formatBenchTable } from './table.js';

async function dataSet(): Promise<string[]> {
  const given = process.argv.slice(2);
  if (given.length > 0) return given;
  process.stderr.write('bench: writing the 10-file data set...\n');
  const written = await simulate(dataSetOptions(packagePath('bench', 'data', 'lz')));
  return written.map((f) => f.path);
}

/** MSSI_BENCH_JOBS=1,4,16 chooses the worker counts; by default one, and one per core. */
function workerCounts(cores: number): number[] {
  const given = process.env.MSSI_BENCH_JOBS?.split(',').map(Number);
  if (given?.every((n) => Number.isInteger(n) && n > 0)) return given;
  return [...new Set([1, cores])];
}

async function main(): Promise<void> {
  const jobs = availableParallelism();
  process.stdout.write(`mssi GPU benchmarks (node ${process.version}, ${process.arch}; ${cpus()[0]?.model ?? 'cpu'} x ${jobs})\n\n`);
  const gpu = await gpuAdapterName();
  if (!gpu) {
    process.stdout.write('no usable WebGPU adapter (see `mssi gpu`)\n');
    process.exitCode = 3;
    return;
  }
  const files = await dataSet();
  process.stderr.write('bench: GPU selection...\n');
  process.stdout.write(`${formatBenchTable(`GPU selection (${gpu})`, await benchGpu())}\n`);
  for (const workers of workerCounts(jobs)) {
    process.stderr.write(`bench: mssi run, ${workers} worker(s)...\n`);
    process.stdout.write(`${formatBenchTable(`mssi run, CPU and --gpu, ${workers} worker(s) (${files.length} files)`, await benchGpuRun(files, workers, gpu))}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
