import { describe, expect, it } from 'vitest';
import { analyseRange } from '../../src/analysis/analyseRange.js';
import type { RangeTask } from '../../src/run/tasks.js';
import { emptyTree, lzBranches, writeLzFile } from './lzFile.js';

const task = (path: string, entryStart = 0, entryStop: number | null = null): RangeTask => ({ path, entryStart, entryStop, backend: 'cpu' });

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
      /tree RQMCTruth, branch mcTruthVertices\.volumeName: expected a std::vector<std::string> per entry, found vector/,
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
