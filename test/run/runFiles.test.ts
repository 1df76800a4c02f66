import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { modelHolding } from '../model/models.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIMULATE_DEFAULTS } from '../../src/simulate/defaults.js';
import { simulate } from '../../src/simulate/simulate.js';
import { fileURLToPath } from 'node:url';
import { workerModulePath } from '../../src/packageRoot.js';
import { planRanges } from '../../src/run/planRanges.js';
import { SMALL_FILE_BYTES, splitThresholdBytes } from '../../src/run/splitPolicy.js';
import { mergeRanges, runFiles, type RunObserver } from '../../src/run/runFiles.js';
import type { RangeOutcome } from '../../src/run/tasks.js';

const LZ = fileURLToPath(new URL('../../fixtures/lz/', import.meta.url));
const files = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => LZ + f);

function observer(events: number[], bytes: number[] = []): RunObserver {
  return {
    start() {},
    progress: (d) => {
      if (d.events > 0) events.push(d.events);
      bytes.push(d.bytes);
    },
    fileDone() {},
    fileFailed() {},
    warn() {},
    stop() {},
  };
}

const run = (split: number | null, events: number[] = [], bytes: number[] = []) =>
  runFiles(files.slice(0, 4), {
    jobs: 2,
    backend: 'cpu',
    selection: DEFAULT_SELECTION,
    store: null,
    rehash: false,
    workerModule: workerModulePath(),
    ...(split === null ? {} : { split: { minBytes: 0, entries: split } }),
    observer: observer(events, bytes),
  });

describe('runFiles', () => {
  it('gives the same results for files cut into cluster-aligned ranges on several workers', async () => {
    const whole = await run(null);
    const events: number[] = [];
    const bytes: number[] = [];
    const split = await run(500, events, bytes);
    expect(split.failures).toEqual([]);
    expect(split.results.map((r) => [r.counts, r.eventWeight])).toEqual(whole.results.map((r) => [r.counts, r.eventWeight]));
    // the model too: the ranges' counts added cell by cell
    expect(split.results.map((r) => r.model)).toEqual(whole.results.map((r) => r.model));
    expect(whole.results.every((r) => r.model.ss.cells.reduce((a, c) => a + c, 0) + r.model.ss.nan === r.counts.nSSFVROI)).toBe(true);
    // Progress came per range (chunk), adding up to every event.
    expect(events.reduce((a, b) => a + b, 0)).toBe(4 * 2000);
    expect(events.length).toBeGreaterThanOrEqual(16);
    // ... and bytes in proportion, adding up to the files' sizes, most of them before the files ended
    const sizes = files.slice(0, 4).reduce((a, f) => a + statSync(f).size, 0);
    expect(bytes.reduce((a, b) => a + b, 0)).toBeCloseTo(sizes, 6);
    expect(bytes.filter((b) => b > 0).length).toBeGreaterThanOrEqual(16);
  });

  it('starts the largest waiting file first, and reports results in the order given', async () => {
    const given = files.slice(0, 4);
    expect(new Set(given.map((f) => statSync(f).size)).size).toBe(4); // the test needs distinct sizes
    const done: string[] = [];
    const outcome = await runFiles(given, {
      jobs: 1,
      backend: 'cpu',
      selection: DEFAULT_SELECTION,
      store: null,
      rehash: false,
      workerModule: workerModulePath(),
      observer: { ...observer([]), fileDone: (r) => done.push(r.path) },
    });
    // one worker: the first file starts at once, the others wait and go largest first
    const waiting = given.slice(1).sort((x, y) => statSync(y).size - statSync(x).size);
    expect(done).toEqual([given[0], ...waiting]);
    expect(outcome.results.map((r) => r.path)).toEqual(given);
  });

  it('plans ranges at cluster boundaries', async () => {
    expect(await planRanges(files[0]!, 'Scatters', 500)).toEqual([
      { start: 0, stop: 500 },
      { start: 500, stop: 1000 },
      { start: 1000, stop: 1500 },
      { start: 1500, stop: 2000 },
    ]);
    expect(await planRanges(files[0]!, 'Scatters', 1200)).toEqual([
      { start: 0, stop: 1500 },
      { start: 1500, stop: 2000 },
    ]);
    expect(await planRanges(files[0]!, 'Scatters', 5000)).toEqual([{ start: 0, stop: null }]);
  });

  it('looks inside a file for splitting only when it is a large share of the input', () => {
    const mb = 1 << 20;
    // ten 100 MB files on 2 workers: none is worth cutting (each is a tenth of the work)
    expect(splitThresholdBytes(Array(10).fill(100 * mb), 2)).toBe(125 * mb);
    // one 10 GB file among small ones: it is
    expect(splitThresholdBytes([10_000 * mb, 50 * mb, 50 * mb], 2)).toBeLessThan(10_000 * mb);
    // never below the small-file size
    expect(splitThresholdBytes([20 * mb], 64)).toBe(SMALL_FILE_BYTES);
  });

  it('refuses ranges that do not tile the file', () => {
    const o = (entryStart: number, entryStop: number): RangeOutcome => ({
      fileEntries: 10,
      entryStart,
      entryStop,
      counts: { nSS: entryStop - entryStart, nSSFV: 0, nSSFVROI: 0, nMSSI: 0, nMSSIFV: 0, nMSSIFVROI: 0 },
      model: modelHolding({ nSSFVROI: 0, nMSSIFVROI: 0 }),
      eventWeight: entryStart === 0 ? 2 : null,
      readMs: 0,
      selectMs: 0,
      workerPeakRssBytes: 0,
    });
    expect(mergeRanges('f', [o(5, 10), o(0, 5)])).toMatchObject({ counts: { nSS: 10 }, eventWeight: 2 });
    expect(() => mergeRanges('f', [o(0, 5), o(6, 10)])).toThrow(/do not tile/);
    expect(() => mergeRanges('f', [o(0, 5)])).toThrow(/end at entry 5 of 10/);
  });

  it('reports one big file as it goes: bytes in proportion to its events, before it is done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-progress-'));
    const [big] = await simulate({ ...SIMULATE_DEFAULTS, outDir: dir, sources: ['K40_DomePMTs'], events: 200_000, clusterSize: 20_000 });
    const size = statSync(big!.path).size;
    const seen: { bytes: number; events: number; done: boolean }[] = [];
    let done = false;
    let started: { files: number; bytes: number } | undefined;
    await runFiles([big!.path], {
      jobs: 1,
      backend: 'cpu',
      selection: DEFAULT_SELECTION,
      store: null,
      rehash: false,
      workerModule: workerModulePath(),
      observer: {
        ...observer([]),
        start: (work) => (started = work),
        progress: (d) => seen.push({ ...d, done }),
        fileDone: () => (done = true),
      },
    });
    expect(started).toEqual({ files: 1, bytes: size });
    // chunks of whole clusters (about 65,536 entries: 60,000 here), each a share of the bytes, all before the file is done
    const before = seen.filter((s) => !s.done && s.bytes > 0);
    expect(before.length).toBeGreaterThanOrEqual(3);
    let sum = 0;
    for (const s of before) {
      expect(s.bytes).toBeCloseTo((size * s.events) / 200_000, 3);
      sum += s.bytes;
    }
    expect(sum).toBeCloseTo(size, 3);
    expect(seen.reduce((a, s) => a + s.events, 0)).toBe(200_000);
  });
});
