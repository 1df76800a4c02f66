// `mssi simulate OUTDIR`: LZ-like ROOT files (one per source of a rates table)
// for fixtures, demos and benchmarks. Paths of the written files go to stdout,
// a progress bar to stderr on a TTY only.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { RatesTableError } from '../report/rates.js';
import {
  COMPRESSION_ALGORITHMS,
  OutDirError,
  SIMULATE_DEFAULTS,
  SimulateAbortedError,
  SimulateOptionError,
  simulate,
  type SimulatedFile,
  type SimulateProgress,
} from '../simulate/simulate.js';
import { LAYOUTS, type Layout } from '../simulate/lzModel.js';
import { SourceNameError } from '../simulate/sources.js';
import type { CompressionAlgorithm } from '../root/write/types.js';
import { EXIT } from './exit.js';

/** Exit status after Ctrl-C, as shells report a SIGINT death. */
const EXIT_INTERRUPTED = 130;

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

interface SimulateFlags {
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

/** The expected selection counts of each written file, as stable JSON (ground truth for `mssi run` tests). */
function writeCountsJson(path: string, files: readonly SimulatedFile[], flags: SimulateFlags): void {
  const doc = {
    generator: 'mssi simulate',
    seed: flags.seed,
    events: flags.events,
    layout: flags.layout,
    files: files.map((f) => ({ file: basename(f.path), source: f.source, ...f.counts, eventWeight: f.eventWeight })),
  };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new Error(`--counts ${path}: cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Progress on stderr: a bar on a TTY, nothing otherwise. */
function progressReporter(quiet: boolean): { onProgress?: (p: SimulateProgress) => void; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulate |{bar}| {percentage}% | {value}/{total} events | file {fileNo}/{files} {source}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(p) {
      const value = p.fileIndex * p.events + p.eventsDone;
      const payload = { fileNo: p.fileIndex + 1, files: p.files, source: p.source };
      if (!started) {
        bar.start(p.files * p.events, value, payload);
        started = true;
      } else {
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

const USAGE_ERRORS = [SimulateOptionError, OutDirError, RatesTableError, SourceNameError];

export function registerSimulate(program: Command): void {
  const d = SIMULATE_DEFAULTS;
  program
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
      '\nExit status: 0 when all files were written, 2 for a bad option, OUTDIR or rates table, 1 when writing failed, 130 when interrupted.',
    )
    .action(async (outDir: string, flags: SimulateFlags) => {
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const progress = progressReporter(flags.quiet === true);
      try {
        const files = await simulate({
          outDir,
          ...(flags.rates !== undefined ? { ratesPath: flags.rates } : {}),
          ...(flags.source ? { sources: flags.source } : {}),
          events: flags.events,
          layout: flags.layout,
          compression: { algorithm: flags.compression, level: flags.level },
          basketSize: flags.basketSize,
          clusterSize: flags.clusterSize,
          seed: flags.seed,
          signal: abort.signal,
          ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
        });
        progress.stop();
        if (flags.counts !== undefined) writeCountsJson(flags.counts, files, flags);
        for (const f of files) process.stdout.write(`${f.path}\n`);
      } catch (err) {
        progress.stop();
        if (err instanceof SimulateAbortedError) {
          process.stderr.write(`mssi simulate: ${err.message}\n`);
          process.exitCode = EXIT_INTERRUPTED;
          return;
        }
        if (USAGE_ERRORS.some((E) => err instanceof E)) {
          process.stderr.write(`mssi simulate: ${(err as Error).message}\n`);
          process.exitCode = EXIT.usage;
          return;
        }
        throw err;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
