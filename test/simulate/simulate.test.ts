import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RatesTableError } from '../../src/report/rates.js';
import type { ColumnChunk, TreeSpec, WriteOptions } from '../../src/root/write/types.js';
import {
  defaultRatesPath,
  OutDirError,
  SimulateAbortedError,
  SimulateOptionError,
  simulate,
  writeOptionsFor,
  type FileWriterLike,
  type SimulateOptions,
} from '../../src/simulate/simulate.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mssi-sim-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A stand-in for the ROOT writer: records what it is given, writes a summary on close. */
class FakeWriter implements FileWriterLike {
  static opened: FakeWriter[] = [];
  readonly trees: { spec: TreeSpec; clusters: { entries: number; chunks: ReadonlyMap<string, ColumnChunk> }[] }[] = [];
  closed = false;
  aborted = false;
  constructor(
    readonly path: string,
    readonly options: WriteOptions,
    private readonly failAtCluster = Infinity,
  ) {
    writeFileSync(path, 'partial');
    FakeWriter.opened.push(this);
  }
  tree(spec: TreeSpec) {
    const t = { spec, clusters: [] as { entries: number; chunks: ReadonlyMap<string, ColumnChunk> }[] };
    this.trees.push(t);
    return {
      writeCluster: (entries: number, chunks: ReadonlyMap<string, ColumnChunk>) => {
        if (t.clusters.length >= this.failAtCluster) throw new Error('disk full');
        t.clusters.push({ entries, chunks });
      },
    };
  }
  close() {
    this.closed = true;
    writeFileSync(this.path, JSON.stringify(this.trees.map((t) => [t.spec.name, t.clusters.map((c) => c.entries)])));
  }
  abort() {
    this.aborted = true;
    rmSync(this.path, { force: true });
  }
}

function options(outDir: string, more: Partial<SimulateOptions> = {}): SimulateOptions {
  return {
    outDir,
    events: 2500,
    layout: 'split',
    compression: { algorithm: 'zlib', level: 1 },
    basketSize: 4000,
    clusterSize: 1000,
    seed: 5,
    openWriter: (path, o) => new FakeWriter(path, o),
    ...more,
  };
}

