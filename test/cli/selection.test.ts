// Selection files through the built CLI: `selection show | init`, `run --selection`
// (counts as SELECTION.md computes them for that selection on jsroot's reading of the
// files), the cache (a changed number misses, a reordered file hits), and a plan with
// a selection (its shards run it, without the file; merge equals a local run with it).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectionHash } from '../../src/cache/key.js';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { selectionLayout } from '../../src/selection/layout.js';
import { parseSelectionText, readSelectionFile } from '../../src/selection/selectionFile.js';
import { columnsWithJsroot } from '../analysis/jsrootCounts.js';
import { readWithJsroot } from '../root/read/jsroot-reference.js';
import { countIndependently } from '../selection/aroundCuts.js';
import { mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const WS2024 = join(ROOT_DIR, 'examples', 'ws2024.toml');
const fixtures = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-selection-${tag}-`));

type Json = Record<string, any>;
const json = (r: { stdout: string; stderr: string; code: number | null }): Json => {
  try {
    return JSON.parse(r.stdout) as Json;
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}): ${r.stderr}`);
  }
};

describe('mssi selection show', () => {
  it('prints every field of the default selection as a selection file, and its hash', async () => {
    const r = await mssi(['selection', 'show']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`# selection hash ${selectionHash(DEFAULT_SELECTION)}\n`);
    expect(parseSelectionText(r.stdout, 'shown.toml')).toEqual(DEFAULT_SELECTION);
    for (const key of ['drift_us', 'wall_poly', 'wall_standoff_cm', 'cs1_phd', 'log10_cs2_max', 's2_raw_min_phd', 'skip_volume_substrings', 'scatters', 'truth', 'eventWeight', 'cs1_bins', 'log10_cs2_bins']) {
      expect(r.stdout).toMatch(new RegExp(`^${key} = `, 'm'));
    }
  });

  it("prints a file's selection with the defaults filled, as TOML or JSON", async () => {
    const r = await mssi(['selection', 'show', '--selection', WS2024]);
    expect(r.code, r.stderr).toBe(0);
    const ws = readSelectionFile(WS2024);
    expect(parseSelectionText(r.stdout, 'shown.toml')).toEqual(ws);
    expect(r.stdout).toContain('cs1_phd = [3, 80]\n');
    expect(r.stdout).toContain('s2_raw_min_phd = 645.25\n');
    const j = json(await mssi(['selection', 'show', '--selection', WS2024, '--json']));
    expect(j).toEqual({ selectionHash: selectionHash(ws), file: WS2024, selection: selectionLayout(ws) });
  });

  it('exits 2 naming the file and the field of a bad selection file', async () => {
    const dir = tmp('bad');
    const file = join(dir, 'sel.toml');
    writeFileSync(file, '[roi]\ncs1_phd = [80, 3]\n');
    const r = await mssi(['selection', 'show', '--selection', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mssi selection show: ${file}: roi.cs1_phd: the range [80, 3] is reversed (low must be below high)\n`);
    expect(r.stdout).toBe('');
  });
});

describe('mssi selection init', () => {
  it('writes the commented default file, refuses to replace it without --force, and writes JSON for .json', async () => {
    const dir = tmp('init');
    const file = join(dir, 'cuts.toml');
    const r = await mssi(['selection', 'init', file]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# An mssi selection file/);
    expect(readSelectionFile(file)).toEqual(DEFAULT_SELECTION);
    writeFileSync(file, '[roi]\ncs1_phd = [3, 80]\n');
    const again = await mssi(['selection', 'init', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cuts\.toml exists; give --force/);
    expect(readFileSync(file, 'utf8')).toBe('[roi]\ncs1_phd = [3, 80]\n');
    expect((await mssi(['selection', 'init', file, '--force'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const jsonFile = join(dir, 'cuts.json');
    expect((await mssi(['selection', 'init', jsonFile])).code).toBe(0);
    expect(readSelectionFile(jsonFile)).toEqual(DEFAULT_SELECTION);
    expect((await mssi(['selection', 'init', '-'])).stdout).toBe(text);
  });
});

describe('mssi run --selection', () => {
  it('gives each file the counts SELECTION.md gives with that selection (jsroot reading the files, float64 decisions written out)', async () => {
    const ws = readSelectionFile(WS2024);
    const r = await mssi(['run', ...fixtures, '--rates', RATES, '--selection', WS2024, '--no-cache', '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.selectionHash).toBe(selectionHash(ws));
    expect(report.selection).toEqual(selectionLayout(ws));
    const base = json(await mssi(['run', ...fixtures, '--rates', RATES, '--no-cache', '--json', '-q']));
    let narrower = 0;
    for (const [i, path] of fixtures.entries()) {
      const { columns } = await columnsWithJsroot(path, ws.vertices.skipVolumeSubstrings);
      expect(report.files[i].counts, path).toEqual(countIndependently(columns, ws));
      expect(base.files[i].counts, path).toEqual(countIndependently(columns, DEFAULT_SELECTION));
      if (report.files[i].counts.nSSFVROI < base.files[i].counts.nSSFVROI) narrower++;
    }
    // cS1 3-80 instead of 3-600: fewer FV ROI events, the same FV ones
    expect(narrower).toBeGreaterThan(5);
    expect(report.totals.ss.fvPerDay).toBe(base.totals.ss.fvPerDay);
  });

  it('other branch and tree names and skip substrings are read: a file naming a missing branch fails that file, naming the branch', async () => {
    const dir = tmp('names');
    const file = join(dir, 'sel.toml');
    writeFileSync(file, '[branches]\ns2Area_phd = "ss.s1Area_phd"\n[vertices]\nskip_volume_substrings = []\n');
    const s = readSelectionFile(file);
    const r = await mssi(['run', fixtures[0]!, '--rates', RATES, '--selection', file, '--no-cache', '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    // the raw S2 cut now reads ss.s1Area_phd, and no vertex is skipped: computed here from jsroot's columns
    const { columns } = await columnsWithJsroot(fixtures[0]!, []);
    const raw = await readWithJsroot(fixtures[0]!, 'Scatters', ['ss.s1Area_phd']);
    const withS1 = { ...columns, s2Area_phd: Float64Array.from(raw.get('ss.s1Area_phd') as number[], Number) };
    const counts = json(r).files[0].counts;
    expect(counts).toEqual(countIndependently(withS1, s));
    expect(counts).not.toEqual(json(await mssi(['run', fixtures[0]!, '--rates', RATES, '--no-cache', '--json', '-q'])).files[0].counts);
    writeFileSync(file, '[trees]\ntruth = "NoSuchTree"\n');
    const bad = await mssi(['run', fixtures[0]!, '--rates', RATES, '--selection', file, '--no-cache', '-q']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/NoSuchTree/);
  });

  it('exits 2 for a bad selection file, before anything runs', async () => {
    const dir = tmp('badrun');
    const file = join(dir, 'sel.toml');
    writeFileSync(file, '[model]\ncs1_bin = [120, 0, 600]\n');
    const r = await mssi(['run', ...fixtures, '--rates', RATES, '--selection', file, '--cache', join(dir, 'cache')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mssi run: ${file}: model.cs1_bin: unknown key of [model] (did you mean cs1_bins?); known: cs1_bins, log10_cs2_bins\n`);
    expect(r.stdout).toBe('');
    const missing = await mssi(['run', ...fixtures, '--rates', RATES, '--selection', join(dir, 'nope.toml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.toml: no such file/);
  });
});

describe('the cache and the selection', () => {
  it('a reordered, re-commented file with the same meaning hits; a changed number misses', async () => {
    const dir = tmp('cache');
    const cache = join(dir, 'cache');
    const a = join(dir, 'a.toml');
    const b = join(dir, 'b.json');
    const c = join(dir, 'c.toml');
    writeFileSync(a, '[roi]\ncs1_phd = [3, 80]\nlog10_cs2_max = 4.5\n[model]\ncs1_bins = [77, 3, 80]\n');
    writeFileSync(b, JSON.stringify({ model: { cs1_bins: [77, 3.0, 80] }, roi: { log10_cs2_max: 4.5, cs1_phd: [3, 80] } }));
    writeFileSync(c, '# one number changed\n[roi]\ncs1_phd = [3, 80.5]\n[model]\ncs1_bins = [77, 3, 80]\n');
    const run = async (file: string) => json(await mssi(['run', ...fixtures, '--rates', RATES, '--selection', file, '--cache', cache, '--json', '-q']));
    const first = await run(a);
    expect(first.files.map((f: Json) => f.fromCache)).toEqual(fixtures.map(() => false));
    const second = await run(b);
    expect(second.files.map((f: Json) => f.fromCache)).toEqual(fixtures.map(() => true));
    expect(second.selectionHash).toBe(first.selectionHash);
    expect(second.files.map((f: Json) => f.counts)).toEqual(first.files.map((f: Json) => f.counts));
    const third = await run(c);
    expect(third.files.map((f: Json) => f.fromCache)).toEqual(fixtures.map(() => false));
    expect(third.selectionHash).not.toBe(first.selectionHash);
    // the default selection is a third set of entries; both are listed
    const ls = json(await mssi(['cache', 'ls', '--json', '--cache', cache]));
    expect(new Set(ls.entries.map((e: Json) => e.selectionHash))).toEqual(new Set([first.selectionHash, third.selectionHash]));
  });
});

describe('a plan with a selection', () => {
  it('records the selection itself: its shards run it without the file, and merge gives the report of a local run with it', async () => {
    const dir = tmp('plan');
    const runDir = join(dir, 'run');
    const file = join(dir, 'ws.toml');
    writeFileSync(file, readFileSync(WS2024, 'utf8'));
    const local = json(await mssi(['run', ...fixtures, '--rates', RATES, '--selection', file, '--cache', join(dir, 'local-cache'), '--json', '-q']));
    const planned = await mssi(['plan', ...fixtures, '--shards', '2', '--out', runDir, '--rates', RATES, '--selection', file, '-j', '2']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(runDir, 'plan.json'), 'utf8')) as Json;
    expect(plan.selection).toEqual(selectionLayout(readSelectionFile(WS2024)));
    expect(plan.selectionHash).toBe(local.selectionHash);
    rmSync(file);
    const refused = await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '--selection', WS2024]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--selection: not with --plan \(the plan has its selection/);
    for (const k of [1, 0]) {
      const r = await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', String(k), '-j', '2', '--cache', join(dir, 'cache')]);
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = json(await mssi(['merge', runDir, '--json']));
    const comparable = (report: Json) => {
      const copy = structuredClone(report);
      delete copy.shards;
      for (const f of copy.files) {
        delete f.fromCache;
        delete f.timings;
      }
      return copy;
    };
    expect(comparable(merged)).toEqual(comparable(local));
  });

  it('a plan whose recorded selection was edited is refused by its hash; a damaged one names the field', async () => {
    const dir = tmp('edited');
    const runDir = join(dir, 'run');
    expect((await mssi(['plan', fixtures[0]!, '--shards', '1', '--out', runDir, '--selection', WS2024])).code).toBe(0);
    const path = join(runDir, 'plan.json');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"cs1_phd":[3,80]', '"cs1_phd":[3,90]'));
    const edited = await mssi(['run', '--plan', path, '--shard', '0']);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/the plan is for selection [0-9a-f]{64} .*has selection [0-9a-f]{64}/);
    writeFileSync(path, text.replace('"cs1_phd":[3,80]', '"cs1_phd":[90,3]'));
    const damaged = await mssi(['run', '--plan', path, '--shard', '0']);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/plan\.json: selection\.roi\.cs1_phd: the range \[90, 3\] is reversed/);
  });

  it('submit --slurm --dry-run records the selection in its plan', async () => {
    const dir = tmp('submit');
    const r = await mssi(['submit', '--slurm', ...fixtures, '--rates', RATES, '--out', join(dir, 'run'), '--selection', WS2024, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'run', 'plan.json'), 'utf8')) as Json;
    expect(plan.selection).toEqual(selectionLayout(readSelectionFile(WS2024)));
    const bad = await mssi(['submit', '--slurm', ...fixtures, '--rates', RATES, '--out', join(dir, 'run2'), '--selection', join(dir, 'none.toml'), '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/none\.toml: no such file/);
  });
});

describe('mssi inspect --selection', () => {
  it("judges the file against the selection's tree and branch names", async () => {
    const dir = tmp('inspect');
    const file = join(dir, 'sel.toml');
    writeFileSync(file, '[trees]\ntruth = "Truth"\n[branches]\nx_cm = "ss.x"\n');
    const r = await mssi(['inspect', fixtures[0]!, '--selection', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const problems = (json(r) as unknown as Json[])[0]!.selection.filter((f: Json) => f.problem !== null).map((f: Json) => `${f.tree} / ${f.branch}: ${f.problem}`);
    expect(problems).toEqual([
      'Scatters / ss.x: missing',
      'Truth / mcTruthVertices.nRQMCTruthVertices: no tree Truth',
      'Truth / mcTruthVertices.volumeName: no tree Truth',
      'Truth / mcTruthVertices.detectedS1Photons: no tree Truth',
      'Truth / mcTruthVertices.detectedS2Photons: no tree Truth',
      'Truth / mcTruthEvent.eventWeight: no tree Truth',
    ]);
    const fits = await mssi(['inspect', fixtures[0]!, '--selection', WS2024]);
    expect(fits.stdout).toContain('MSSI selection: every branch it reads is here and readable');
  });
});
