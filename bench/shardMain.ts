// `npm run bench:shard`: the plan / merge benchmark alone (bench/shard.ts), with a
// simulated file of MSSI_BENCH_EVENTS events (default 1,000,000) for planning with cutting.

import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { packagePath } from '../src/packageRoot.js';
import { simulate } from '../src/simulate/simulate.js';
import { benchShard } from './shard.js';
import { dataSetOptions } from './simulate.js';
import { formatBenchTable } from './table.js';

async function main(): Promise<void> {
  const dir = packagePath('bench', 'data', 'shard-big');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`mssi benchmarks (node ${process.version}, ${process.arch}; ${cpus()[0]?.model ?? 'cpu'} x ${availableParallelism()})\n\n`);
  process.stderr.write('bench: writing one big file for planning with cutting...\n');
  const [big] = await simulate({ ...dataSetOptions(dir), sources: ['K40_DomePMTs'], seed: 2 });
  const rows = await benchShard(packagePath('bench', 'data', 'shard'), big!.path);
  process.stdout.write(`${formatBenchTable('mssi plan / merge at scale', rows)}\n`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
