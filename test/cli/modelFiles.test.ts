// Issue 18's command as a user runs it, through the built CLI: the WS2024 selection on
// the fixtures with --model m.root and --html r.html. jsroot reads every histogram of
// m.root back and finds, bin for bin, the numbers of --model m.json of the same run
// (values, variances, edges, titles, entries), recomputed here from the JSON's raw
// counts and the report's weights; the page opens in headless Chromium with no error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mssi, ROOT_DIR } from './runCli.js';
import { firstDifference, readHistograms, type JsrootTh2d } from '../root/write/jsrootHistogram.js';
import { findChromium, visit } from '../report/html/chromium.js';
import { decodePng, imageStats } from '../report/html/png.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const WS2024 = join(ROOT_DIR, 'examples', 'ws2024.toml');
const FILES = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
type Json = Record<string, any>;

let dir: string;
let rootModel: Awaited<ReturnType<typeof readHistograms>>;
let jsonModel: Json;
let report: Json;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mssi-model-files-'));
  const args = ['run', ...FILES, '--rates', RATES, '--selection', WS2024, '--cache', join(dir, 'cache'), '-q'];
  const first = await mssi([...args, '--model', join(dir, 'm.root'), '--html', join(dir, 'r.html')]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/10 file\(s\) processed, 0 from the cache/);
  // the same run again, from the cache: the JSON model and the report
  const second = await mssi([...args, '--model', join(dir, 'm.json'), '--json']);
  expect(second.code, second.stderr).toBe(0);
  report = JSON.parse(second.stdout) as Json;
  jsonModel = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')) as Json;
  rootModel = await readHistograms(join(dir, 'm.root'));
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Uniform edges as ROOT's TAxis and numpy.linspace (uproot's edges()) compute them: low + k * ((high - low) / count), the last `high`. */
const edges = (a: { count: number; low: number; high: number }) =>
  Array.from({ length: a.count + 1 }, (_, k) => (k === a.count ? a.high : a.low + k * ((a.high - a.low) / a.count)));

