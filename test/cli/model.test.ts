// The model through the built CLI: --model FILE.json on the fixtures, the same model
// from a warm re-run (no basket read), from a big file cut into entry ranges, and from
// a plan's shards merged.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMALL_FILE_BYTES } from '../../src/run/splitPolicy.js';
import { mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const fixtures = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-model-${tag}-`));
type Json = Record<string, any>;
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;

async function runOk(args: string[]): Promise<Json> {
  const r = await mssi(['run', ...args, '--rates', RATES, '-q', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

/** The model's numbers, without what says where they came from. */
const numbers = (m: Json) => ({ x: m.x, y: m.y, files: m.files.map((f: Json) => ({ source: f.source, ss: f.ss, mssi: f.mssi })), sources: m.sources, total: m.total });

describe('mssi run --model FILE.json', () => {
  let dir: string;
  let report: Json;
  let model: Json;
  beforeAll(async () => {
    dir = tmp('fixtures');
    report = await runOk([...fixtures, '--cache', join(dir, 'cache'), '--model', join(dir, 'm.json')]);
    model = readJson(join(dir, 'm.json'));
  });

  it('writes mssi.model/1: edges, per file counts that add up to its FV ROI counts, per source and total values and variances', () => {
    expect(model.schema).toBe('mssi.model/1');
    expect(model.x).toMatchObject({ title: 'cS1 [phd]', count: 120, low: 0, high: 600 });
    expect(model.x.edges).toHaveLength(121);
    expect(model.x.edges[1]).toBe(5);
    expect(model.y).toMatchObject({ title: 'log_{10}(cS2 [phd])', count: 80, low: 2.5, high: 4.5 });
    expect(model.y.edges[80]).toBe(4.5);
    expect(model.layout.cells).toBe(122 * 82);
    report.files.forEach((f: Json, i: number) => {
      const m = model.files[i];
      expect(m.path).toBe(f.path);
      const sum = (b: Json) => b.cells.reduce((a: number, [, c]: [number, number]) => a + c, 0) + b.nan;
      expect(sum(m.ss)).toBe(f.counts.nSSFVROI);
      expect(sum(m.mssi)).toBe(f.counts.nMSSIFVROI);
      expect(m.weight).toBe(f.eventWeight * f.ratePerDay);
    });
    const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(model.total.ss.counts).toHaveLength(122 * 82);
    expect(total(model.total.ss.values)).toBeCloseTo(report.totals.ss.fvRoiPerDay, 12);
    expect(Math.sqrt(total(model.total.ss.variances))).toBeCloseTo(report.totals.ss.fvRoiPerDaySigma, 12);
    expect(total(model.total.mssi.values)).toBeCloseTo(report.totals.mssi.fvRoiPerDay, 12);
    expect(model.total.ss.entries).toBe(report.files.reduce((a: number, f: Json) => a + f.counts.nSSFVROI, 0));
    expect(model.sources.map((s: Json) => s.ss.name)).toEqual(report.files.map((f: Json) => `h_ss_${f.source}`));
  });

  it('gives the same model from a warm re-run, every file from the cache', async () => {
    const again = await runOk([...fixtures, '--cache', join(dir, 'cache'), '--model', join(dir, 'again.json')]);
    expect(again.files.every((f: Json) => f.fromCache)).toBe(true);
    expect(readJson(join(dir, 'again.json'))).toEqual(model);
  });

  it('refuses a --model name it cannot tell the format of, before running; a failed write is exit 5 with the table printed', async () => {
    const bad = await mssi(['run', fixtures[0]!, '--rates', RATES, '--no-cache', '-q', '--model', join(dir, 'm.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('name a .json file');
    const noExtension = await mssi(['run', fixtures[0]!, '--rates', RATES, '--no-cache', '-q', '--model', join(dir, 'model')]);
    expect(noExtension.code).toBe(2);
    const r = await mssi(['run', fixtures[0]!, '--rates', RATES, '--no-cache', '-q', '--model', '/proc/m.json']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('cannot write --model /proc/m.json');
    expect(r.stdout).toContain('Number of SS events expected');
  });
});

describe('the model of a big file cut into entry ranges, and of a plan run in shards', () => {
  let dir: string;
  let big: string;
  beforeAll(async () => {
    dir = tmp('big');
    // uncompressed, 10,000-entry clusters: over the size at which a run looks inside a file
    const r = await mssi(['simulate', join(dir, 'data'), '--source', 'K40_DomePMTs', '-n', '120000', '--compression', 'none', '--cluster-size', '10000', '-q']);
    expect(r.code, r.stderr).toBe(0);
    big = join(dir, 'data', 'SS_skim_K40_DomePMTs.root');
    expect(statSync(big).size).toBeGreaterThan(SMALL_FILE_BYTES);
  }, 120_000);

  it('is the same whole, in ranges on two workers, and from shards merged (with the same --json)', async () => {
    const inputs = [big, fixtures[0]!, fixtures[1]!];
    const whole = await runOk([...inputs, '--no-cache', '-j', '1', '--split-entries', '100000000', '--model', join(dir, 'whole.json')]);
    await runOk([...inputs, '--no-cache', '-j', '2', '--split-entries', '20000', '--model', join(dir, 'ranges.json')]);
    const wholeModel = readJson(join(dir, 'whole.json'));
    expect(wholeModel.files[0].ss.cells.length).toBeGreaterThan(100);
    expect(numbers(readJson(join(dir, 'ranges.json')))).toEqual(numbers(wholeModel));

    const runDir = join(dir, 'run');
    const p = await mssi(['plan', ...inputs, '--shards', '3', '--out', runDir, '--rates', RATES, '--split-entries', '20000', '-j', '2']);
    expect(p.code, p.stderr).toBe(0);
    const plan = readJson(join(runDir, 'plan.json'));
    expect(plan.tasks.filter((t: Json) => t.range !== null).length).toBeGreaterThan(3); // the big file is in ranges
    for (const k of [2, 0, 1]) {
      const s = await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', String(k), '-q', '--no-cache']);
      expect(s.code, s.stderr).toBe(0);
    }
    const merged = await mssi(['merge', runDir, '--json', '--model', join(dir, 'merged.json')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(numbers(readJson(join(dir, 'merged.json')))).toEqual(numbers(wholeModel));
    const report = JSON.parse(merged.stdout) as Json;
    delete report.shards;
    for (const f of [...report.files, ...whole.files]) delete f.fromCache;
    expect(report.totals).toEqual(whole.totals);
    expect(report.files).toEqual(whole.files);
  }, 240_000);
});
