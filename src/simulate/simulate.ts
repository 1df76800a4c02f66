// `mssi simulate`: one LZ-like SS skim per source of a rates table. Each file
// is written into a private temporary folder inside OUTDIR and renamed into
// place when complete, so OUTDIR never holds a partial file; the same options
// and seed give byte-identical files.

import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRatesTable } from '../report/rates.js';
import type { ColumnChunk, Compression, TreeSpec, WriteOptions } from '../root/write/types.js';
import { selectReference } from '../selection/reference.js';
import { addCounts, zeroCounts, type SelectionCounts } from '../selection/types.js';
import { LzEventGenerator } from './generate.js';
import { COMPRESSION_ALGORITHMS, LAYOUTS, type Layout } from './defaults.js';
import { allocateColumns, clusterChunks, eventColumnsOf, treeSpecs } from './lzModel.js';
import { Rng, hashString } from './rng.js';
import { sourceParams } from './sources.js';

export { COMPRESSION_ALGORITHMS, SIMULATE_DEFAULTS } from './defaults.js';

export interface SimulateProgress {
  readonly source: string;
  /** Final path of the file being written. */
  readonly path: string;
  readonly fileIndex: number;
  readonly files: number;
  /** Events written to this file so far, of `events`. */
  readonly eventsDone: number;
  readonly events: number;
  /** True once the file is complete and renamed into place. */
  readonly fileDone: boolean;
}

/** What went into one file: handy as ground truth for reader and selection tests. */
export interface SimulatedFile {
  readonly source: string;
  readonly path: string;
  readonly events: number;
  readonly bytes: number;
  /** The six counts of SELECTION.md over the generated events (float64 reference). */
  readonly counts: SelectionCounts;
  readonly eventWeight: number;
}

/** The parts of the ROOT writer simulate uses (the real one by default; tests may pass a fake). */
export interface FileWriterLike {
  tree(spec: TreeSpec): { writeCluster(entries: number, chunks: ReadonlyMap<string, ColumnChunk>): void };
  close(): void;
  abort(): void;
}
export type OpenWriter = (path: string, options: WriteOptions) => FileWriterLike;

export interface SimulateOptions {
  readonly outDir: string;
  /** Rates table whose sources are simulated (default: the package's fixtures/rates.csv). */
  readonly ratesPath?: string;
  /** Only these sources of the table (default: all). */
  readonly sources?: readonly string[];
  /** Events per file. */
  readonly events: number;
  readonly layout: Layout;
  readonly compression: Compression;
  /** Target uncompressed bytes per basket. */
  readonly basketSize: number;
  /** Entries per cluster: also the unit of memory use and of progress. */
  readonly clusterSize: number;
  readonly seed: number;
  readonly onProgress?: (p: SimulateProgress) => void;
  readonly signal?: AbortSignal;
  readonly openWriter?: OpenWriter;
}

/** A bad option value; `option` is named as on the command line. */
export class SimulateOptionError extends Error {
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`option ${option}: ${detail}`);
    this.name = 'SimulateOptionError';
  }
}

export class OutDirError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`output directory ${path}: ${detail}`);
    this.name = 'OutDirError';
  }
}

export class SimulateAbortedError extends Error {
  constructor() {
    super('simulate was interrupted; no partial file was left behind');
    this.name = 'SimulateAbortedError';
  }
}

/** Where `fixtures/rates.csv` of this package is, wherever the code runs from (src/ or dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the mssi package root (with package.json and fixtures/)');
    dir = up;
  }
}

export function defaultRatesPath(): string {
  return join(packageRoot(), 'fixtures', 'rates.csv');
}

export function fileNameOf(source: string): string {
  return `SS_skim_${source}.root`;
}

function checkInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimulateOptionError(option, `expected an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Throws SimulateOptionError for the first option value that cannot work. */
export function validateSimulateOptions(o: SimulateOptions): void {
  checkInteger('--events', o.events, 0, 2 ** 31 - 1);
  checkInteger('--cluster-size', o.clusterSize, 1, 10_000_000);
  checkInteger('--basket-size', o.basketSize, 64, 1 << 30);
  checkInteger('--seed', o.seed, 0, 2 ** 32 - 1);
  if (!LAYOUTS.includes(o.layout)) throw new SimulateOptionError('--layout', `expected ${LAYOUTS.join(' or ')}, got "${o.layout}"`);
  if (!COMPRESSION_ALGORITHMS.includes(o.compression.algorithm)) {
    throw new SimulateOptionError('--compression', `expected one of ${COMPRESSION_ALGORITHMS.join(', ')}, got "${o.compression.algorithm}"`);
  }
  if (o.compression.algorithm !== 'none') checkInteger('--level', o.compression.level, 1, 9);
}

