// `mssi simulate OUTDIR`: LZ-like ROOT files (one per source of a rates table)
// for fixtures, demos and benchmarks. Registered here; the work is in
// simulateAction.ts, loaded when the command runs.

import { InvalidArgumentError, Option, type Command } from 'commander';
import { COMPRESSION_ALGORITHMS, LAYOUTS, SIMULATE_DEFAULTS, type Layout } from '../simulate/defaults.js';
import type { CompressionAlgorithm } from '../root/write/types.js';
import { withExamples } from './help.js';

function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export interface SimulateFlags {
  rates?: string;
  source?: string[];
  events: number;
  layout: Layout;
  compression: CompressionAlgorithm;
  level: number;
  basketSize: number;
  clusterSize: number;
  seed: number;
  quiet?: boolean;
  counts?: string;
}

export function registerSimulate(program: Command): void {
  const d = SIMULATE_DEFAULTS;
  const cmd = program
    .command('simulate')
    .description('write LZ-like ROOT files (SS_skim_<Source>.root), one per source of a rates table, for tests, demos and benchmarks')
    .argument('<outdir>', 'directory to write into (created if missing; existing files of the same name are replaced)')
    .option('--rates <csv>', 'rates table whose sources are simulated (default: the package\'s fixtures/rates.csv)')
    .option('--source <name>', 'simulate only this source of the table (repeatable)', collect)
    .option('-n, --events <n>', 'events per file', integer(0, 2 ** 31 - 1), d.events)
    .addOption(new Option('--layout <layout>', 'split: LZ-style split RQ objects; flat: plain leaves with the same names').choices(LAYOUTS).default(d.layout))
    .addOption(new Option('--compression <algorithm>', 'basket compression').choices(COMPRESSION_ALGORITHMS).default(d.compression.algorithm))
    .option('--level <1-9>', 'compression level', integer(1, 9), d.compression.level)
    .option('--basket-size <bytes>', 'target uncompressed bytes per basket', integer(64, 1 << 30), d.basketSize)
    .option('--cluster-size <entries>', 'entries per cluster (also bounds memory use)', integer(1, 10_000_000), d.clusterSize)
    .option('--seed <n>', 'random seed: the same options and seed give byte-identical files', integer(0, 2 ** 32 - 1), d.seed)
    .option('--counts <json>', 'also write the six selection counts of every file (float64 reference) to this JSON file')
    .option('-q, --quiet', 'no progress bar')
    .addHelpText(
      'after',
      '\nExit status: 0 when all files were written, 2 for a bad option, OUTDIR or rates table, 1 when writing failed, 130 (SIGINT) or 143 (SIGTERM) when interrupted (no partial file is left).',
    )
    .action(async (outDir: string, flags: SimulateFlags) => {
      const { simulateAction } = await import('./simulateAction.js');
      process.exitCode = await simulateAction(outDir, flags);
    });
  withExamples(cmd, [
    'mssi simulate data/ -n 10000',
    'mssi simulate data/ --source K40_DomePMTs -n 2000 --compression zstd --counts data/counts.json',
    'mssi run data/ --rates fixtures/rates.csv',
  ]);
}
