import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyNameProblem, ModelRootOutputError, writeHistogramsFile } from '../../src/model/rootOutput.js';
import type { WeightedHistogram } from '../../src/model/types.js';
import { TH2D_CLASSES } from '../../src/root/write/histogram-streamers.js';
import { th2dStats } from '../../src/root/write/th2dStats.js';
import { firstDifference, readHistograms } from '../root/write/jsrootHistogram.js';
import { th2dSpec } from '../root/write/th2dFixtures.js';
import { mssi } from '../cli/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'mssi-model-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hist(name: string, xCount: number, yCount: number, seed: number): WeightedHistogram {
  const s = th2dSpec(name, xCount, yCount, seed, `${name}: events/day`);
  return { name, title: s.title, x: s.x, y: s.y, values: s.values, variances: s.sumw2, entries: s.entries };
}

const HISTS = [hist('h_ss_K40_DomePMTs', 7, 5, 1), hist('h_mssi_K40_DomePMTs', 7, 5, 2), hist('h_ss_total', 1, 3, 3), hist('h_mssi_total', 121, 1, 4)];

describe('writeHistogramsFile', () => {
  it('writes one TH2D per histogram under its name, and jsroot reads each back bin for bin', async () => {
    const path = join(dir, 'model.root');
    await writeHistogramsFile(path, HISTS);
    const back = await readHistograms(path);
    expect(back.complaints).toEqual([]);
    expect(back.keys.filter((k) => k.fClassName === 'TH2D').map((k) => `${k.fName};${k.fCycle}`)).toEqual(HISTS.map((h) => `${h.name};1`));
    for (const want of HISTS) {
      const h = back.hists.get(want.name);
      expect(h, want.name).toBeDefined();
      if (!h) continue;
      expect([h.fName, h.fTitle, h.fEntries]).toEqual([want.name, want.title, want.entries]);
      expect(firstDifference(h.fArray, want.values), `${want.name} values`).toBeNull();
      expect(firstDifference(h.fSumw2, want.variances), `${want.name} variances`).toBeNull();
      // edge k = low + k * (high - low) / count follows from these three, as in ROOT and uproot
      expect([h.fXaxis.fNbins, h.fXaxis.fXmin, h.fXaxis.fXmax, h.fXaxis.fTitle]).toEqual([want.x.count, want.x.low, want.x.high, want.x.title]);
      expect([h.fYaxis.fNbins, h.fYaxis.fXmin, h.fYaxis.fXmax, h.fYaxis.fTitle]).toEqual([want.y.count, want.y.low, want.y.high, want.y.title]);
      const st = th2dStats(want.x, want.y, want.values, want.variances);
      expect([h.fTsumw, h.fTsumw2, h.fTsumwx, h.fTsumwy, h.fTsumwxy]).toEqual([st.tsumw, st.tsumw2, st.tsumwx, st.tsumwy, st.tsumwxy]);
    }
    expect([...back.infos.values()].map((i) => `${i.fName} v${i.fClassVersion}`)).toEqual(TH2D_CLASSES.map((c) => `${c.name} v${c.version}`));
    // zlib, level 1: the writer's default; the file records it
    expect(readFileSync(path).readInt32BE(33)).toBe(101);
  });

  it('replaces an existing file and leaves no temporary behind', async () => {
    const sub = join(dir, 'replace');
    mkdirSync(sub);
    const path = join(sub, 'm.root');
    writeFileSync(path, 'old');
    await writeHistogramsFile(path, HISTS.slice(0, 1));
    expect(readdirSync(sub)).toEqual(['m.root']);
    expect((await readHistograms(path)).hists.size).toBe(1);
  });

  it('refuses a bad histogram before writing anything: an existing file stays as it was', async () => {
    const sub = join(dir, 'refuse');
    mkdirSync(sub);
    const path = join(sub, 'm.root');
    writeFileSync(path, 'old');
    const nan = { ...HISTS[0]!, name: 'h_nan', values: HISTS[0]!.values.map((v, i) => (i === 9 ? Number.NaN : v)) };
    await expect(writeHistogramsFile(path, [HISTS[0]!, nan])).rejects.toThrow(`${path}: histogram 'h_nan': values[9] is NaN, expected a finite number`);
    await expect(writeHistogramsFile(path, [HISTS[0]!, HISTS[0]!])).rejects.toThrow(`two histograms named '${HISTS[0]!.name}'`);
    await expect(writeHistogramsFile(path, [{ ...HISTS[0]!, name: 'h_ss_a/b' }])).rejects.toThrow(ModelRootOutputError);
    await expect(writeHistogramsFile(path, [{ ...HISTS[0]!, variances: HISTS[0]!.variances.subarray(1) }])).rejects.toThrow(/expected 63 cells of sumw2/);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(sub)).toEqual(['m.root']);
  });

  it('names the file when it cannot be written', async () => {
    const path = join(dir, 'no-such-folder', 'm.root');
    await expect(writeHistogramsFile(path, HISTS)).rejects.toThrow(`${path}: cannot write the model file`);
  });

  it("the built CLI's inspect opens the file (its own reader: no trees, no error)", async () => {
    const path = join(dir, 'inspect.root');
    await writeHistogramsFile(path, HISTS);
    const r = await mssi(['inspect', path, '--json'], {}, { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { trees: unknown[] }[])[0]?.trees).toEqual([]);
  });
});

describe('keyNameProblem', () => {
  it('accepts names of letters, digits and _ . + -', () => {
    for (const n of ['h_ss_K40_DomePMTs', 'h_mssi_Rn-222.v2', 'h+1', 'x'.repeat(200)]) expect(keyNameProblem(n), n).toBeNull();
  });
  it("refuses what ROOT or uproot would read as a path or a cycle, blanks and other punctuation, and says which", () => {
    expect(keyNameProblem('')).toBe('the name is empty');
    expect(keyNameProblem('x'.repeat(201))).toMatch(/201 characters/);
    expect(keyNameProblem('h_ss_a/b')).toMatch(/\("\/"\)/);
    expect(keyNameProblem('h;1')).toMatch(/\(";"\)/);
    expect(keyNameProblem('h ss:é')).toMatch(/\(" ", ":", "é"\).*rename the source file/);
  });
});