/** Fixed per (seed, source): the same run gives the same bytes. */
export function writeOptionsFor(o: SimulateOptions, source: string): WriteOptions {
  const rng = new Rng(o.seed, `file:${source}`);
  const uuid = new Uint8Array(16);
  for (let i = 0; i < 16; i += 4) {
    const w = rng.nextU32();
    uuid[i] = w >>> 24;
    uuid[i + 1] = (w >>> 16) & 0xff;
    uuid[i + 2] = (w >>> 8) & 0xff;
    uuid[i + 3] = w & 0xff;
  }
  uuid[6] = (uuid[6]! & 0x0f) | 0x40; // RFC 4122 version 4 and variant bits
  uuid[8] = (uuid[8]! & 0x3f) | 0x80;
  // A whole second within 2024 (ROOT's TDatime has one-second resolution).
  const seconds = hashString(source, o.seed >>> 0) % (365 * 86_400);
  return {
    compression: o.compression,
    basketSize: o.basketSize,
    datime: new Date(Date.UTC(2024, 0, 1) + seconds * 1000),
    uuid,
    title: `LZ-like SS skim of ${source} (mssi simulate, seed ${o.seed})`,
  };
}

/** Creates OUTDIR if needed and checks it is a writable directory. */
function prepareOutDir(outDir: string): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new OutDirError(outDir, 'exists and is not a directory');
    return;
  }
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new OutDirError(outDir, `cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The ROOT writer, loaded on first use (tests with a fake writer never load it). */
async function realWriter(compression: Compression): Promise<OpenWriter> {
  const { RootFileWriter, loadZstdEncoder } = await import('../root/write/index.js');
  if (compression.algorithm === 'zstd') await loadZstdEncoder();
  return (path, o) => RootFileWriter.open(path, o);
}

const nextTick = () => new Promise<void>((done) => setImmediate(done));

/** Writes one file per source; resolves with what was written, in table order. */
export async function simulate(options: SimulateOptions): Promise<SimulatedFile[]> {
  validateSimulateOptions(options);
  const ratesPath = options.ratesPath ?? defaultRatesPath();
  const table = readRatesTable(ratesPath).map((r) => r.source);
  let sources = table;
  if (options.sources && options.sources.length > 0) {
    const unknown = options.sources.filter((s) => !table.includes(s));
    if (unknown.length > 0) {
      throw new SimulateOptionError('--source', `${unknown.join(', ')} not in the rates table ${ratesPath} (it has: ${table.join(', ')})`);
    }
    sources = table.filter((s) => options.sources!.includes(s));
  }
  const params = sources.map(sourceParams); // bad source names fail before anything is written

  const open = options.openWriter ?? (await realWriter(options.compression));
  const outDir = resolve(options.outDir);
  prepareOutDir(outDir);
  let tmpDir: string;
  try {
    tmpDir = mkdtempSync(join(outDir, '.mssi-simulate-'));
  } catch (err) {
    throw new OutDirError(options.outDir, `is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }

  const columns = allocateColumns(Math.max(1, Math.min(options.clusterSize, options.events)));
  const specs = treeSpecs(options.layout);
  const written: SimulatedFile[] = [];
  try {
    for (const [fileIndex, p] of params.entries()) {
      if (options.signal?.aborted) throw new SimulateAbortedError();
      const name = fileNameOf(p.source);
      const finalPath = join(outDir, name);
      const tmpPath = join(tmpDir, name); // same base name: the file's own name record is the final one
      const progress = (eventsDone: number, fileDone: boolean) =>
        options.onProgress?.({ source: p.source, path: finalPath, fileIndex, files: params.length, eventsDone, events: options.events, fileDone });

      const writer = open(tmpPath, writeOptionsFor(options, p.source));
      const counts = zeroCounts();
      try {
        const trees = specs.map((s) => ({ name: s.name, tree: writer.tree(s) }));
        const generator = new LzEventGenerator(p, options.seed, options.events);
        progress(0, false);
        while (generator.generated < options.events) {
          const n = Math.min(columns.capacity, options.events - generator.generated);
          generator.fill(columns, n);
          const chunks = clusterChunks(columns);
          addCounts(counts, selectReference(eventColumnsOf(columns, chunks)));
          for (const { name: treeName, tree } of trees) tree.writeCluster(n, chunks.get(treeName)!);
          progress(generator.generated, false);
          await nextTick(); // lets Ctrl-C (and other I/O) in between clusters
          if (options.signal?.aborted) throw new SimulateAbortedError();
        }
        writer.close();
      } catch (err) {
        writer.abort();
        throw err;
      }
      renameSync(tmpPath, finalPath);
      written.push({ source: p.source, path: finalPath, events: options.events, bytes: statSync(finalPath).size, counts, eventWeight: p.eventWeight });
      progress(options.events, true);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  return written;
}
