// What mssi writes, as a user sees it: the table fitted to the terminal (a fake one of
// 60..200 columns, and 100 off a terminal), the JSON report's provenance (mssi.report/3),
// and exit 5 for an output that cannot be written, with the rest still printed.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectionHash } from '../../src/cache/key.js';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { selectionLayout } from '../../src/selection/layout.js';
import { ELLIPSIS } from '../../src/report/table.js';
import { BIN, mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const NANO = join(ROOT_DIR, 'fixtures', 'real', 'nanoAOD_2015_CMS_Open_Data_ttbar.root');
const FAKE_TTY = join(ROOT_DIR, 'test', 'cli', 'fakeTty.mjs');
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-outputs-${tag}-`));
const onTerminal = (columns: number) => ({ NODE_OPTIONS: `--import=${FAKE_TTY}`, MSSI_TEST_TTY_COLUMNS: String(columns) });
const version = (JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/** The table's lines (before the first empty line) and the rest. */
function split(stdout: string): { table: string[]; rest: string } {
  const lines = stdout.split('\n');
  const end = lines.indexOf('');
  return { table: lines.slice(0, end), rest: lines.slice(end).join('\n') };
}

let cache: string;
let wide: string;
beforeAll(async () => {
  cache = tmp('cache');
  expect((await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q'])).code).toBe(0);
  // warm: every run below says "10 from the cache" too
  const r = await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q', '--wide']);
  expect(r.code, r.stderr).toBe(0);
  wide = r.stdout;
});

describe('mssi run: the table fits the terminal', () => {
  it('off a terminal it fits 100 columns; --wide is the whole table; the summary is the same byte for byte', async () => {
    const r = await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q']);
    expect(r.code).toBe(0);
    const fitted = split(r.stdout);
    expect(Math.max(...fitted.table.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(fitted.table[0]).toMatch(/^Source +nSS +nSS FV ROI +nMSSI FV ROI +SS\/day FV ROI +MSSI\/day FV ROI$/);
    const whole = split(wide);
    expect(Math.max(...whole.table.map((l) => l.length))).toBeGreaterThan(190);
    expect(fitted.rest).toBe(whole.rest);
    expect(fitted.rest).toContain('Number of SS events expected\nN. SS / day:   31.20617783338511\n');
  });

  it.each([60, 80, 100, 120, 200, 300])('on a terminal of %i columns: no line of the table is longer, numbers whole', async (columns) => {
    const r = await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q'], onTerminal(columns));
    expect(r.code, r.stderr).toBe(0);
    const { table, rest } = split(r.stdout);
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(columns);
    expect(rest).toBe(split(wide).rest);
    // every FV ROI count of the whole table is in the fitted one, in its row
    const rowsOf = (t: string[]) => t.filter((l) => /^\S/.test(l) && !l.startsWith('Source'));
    const wideRows = rowsOf(split(wide).table);
    const mssiFvRoiAt = split(wide).table[0]!.split(/\s{2,}/).indexOf('MSSI/day FV ROI');
    expect(mssiFvRoiAt).toBeGreaterThan(0);
    const rows = rowsOf(table);
    expect(rows).toHaveLength(10);
    wideRows.forEach((w, i) => {
      const cells = w.split(/\s{2,}/);
      expect(rows[i]).toContain(` ${cells[3]} `); // nSS FV ROI
      // MSSI/day FV ROI: the last column of a fitted table (its ± follows it where there is room)
      expect(`${rows[i]} `).toContain(` ${cells[mssiFvRoiAt]} `);
      if (columns <= 120) expect(rows[i]!.endsWith(` ${cells[mssiFvRoiAt]}`)).toBe(true);
    });
    if (columns <= 60) expect(rows.some((l) => l.includes(ELLIPSIS))).toBe(true);
    if (columns >= 300) expect(table).toEqual(split(wide).table);
  });

  it('mssi merge prints the same fitted table', async () => {
    const runDir = join(tmp('merge'), 'run');
    expect((await mssi(['plan', LZ, '--shards', '1', '--out', runDir, '--rates', RATES])).code).toBe(0);
    expect((await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '--cache', cache, '-q'])).code).toBe(0);
    for (const columns of [80, 120]) {
      const merged = await mssi(['merge', runDir], onTerminal(columns));
      const local = await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q'], onTerminal(columns));
      expect(merged.code).toBe(0);
      expect(split(merged.stdout).table).toEqual(split(local.stdout).table);
    }
    expect(split((await mssi(['merge', runDir, '--wide'])).stdout).table).toEqual(split(wide).table);
  });
});

describe('mssi inspect: the tables fit the terminal', () => {
  it.each([60, 80, 100, 120, 200, 300])('at %i columns', async (columns) => {
    const r = await mssi(['inspect', NANO, join(LZ, 'SS_skim_K40_DomePMTs.root')], onTerminal(columns));
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('  ') && !l.includes(': '));
    expect(rows.length).toBeGreaterThan(100);
    for (const line of rows) expect(line.length, line).toBeLessThanOrEqual(columns);
    // BRANCH and TYPE always; the others as they fit
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('  BRANCH'));
    expect(headers).toHaveLength(3);
    for (const h of headers) expect(h).toMatch(/^ {2}BRANCH +TYPE\b/);
    if (columns >= 200) for (const h of headers) expect(h).toMatch(/ROOT TYPE +ENTRIES +BASKETS +ON DISK +UNCOMPRESSED +COMPRESSION$/);
  });

  it('shows a split object as such, members below it; in JSON it has no type and lists its members', async () => {
    const file = join(LZ, 'SS_skim_K40_DomePMTs.root');
    const r = await mssi(['inspect', file]);
    expect(r.stdout).toMatch(/\n {2}ss\. +split object \(members below\) +2000\b.*\n {2}ss\.fUniqueID +uint32/);
    expect(r.stdout).not.toMatch(/unsupported|does not decode/);
    const j = await mssi(['inspect', '--json', '--tree', 'Scatters', '--branches', 'ss.', file]);
    const [d] = JSON.parse(j.stdout) as { trees: { branches: Record<string, unknown>[] }[] }[];
    const parent = d!.trees[0]!.branches[0]!;
    expect(parent).toMatchObject({ name: 'ss.', type: null, rootType: 'RQ::SingleScatters' });
    expect(parent.splitMembers).toEqual(expect.arrayContaining(['ss.x_cm', 'ss.s2Area_phd']));
    expect(parent.unsupported).toMatch(/split object/);
  });

  it('--tree and --branches show only those; the selection is still judged on the whole file', async () => {
    const file = join(LZ, 'SS_skim_K40_DomePMTs.root');
    const r = await mssi(['inspect', file, '--tree', 'RQMCTruth', '--branches', 'mcTruthVertices.*Photons', '--branches', '*Weight']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('tree Scatters');
    expect(r.stdout).toContain('tree RQMCTruth "MC truth RQs": 2000 entries, 4 cluster(s), 3 of 15 branches');
    const names = r.stdout.split('\n').filter((l) => /^ {2}\S/.test(l) && !l.startsWith('  BRANCH')).map((l) => l.trim().split(/\s+/)[0]);
    expect(names).toEqual(['mcTruthVertices.detectedS1Photons', 'mcTruthVertices.detectedS2Photons', 'mcTruthEvent.eventWeight']);
    expect(r.stdout).toContain('MSSI selection: every branch it reads is here and readable');
    const none = await mssi(['inspect', file, '--branches', 'nothing*']);
    expect(none.stdout).toContain("no branch matches --branches 'nothing*'");
    const j = await mssi(['inspect', '--json', file, '--tree', 'Scatters', '--branches', 'ss.x*']);
    const [d] = JSON.parse(j.stdout) as { trees: { name: string; branches: { name: string }[] }[]; selection: { problem: string | null }[] }[];
    expect(d!.trees.map((t) => t.name)).toEqual(['Scatters']);
    expect(d!.trees[0]!.branches.map((b) => b.name)).toEqual(['ss.x_cm', 'ss.x_raw_cm']);
    expect(d!.selection.every((s) => s.problem === null)).toBe(true);
  });

  it('a --tree the file has not fails that file, naming its trees; a bad pattern is a usage error', async () => {
    const file = join(LZ, 'SS_skim_K40_DomePMTs.root');
    const r = await mssi(['inspect', file, '--tree', 'Events']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`mssi inspect: ${file}: no tree 'Events' (trees in the file: Scatters, RQMCTruth)\n`);
    const bad = await mssi(['inspect', file, '--branches', 'ss.[xy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--branches pattern "ss\.\[xy": \[ at 4 has no \]/);
  });
});

describe('the JSON report carries its provenance (mssi.report/3)', () => {
  it("has mssi's version, the selection hash and the selection, beside mssi.report/1's fields", async () => {
    const r = await mssi(['run', join(LZ, 'SS_skim_K40_DomePMTs.root'), '--rates', RATES, '--cache', cache, '-q', '--json']);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'schema',
      'mssiVersion',
      'selectionHash',
      'selection',
      'livetimeDays',
      'files',
      'failures',
      'sourcesWithoutRate',
      'emptyFiles',
      'totals',
    ]);
    expect(report.schema).toBe('mssi.report/3');
    expect(report.mssiVersion).toBe(version);
    expect(report.selectionHash).toBe(selectionHash(DEFAULT_SELECTION));
    expect(report.selection).toEqual(selectionLayout(DEFAULT_SELECTION));
    expect(report.selection).toMatchObject({ roi: { log10_cs2_max: 4.5 }, fv: { drift_us: [71, 1030] }, vertices: { skip_volume_substrings: ['Skin', 'Scint'] } });
    // the cache entries were made under the same selection
    const ls = JSON.parse((await mssi(['cache', 'ls', '--json', '--cache', cache])).stdout) as { entries: { selectionHash?: string }[] };
    for (const e of ls.entries) if (e.selectionHash !== undefined) expect(e.selectionHash).toBe(report.selectionHash);
  });
});

describe('an output that cannot be written: exit 5', () => {
  const noDir = () => join(tmp('nowhere'), 'no', 'such', 'dir', 'report.csv');

  it('--csv FILE in no folder: named on stderr, the table still printed, exit 5 (not 1)', async () => {
    const csv = noDir();
    const r = await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q', '--csv', csv]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`^mssi run: cannot write --csv ${csv.replace(/[.]/g, '\\.')}: ENOENT.*; the report is printed on stdout all the same\\n$`));
    expect(r.stdout).toBe((await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q'])).stdout);
  });

  it('a file failed and the CSV could not be written: 5 wins (the file asked for is not there); the failure is still reported', async () => {
    const r = await mssi(['run', join(LZ, 'SS_skim_K40_DomePMTs.root'), join(ROOT_DIR, 'fixtures', 'real', 'LICENSE'), '--rates', RATES, '--cache', cache, '-q', '--csv', noDir()]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('FAILED: 1 file(s):');
    expect(r.stderr).toContain('cannot write --csv');
  });

  it('stdout that cannot take the report (a full disk) exits 5, saying so', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" run "${LZ}" --rates "${RATES}" --cache "${cache}" -q > /dev/full`], { cwd: ROOT_DIR });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^mssi: cannot write the output to stdout: .*ENOSPC/);
  });

  it('mssi merge --out FILE that cannot be written: 5, also over 4 (shards missing); the table is printed', async () => {
    const runDir = join(tmp('merge5'), 'run');
    expect((await mssi(['plan', LZ, '--shards', '2', '--out', runDir, '--rates', RATES])).code).toBe(0);
    expect((await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '--cache', cache, '-q'])).code).toBe(0);
    const missing = await mssi(['merge', runDir]);
    expect(missing.code).toBe(4);
    // a folder that cannot be made (inside a regular file): --out's folder is created otherwise
    const file = join(tmp('notdir'), 'file');
    writeFileSync(file, '');
    const r = await mssi(['merge', runDir, '--out', join(file, 'report.json')]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('mssi merge: cannot write ');
    expect(r.stdout).toBe(missing.stdout);
  });
});
