import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { mssi as builtMssi } from './runCli.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'mssi-cli-sim-'));
  dirs.push(d);
  return d;
}

/** Runs `mssi ...args` in this process; returns its exit code and output. */
async function mssi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    process.exitCode = 0;
    await main(['node', 'mssi', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('mssi simulate', () => {
  it('writes one file per source of the default rates table and prints their paths', async () => {
    const out = tempDir();
    const r = await mssi('simulate', out, '-n', '300', '--cluster-size', '100', '--basket-size', '512', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = readdirSync(out).sort();
    expect(names).toHaveLength(10);
    expect(names).toContain('SS_skim_K40_DomePMTs.root');
    expect(r.stdout.trim().split('\n').sort()).toEqual(names.map((n) => join(out, n)));
    for (const n of names) {
      const bytes = statSync(join(out, n)).size;
      expect(bytes).toBeGreaterThan(1000);
    }
  });

  it('takes a rates table, a source subset, the flat layout and other compressions', async () => {
    const d = tempDir();
    const csv = join(d, 'r.csv');
    writeFileSync(csv, 'Source,Rate (Decays/day)\nCo60_Foo,1\nK40_Bar,2\n');
    for (const algorithm of ['none', 'zlib', 'lz4']) {
      const out = join(d, algorithm);
      const r = await mssi('simulate', out, '--rates', csv, '--source', 'K40_Bar', '--layout', 'flat', '--compression', algorithm, '--level', '4', '-n', '200', '-q');
      expect(r.stderr, algorithm).toBe('');
      expect(readdirSync(out)).toEqual(['SS_skim_K40_Bar.root']);
    }
  });

  it.each([
    [['-n', 'many'], /--events/],
    [['-n', '-5'], /--events/],
    [['--layout', 'columnar'], /--layout/],
    [['--compression', 'lzma'], /--compression/],
    [['--compression', 'brotli'], /--compression/],
    [['--level', '11'], /--level/],
    [['--cluster-size', '0'], /--cluster-size/],
    [['--basket-size', '1x'], /--basket-size/],
    [['--seed', '1.5'], /--seed/],
    [['--source', 'Nope'], /--source: Nope not in the rates table/],
    [['--rates', '/no/such/rates.csv'], /rates table \/no\/such\/rates.csv: cannot be read/],
    [['--bogus'], /unknown option/],
  ])('exits 2 for %j', async (args, message) => {
    const out = tempDir();
    const r = await mssi('simulate', out, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(out)).toEqual([]);
  });

  it('exits 2 for a missing or unusable OUTDIR', async () => {
    expect((await mssi('simulate')).code).toBe(2);
    const file = join(tempDir(), 'f');
    writeFileSync(file, '');
    const r = await mssi('simulate', file, '-n', '10');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`output directory ${file}: exists and is not a directory`);
    expect(existsSync(join(file))).toBe(true);
  });

  it('shows its options in --help', async () => {
    const r = await mssi('simulate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--cluster-size/);
    expect(r.stdout).toMatch(/Exit status/);
  });

  it('writes zstd files with the built CLI (plain Node ESM), and `mssi run` reads back the counts it wrote', async () => {
    // the writer's zstd package is a UMD build: under vitest's loader its named exports
    // exist, under plain Node they did not ("zstd.ZstdInit is not a function")
    const d = tempDir();
    const csv = join(d, 'r.csv');
    writeFileSync(csv, 'Source,Rate (Decays/day)\nCo60_Foo,1\nK40_Bar,2\n');
    const out = join(d, 'zstd');
    const counts = join(d, 'counts.json');
    const sim = await builtMssi(['simulate', out, '--rates', csv, '--compression', 'zstd', '--level', '3', '-n', '500', '--basket-size', '4000', '--counts', counts, '-q']);
    expect(sim.stderr).toBe('');
    expect(sim.code).toBe(0);
    const run = await builtMssi(['run', out, '--rates', csv, '--json', '--no-cache']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { files: { path: string; counts: Record<string, number> }[] };
    const written = JSON.parse(readFileSync(counts, 'utf8')) as { files: ({ file: string } & Record<string, number | string>)[] };
    expect(report.files).toHaveLength(2);
    for (const f of written.files) {
      const got = report.files.find((r) => r.path === join(out, f.file));
      const { file: _file, source: _source, eventWeight: _w, ...want } = f;
      expect(got?.counts, f.file).toEqual(want);
    }
  });
});