describe('mssi run --selection examples/ws2024.toml --model m.root --html r.html', () => {
  it('writes h_ss_/h_mssi_ for every source with a rate, and the totals, read by jsroot without a complaint', () => {
    expect(rootModel.complaints).toEqual([]);
    const sources = [...new Set((report.files as Json[]).filter((f) => f.ratePerDay !== null).map((f) => f.source as string))];
    expect(sources.length).toBe(10);
    const names = [...rootModel.hists.keys()].sort();
    expect(names).toEqual([...sources.flatMap((s) => [`h_ss_${s}`, `h_mssi_${s}`]), 'h_ss_total', 'h_mssi_total'].sort());
  });

  it("has the selection's axes (cS1 3-80 phd in 77 bins, log10 cS2 2.5-4.5 in 80), titled", () => {
    expect(jsonModel.x).toMatchObject({ count: 77, low: 3, high: 80 });
    expect(jsonModel.x.edges).toEqual(edges(jsonModel.x));
    for (const h of rootModel.hists.values()) {
      expect([h.fXaxis.fNbins, h.fXaxis.fXmin, h.fXaxis.fXmax]).toEqual([77, 3, 80]);
      expect([h.fYaxis.fNbins, h.fYaxis.fXmin, h.fYaxis.fXmax]).toEqual([80, 2.5, 4.5]);
      expect(h.fXaxis.fTitle).toBe('cS1 [phd]');
      expect(h.fYaxis.fTitle).toBe('log_{10}(cS2 [phd])');
      expect(h.fArray.length).toBe(79 * 82);
    }
  });

  it('holds per source value = n * w and variance = n * w^2 (w = eventWeight * rate), bin for bin, and their sums in the totals', () => {
    const cells = 79 * 82;
    const totals = { ss: { v: new Float64Array(cells), s: new Float64Array(cells) }, mssi: { v: new Float64Array(cells), s: new Float64Array(cells) } };
    const bySource = new Map<string, Json[]>();
    for (const f of report.files as Json[]) {
      if (f.ratePerDay === null) continue;
      bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
    }
    const counts = new Map((jsonModel.files as Json[]).map((f) => [f.path as string, f]));
    for (const [source, files] of bySource) {
      for (const kind of ['ss', 'mssi'] as const) {
        const v = new Float64Array(cells);
        const s = new Float64Array(cells);
        let entries = 0;
        for (const f of files) {
          const w = f.eventWeight * f.ratePerDay;
          const raw = counts.get(f.path)![kind];
          const dense = denseCounts(raw, cells);
          for (let c = 0; c < cells; c++) {
            v[c] = v[c]! + dense[c]! * w;
            s[c] = s[c]! + dense[c]! * (w * w);
            entries += dense[c]!;
          }
        }
        const h = rootModel.hists.get(`h_${kind}_${source}`)!;
        expect(firstDifference(h.fArray, v), `h_${kind}_${source} values`).toBeNull();
        expect(firstDifference(h.fSumw2, s), `h_${kind}_${source} variances`).toBeNull();
        expect(h.fEntries).toBe(entries);
        for (let c = 0; c < cells; c++) {
          totals[kind].v[c] = totals[kind].v[c]! + v[c]!;
          totals[kind].s[c] = totals[kind].s[c]! + s[c]!;
        }
      }
    }
    for (const kind of ['ss', 'mssi'] as const) {
      const h = rootModel.hists.get(`h_${kind}_total`)!;
      expectClose(h, totals[kind].v, totals[kind].s);
      expect(firstDifference(h.fArray, jsonModel.total[kind].values)).toBeNull();
      expect(firstDifference(h.fSumw2, jsonModel.total[kind].variances)).toBeNull();
    }
  });

  it("sums, in the total's in-range and flow cells, to the report's FV ROI per day", () => {
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    expect(sum(rootModel.hists.get('h_ss_total')!.fArray)).toBeCloseTo(report.totals.ss.fvRoiPerDay, 9);
    expect(sum(rootModel.hists.get('h_mssi_total')!.fArray)).toBeCloseTo(report.totals.mssi.fvRoiPerDay, 9);
    expect(Math.sqrt(sum(rootModel.hists.get('h_ss_total')!.fSumw2))).toBeCloseTo(report.totals.ss.fvRoiPerDaySigma, 9);
  });

  const chromium = findChromium();
  const onCi = process.env.CI === 'true';
  it.skipIf(!chromium && !onCi)('writes a report that headless Chromium renders with no console error and a screenshot that is not blank', async () => {
    if (!chromium) throw new Error('CI=true and no Chromium: run .ci/install-chromium.sh');
    const v = await visit(chromium, join(dir, 'r.html'), { width: 1200, height: 2400, evaluate: "document.querySelectorAll('svg').length" });
    expect(v.errors).toEqual([]);
    expect(v.value).toBe(7);
    const stats = imageStats(decodePng(v.png));
    expect(stats.distinctColors).toBeGreaterThan(100);
    expect(stats.inkFraction).toBeGreaterThan(0.05);
  });
});

/** The JSON model's raw counts of one file and kind ([cell, count] pairs), dense. */
function denseCounts(raw: Json, cells: number): Float64Array {
  const out = new Float64Array(cells);
  for (const [cell, n] of raw.cells as [number, number][]) out[cell] = n;
  return out;
}

/** Totals add the sources in the report's order: equal to a few ulps of each cell. */
function expectClose(h: JsrootTh2d, values: Float64Array, variances: Float64Array): void {
  for (let c = 0; c < values.length; c++) {
    expect(Math.abs(h.fArray[c]! - values[c]!)).toBeLessThanOrEqual(1e-12 * Math.abs(values[c]!));
    expect(Math.abs(h.fSumw2[c]! - variances[c]!)).toBeLessThanOrEqual(1e-12 * Math.abs(variances[c]!));
  }
}