describe('simulate (with a fake writer)', () => {
  it('writes one SS_skim file per source, cluster by cluster, and nothing else', async () => {
    FakeWriter.opened = [];
    const out = join(tempDir(), 'new', 'dir');
    const progress: string[] = [];
    const files = await simulate(options(out, { onProgress: (p) => progress.push(`${p.fileIndex}:${p.eventsDone}:${p.fileDone}`) }));
    expect(files.map((f) => f.source)).toHaveLength(10);
    expect(readdirSync(out).sort()).toEqual(files.map((f) => `SS_skim_${f.source}.root`).sort());
    const w = FakeWriter.opened[0]!;
    expect(w.closed).toBe(true);
    expect(w.trees.map((t) => t.spec.name)).toEqual(['Scatters', 'RQMCTruth']);
    expect(w.trees[0]!.clusters.map((c) => c.entries)).toEqual([1000, 1000, 500]);
    const chunks = w.trees[0]!.clusters[2]!.chunks;
    expect(chunks.get('ss.x_cm')).toMatchObject({ kind: 'scalar' });
    const vn = w.trees[1]!.clusters[0]!.chunks.get('mcTruthVertices.volumeName');
    expect(vn?.kind).toBe('vectorString');
    expect(progress.slice(0, 5)).toEqual(['0:0:false', '0:1000:false', '0:2000:false', '0:2500:false', '0:2500:true']);
    // Written to a temporary folder with the final base name, then renamed.
    expect(w.path).not.toBe(files[0]!.path);
    expect(w.path.endsWith('/SS_skim_Co60_CalibrationSourceTubes.root')).toBe(true);
    for (const f of files) for (const v of Object.values(f.counts)) expect(v).toBeGreaterThan(0);
  });

  it('writes only the chosen sources and uses fixed, per-source write options', async () => {
    const out = tempDir();
    const files = await simulate(options(out, { sources: ['K40_DomePMTs', 'Co60_DomePMTs'], events: 10 }));
    expect(files.map((f) => f.source)).toEqual(['Co60_DomePMTs', 'K40_DomePMTs']);
    const a = writeOptionsFor(options(out), 'K40_DomePMTs');
    expect(writeOptionsFor(options(out), 'K40_DomePMTs')).toEqual(a);
    expect(writeOptionsFor(options(out), 'Co60_DomePMTs').uuid).not.toEqual(a.uuid);
    expect(writeOptionsFor(options(out, { seed: 6 }), 'K40_DomePMTs').datime).not.toEqual(a.datime);
    expect(a.datime.getUTCMilliseconds()).toBe(0);
  });

  it('leaves no partial file and no temporary folder when writing fails', async () => {
    FakeWriter.opened = [];
    const out = tempDir();
    const failing = options(out, { openWriter: (p, o) => new FakeWriter(p, o, FakeWriter.opened.length === 1 ? 1 : Infinity) });
    await expect(simulate(failing)).rejects.toThrow('disk full');
    expect(FakeWriter.opened[1]!.aborted).toBe(true);
    expect(readdirSync(out)).toEqual(['SS_skim_Co60_CalibrationSourceTubes.root']); // the first one was complete
  });

  it('stops between clusters when aborted, leaving nothing behind', async () => {
    const out = tempDir();
    const abort = new AbortController();
    const run = simulate(options(out, { signal: abort.signal, onProgress: (p) => p.eventsDone >= 1000 && abort.abort() }));
    await expect(run).rejects.toBeInstanceOf(SimulateAbortedError);
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects bad option values, naming the option', async () => {
    const out = tempDir();
    const bad: [Partial<SimulateOptions>, string][] = [
      [{ events: -1 }, '--events'],
      [{ events: 1.5 }, '--events'],
      [{ clusterSize: 0 }, '--cluster-size'],
      [{ basketSize: 10 }, '--basket-size'],
      [{ seed: -3 }, '--seed'],
      [{ layout: 'columnar' as never }, '--layout'],
      [{ compression: { algorithm: 'lzma' as never, level: 1 } }, '--compression'],
      [{ compression: { algorithm: 'zlib', level: 0 } }, '--level'],
      [{ sources: ['NoSuchSource'] }, '--source'],
    ];
    for (const [more, option] of bad) {
      const err = await simulate(options(out, more)).catch((e: unknown) => e);
      expect(err, option).toBeInstanceOf(SimulateOptionError);
      expect((err as SimulateOptionError).option).toBe(option);
    }
    expect(readdirSync(out)).toEqual([]);
  });

  it('rejects an OUTDIR that is a file or cannot be written', async () => {
    const d = tempDir();
    const file = join(d, 'a-file');
    writeFileSync(file, 'x');
    await expect(simulate(options(file))).rejects.toThrow(OutDirError);
    await expect(simulate(options(join(file, 'sub')))).rejects.toThrow(/output directory .*a-file\/sub/);
    if (process.getuid?.() !== 0) {
      const ro = join(d, 'ro');
      writeFileSync(join(d, 'placeholder'), '');
      chmodSync(d, 0o500);
      try {
        await expect(simulate(options(ro))).rejects.toThrow(OutDirError);
      } finally {
        chmodSync(d, 0o700);
      }
    }
  });

  it('rejects a bad rates table, naming it', async () => {
    const d = tempDir();
    const csv = join(d, 'rates.csv');
    writeFileSync(csv, 'Name,Rate\nx,1\n');
    await expect(simulate(options(d, { ratesPath: csv }))).rejects.toThrow(RatesTableError);
    await expect(simulate(options(d, { ratesPath: join(d, 'missing.csv') }))).rejects.toThrow(/missing\.csv.*cannot be read/);
    writeFileSync(csv, 'Source,Rate (Decays/day)\na/b,1\n');
    await expect(simulate(options(d, { ratesPath: csv }))).rejects.toThrow(/cannot be used as a file name/);
  });

  it('finds the default rates table from the package root', () => {
    expect(readFileSync(defaultRatesPath(), 'utf8')).toContain('K40_DomePMTs');
    expect(existsSync(defaultRatesPath())).toBe(true);
  });
});
