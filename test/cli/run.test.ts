import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { countsWithJsroot } from '../analysis/jsrootCounts.js';
import { mssi, ROOT_DIR } from './runCli.js';
import { emptyTree, lzBranches, writeLzFile } from '../analysis/lzFile.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const fixtures = () => readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-${tag}-`));

interface JsonReport {
  files: { path: string; source: string; fromCache: boolean; counts: Record<string, number>; eventWeight: number | null; perDay: Record<string, number> | null }[];
  failures: { path: string; error: string }[];
  totals: { ss: Record<string, number>; mssi: Record<string, number>; fraction: number | null };
  sourcesWithoutRate: string[];
}

async function runJson(args: string[]): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const r = await mssi(['run', ...args, '--rates', RATES, '--json', '--quiet']);
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

describe('mssi run on the LZ-like fixtures', () => {
  let expected: Map<string, Awaited<ReturnType<typeof countsWithJsroot>>>;
  beforeAll(async () => {
    expected = new Map();
    for (const f of fixtures()) expected.set(f, await countsWithJsroot(f));
  });

  it('gives, for every file, the counts computed from jsroot reading the same file', async () => {
    const { code, report } = await runJson([...fixtures(), '--no-cache', '--jobs', '2']);
    expect(code).toBe(0);
    expect(report.files).toHaveLength(10);
    for (const f of report.files) {
      const want = expected.get(f.path)!;
      expect(f.counts, f.path).toEqual(want.counts);
      expect(f.eventWeight).toBe(want.eventWeight);
      expect(f.fromCache).toBe(false);
    }
    // Every count is non-zero on these files (they are built for it).
    for (const f of report.files) for (const v of Object.values(f.counts)) expect(v).toBeGreaterThan(0);
    expect(report.sourcesWithoutRate).toEqual([]);
    expect(report.totals.fraction).toBeGreaterThan(0);
  });

  it('prints the notebook summary and writes CSV', async () => {
    const dir = tmp('csv');
    const csv = join(dir, 'out.csv');
    const r = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--csv', csv, '--jobs', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Number of SS events expected\nN\. SS \/ day: {3}\d/);
    expect(r.stdout).toMatch(/Number of MSSI events expected/);
    expect(r.stdout).toMatch(/fraction: \d\.\d\d/);
    expect(r.stdout).toContain('K40_DomePMTs');
    const rows = parse(readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((x) => x.kind === 'file')).toHaveLength(10);
    expect(rows.at(-1)!.kind).toBe('total');
  });

  it('fails bad files alone, names them, exits 1, and caches nothing for them', async () => {
    const dir = tmp('bad');
    const cache = join(dir, 'cache');
    const [good] = fixtures();
    const truncated = join(dir, 'SS_skim_Truncated.root');
    writeFileSync(truncated, readFileSync(good!).subarray(0, 30_000));
    const text = join(dir, 'SS_skim_Text.root');
    writeFileSync(text, 'not a ROOT file\n');
    const otherTrees = join(ROOT_DIR, 'fixtures', 'real', 'uproot-HZZ-zlib.root');
    const { code, report, stderr } = await runJson([good!, truncated, text, otherTrees, join(dir, 'missing.root'), '--cache', cache]);
    expect(code).toBe(1);
    expect(report.files.map((f) => f.path)).toEqual([good]);
    const errors = new Map(report.failures.map((f) => [f.path, f.error]));
    expect(errors.get(truncated)).toMatch(new RegExp(`^${truncated}: truncated: the file has 30000 bytes, its header says \\d+`));
    expect(errors.get(text)).toMatch(new RegExp(`^${text}, file header: not a ROOT file: it starts with 6e 6f 74 20`));
    expect(errors.get(otherTrees)).toMatch(/Scatters/);
    expect(errors.get(join(dir, 'missing.root'))).toMatch(/no such file/);
    expect(stderr).toContain(text);
    const ls = JSON.parse((await mssi(['cache', 'ls', '--json', '--cache', cache])).stdout) as { entries: { computedFrom: string }[] };
    expect(ls.entries.map((e) => e.computedFrom)).toEqual([good]);
  });

  it('warns about a Source without rate and leaves it out of the totals', async () => {
    const dir = tmp('norate');
    const [a, b] = fixtures();
    const renamed = join(dir, 'SS_skim_NoSuchSource.root');
    copyFileSync(b!, renamed);
    const { code, report, stderr } = await runJson([a!, renamed, '--no-cache']);
    expect(code).toBe(0);
    expect(report.sourcesWithoutRate).toEqual(['NoSuchSource']);
    expect(stderr).toMatch(/no rate for Source NoSuchSource/);
    expect(report.files[1]!.perDay).toBeNull();
    expect(report.totals.ss.perDay).toBe(report.files[0]!.perDay!.nSS);
  });

  it('tells about a file with no entries and fails one whose trees disagree', async () => {
    const t = lzBranches();
    const empty = writeLzFile('SS_skim_K40_DomePMTs.root', { Scatters: emptyTree(t.Scatters), RQMCTruth: emptyTree(t.RQMCTruth) });
    const mismatched = writeLzFile('SS_skim_Co60_DomePMTs.root', { Scatters: t.Scatters, RQMCTruth: emptyTree(t.RQMCTruth) });
    const cache = join(tmp('edge'), 'cache');
    const { code, report, stderr } = await runJson([empty, mismatched, '--cache', cache]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${empty} has no entries`);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]).toMatchObject({ path: empty, eventWeight: null, perDay: null });
    expect(report.failures[0]!.error).toContain('must have the same number of entries');
    const ls = JSON.parse((await mssi(['cache', 'ls', '--json', '--cache', cache])).stdout) as { entries: { computedFrom: string }[] };
    expect(ls.entries.map((e) => e.computedFrom)).toEqual([empty]);
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await mssi(['run', LZ])).code).toBe(2); // no --rates
    expect((await mssi(['run', LZ, '--rates', RATES, '--jobs', '0'])).code).toBe(2);
    expect((await mssi(['run', LZ, '--rates', '/nonexistent.csv'])).code).toBe(2);
    // an unquoted thousands separator was read as rate 1, exit 0
    const rates = join(tmp('rates'), 'r.csv');
    writeFileSync(rates, 'Source,Rate (Decays/day)\nK40_DomePMTs,2\nCo60_DomePMTs,1,234.5\n');
    const comma = await mssi(['run', LZ, '--rates', rates, '--no-cache', '--quiet']);
    expect(comma.code).toBe(2);
    expect(comma.stdout).toBe('');
    expect(comma.stderr).toBe(
      `mssi run: rates table ${rates}: line 3: 3 fields, the header has 2 (an unquoted comma in a number? write 1234.5)\n`,
    );
    expect((await mssi(['run', LZ, '--rates', RATES, '--task-timeout', '0'])).code).toBe(2);
    const none = await mssi(['run', '/nonexistent/*.root', '--rates', RATES]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no file matches this pattern/);
  });
});

describe('mssi run with the cache', () => {
  it('hits on a warm re-run, on a renamed file; misses on a changed byte; recomputes a corrupt entry', async () => {
    const dir = tmp('cache');
    const cache = `file://${join(dir, 'cache')}`;
    const files = fixtures().slice(0, 3);
    const copies = files.map((f) => {
      const to = join(dir, f.split('/').pop()!);
      copyFileSync(f, to);
      return to;
    });
    const cold = await runJson([...copies, '--cache', cache]);
    expect(cold.report.files.map((f) => f.fromCache)).toEqual([false, false, false]);
    const warm = await runJson([...copies, '--cache', cache]);
    expect(warm.report.files.map((f) => f.fromCache)).toEqual([true, true, true]);
    expect(warm.report.files.map((f) => f.counts)).toEqual(cold.report.files.map((f) => f.counts));
    expect(warm.report.totals).toEqual(cold.report.totals);

    // Renamed: same content, new Source taken from the new name.
    const renamed = join(dir, 'SS_skim_K40_DomePMTs-copy.root');
    renameSync(copies[0]!, renamed);
    const afterRename = await runJson([renamed, '--cache', cache]);
    expect(afterRename.report.files[0]).toMatchObject({ fromCache: true, source: 'K40_DomePMTs-copy' });

    // One byte more past the file's end (readers ignore it, the hash does not): a miss.
    writeFileSync(copies[1]!, Buffer.concat([readFileSync(copies[1]!), Buffer.from([0])]));
    const changed = await runJson([copies[1]!, '--cache', cache]);
    expect(changed.code).toBe(0);
    expect(changed.report.files[0]).toMatchObject({ fromCache: false, counts: cold.report.files[1]!.counts });

    // A damaged entry is reported and recomputed.
    const ls = JSON.parse((await mssi(['cache', 'ls', '--json', '--cache', cache])).stdout) as { entries: { key: string; computedFrom: string }[] };
    const victim = ls.entries.find((e) => e.computedFrom === copies[2])!;
    const entryPath = join(dir, 'cache', 'v1', 'entries', victim.key.slice(0, 2), `${victim.key}.json`);
    writeFileSync(entryPath, readFileSync(entryPath, 'utf8').replace(/"nSS\\":(\d+)/, '"nSS\\":9$1'));
    const verify = await mssi(['cache', 'verify', '--cache', cache]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/CORRUPT/);
    const again = await runJson([copies[2]!, '--cache', cache]);
    expect(again.stderr).toMatch(/corrupt .*recomputing/);
    expect(again.report.files[0]).toMatchObject({ fromCache: false, counts: cold.report.files[2]!.counts });
    expect((await mssi(['cache', 'verify', '--cache', cache])).code).toBe(0);
  });

  it('two runs at once on the same files and cache both succeed and leave only whole entries', async () => {
    const dir = tmp('concurrent');
    const cache = join(dir, 'cache');
    const [a, b] = await Promise.all([runJson([LZ, '--cache', cache, '--jobs', '1']), runJson([LZ, '--cache', cache, '--jobs', '1'])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.report.totals).toEqual(b.report.totals);
    const verify = await mssi(['cache', 'verify', '--cache', cache]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/10 entries checked: 0 corrupt/);
  });
});
