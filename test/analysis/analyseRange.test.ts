import { mkdtempSync, rmSync } from 'node:fs';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseRange, type SelectFn } from '../../src/analysis/analyseRange.js';
import { selectReference, VertexCountError } from '../../src/selection/reference.js';
import type { EventColumns } from '../../src/selection/types.js';
import { simulate, SIMULATE_DEFAULTS } from '../../src/simulate/simulate.js';
import type { RangeTask } from '../../src/run/tasks.js';
import { emptyTree, lzBranches, writeLzFile } from './lzFile.js';

const task = (path: string, entryStart = 0, entryStop: number | null = null): RangeTask => ({ path, entryStart, entryStop, backend: 'cpu', selection: DEFAULT_SELECTION });

function withBranches(change: (t: ReturnType<typeof lzBranches>) => void): string {
  const t = lzBranches();
  change(t);
  return writeLzFile('SS_skim_Test.root', t);
}

describe('analyseRange on written files', () => {
  it('counts a hand-worked file', async () => {
    // Event 0: FV, ROI, vertices (LXe: S1 only, Skin: skipped) -> MSSI. Event 1: outside the wall, LXe S1 only -> MSSI.
    const out = await analyseRange(task(writeLzFile('SS_skim_A.root', lzBranches())));
    expect(out.counts).toEqual({ nSS: 2, nSSFV: 1, nSSFVROI: 1, nMSSI: 2, nMSSIFV: 1, nMSSIFVROI: 1 });
    expect(out.eventWeight).toBe(0.125);
    expect(out).toMatchObject({ fileEntries: 2, entryStart: 0, entryStop: 2 });
    // Event 0 (SS FV ROI and MSSI) in the model: cS1 50 -> x bin 11 of 5 phd; log10(5000) = 3.699 -> y bin 48 of 0.025
    const cell = 11 + 122 * 48;
    expect([...out.model.ss.cells.entries()].filter(([, c]) => c > 0)).toEqual([[cell, 1]]);
    expect([...out.model.mssi.cells.entries()].filter(([, c]) => c > 0)).toEqual([[cell, 1]]);
    expect([out.model.ss.nan, out.model.mssi.nan]).toEqual([0, 0]);
  });

  it('takes each branch type from the file: float64 positions, int16 and float photons, int64 vertex counts', async () => {
    const path = withBranches((t) => {
      t.Scatters.branches['ss.x_cm'] = { type: { kind: 'scalar', type: 'float64' }, chunk: { kind: 'scalar', values: Float64Array.from([10, 80]) } };
      t.RQMCTruth.branches['mcTruthVertices.nRQMCTruthVertices'] = {
        type: { kind: 'scalar', type: 'int64' },
        chunk: { kind: 'scalar', values: BigInt64Array.from([2n, 1n]) },
      };
      t.RQMCTruth.branches['mcTruthVertices.detectedS1Photons'] = {
        type: { kind: 'vector', type: 'int16' },
        chunk: { kind: 'vector', offsets: Int32Array.from([0, 2, 3]), values: Int16Array.from([5, 9, 0]) },
      };
      t.RQMCTruth.branches['mcTruthVertices.detectedS2Photons'] = {
        type: { kind: 'vector', type: 'float32' },
        chunk: { kind: 'vector', offsets: Int32Array.from([0, 2, 3]), values: Float32Array.from([0, 0, 0.5]) },
      };
    });
    const out = await analyseRange(task(path));
    // Event 1 now has S1 0 and S2 0.5: not MSSI.
    expect(out.counts).toEqual({ nSS: 2, nSSFV: 1, nSSFVROI: 1, nMSSI: 1, nMSSIFV: 1, nMSSIFVROI: 1 });
  });

  it('gives zero counts and no weight for a file with no entries', async () => {
    const t = lzBranches();
    const path = writeLzFile('SS_skim_Empty.root', { Scatters: emptyTree(t.Scatters), RQMCTruth: emptyTree(t.RQMCTruth) });
    const out = await analyseRange(task(path));
    expect(out.counts).toEqual({ nSS: 0, nSSFV: 0, nSSFVROI: 0, nMSSI: 0, nMSSIFV: 0, nMSSIFVROI: 0 });
    expect(out.eventWeight).toBeNull();
  });

  it('refuses trees with different entry counts, naming both', async () => {
    const t = lzBranches();
    const path = writeLzFile('SS_skim_Mismatch.root', { Scatters: t.Scatters, RQMCTruth: emptyTree(t.RQMCTruth) });
    await expect(analyseRange(task(path))).rejects.toThrow(
      `${path}: trees Scatters (2 entries) and RQMCTruth (0 entries) must have the same number of entries`,
    );
  });

  it('refuses a vertex count larger than the vectors, naming the entry and branch', async () => {
    const path = withBranches((t) => {
      t.RQMCTruth.branches['mcTruthVertices.nRQMCTruthVertices'] = {
        type: { kind: 'scalar', type: 'int32' },
        chunk: { kind: 'scalar', values: Int32Array.from([2, 4]) },
      };
    });
    await expect(analyseRange(task(path))).rejects.toThrow(
      `${path}: tree RQMCTruth, entry 1: nRQMCTruthVertices is 4 but mcTruthVertices.volumeName has only 1 element(s)`,
    );
  });

  it('refuses a missing tree or branch by name', async () => {
    const noBranch = withBranches((t) => delete (t.Scatters.branches as Record<string, unknown>)['ss.s2Area_phd']);
    await expect(analyseRange(task(noBranch))).rejects.toThrow(/ss\.s2Area_phd/);
    const noTree = writeLzFile('SS_skim_NoTruth.root', { Scatters: lzBranches().Scatters });
    await expect(analyseRange(task(noTree))).rejects.toThrow(/RQMCTruth/);
  });

  it('refuses a branch of the wrong shape, saying what was expected', async () => {
    const path = withBranches((t) => {
      t.RQMCTruth.branches['mcTruthVertices.volumeName'] = {
        type: { kind: 'vector', type: 'int32' },
        chunk: { kind: 'vector', offsets: Int32Array.from([0, 2, 3]), values: Int32Array.from([1, 2, 3]) },
      };
    });
    await expect(analyseRange(task(path))).rejects.toThrow(
      /tree 'RQMCTruth', branch 'mcTruthVertices\.volumeName': .*it holds vector<int>, and only a std::vector<std::string> branch can be read by class/,
    );
  });

  it('counts entry ranges that add up to the whole file', async () => {
    const path = writeLzFile('SS_skim_A.root', lzBranches());
    const first = await analyseRange(task(path, 0, 1));
    const second = await analyseRange(task(path, 1, 2));
    expect(first.eventWeight).toBe(0.125);
    expect(second.eventWeight).toBeNull();
    expect(first.counts.nSS + second.counts.nSS).toBe(2);
    expect(first.counts.nMSSI + second.counts.nMSSI).toBe(2);
    expect(first.counts.nSSFV + second.counts.nSSFV).toBe(1);
    await expect(analyseRange(task(path, 1, 5))).rejects.toThrow(/entry range 1\.\.5 is outside the file's 2 entries/);
  });
});

describe('analyseRange with an asynchronous selection (the GPU path)', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mssi-async-select-'));
    const [file] = await simulate({
      outDir: dir,
      sources: ['K40_DomePMTs'],
      events: 150_000,
      layout: 'split',
      compression: SIMULATE_DEFAULTS.compression,
      basketSize: SIMULATE_DEFAULTS.basketSize,
      clusterSize: 10_000,
      seed: 3,
    });
    path = file!.path;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A digest of every column a selection reads. */
  const digest = (c: EventColumns) => {
    let h = 0;
    const mix = (a: ArrayLike<number>) => {
      for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + (Number.isNaN(a[i]) ? 7 : Math.fround(a[i]!) * 1000)) | 0;
    };
    for (const a of [c.x_cm, c.y_cm, c.driftTime_ns, c.s2Area_phd, c.correctedS1Area_phd, c.correctedS2Area_phd, c.nRQMCTruthVertices]) mix(a as ArrayLike<number>);
    for (const j of [c.vertexSkipped, c.detectedS1Photons, c.detectedS2Photons]) {
      mix(j.offsets);
      mix(j.values as ArrayLike<number>);
    }
    return h;
  };

  it('keeps a chunk\'s columns intact while the next chunk is read, and counts like the CPU', async () => {
    const cpu = await analyseRange(task(path));
    let calls = 0;
    let progress = 0;
    const slow: SelectFn = async (c) => {
      calls++;
      const before = digest(c);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the next chunk is read meanwhile
      expect(digest(c)).toBe(before);
      return selectReference(c);
    };
    const out = await analyseRange(task(path), slow, (n) => (progress += n));
    expect(calls).toBeGreaterThan(2);
    expect(out.counts).toEqual(cpu.counts);
    expect(progress).toBe(150_000);
  });

  it('reports a failing chunk with its entry in the file, after the chunks before it', async () => {
    let chunk = 0;
    const failsSecond: SelectFn = async (c) => {
      if (chunk++ === 1) throw new VertexCountError(5, 9, 'mcTruthVertices.volumeName', 2);
      return selectReference(c);
    };
    const out = analyseRange(task(path), failsSecond);
    await expect(out).rejects.toThrow(/: tree RQMCTruth, entry (\d+): nRQMCTruthVertices is 9/);
    const entry = Number(/entry (\d+)/.exec(String(await out.catch((e: Error) => e.message)))![1]);
    expect(entry).toBeGreaterThan(5); // the second chunk's start + 5
  });
});
