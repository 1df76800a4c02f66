// plan / shard / merge as a user (or a scheduler) runs them: each shard a separate
// process, in any order, one twice; the merged report against a local `mssi run`.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCacheStore } from '../../src/cache/store.js';
import { BIN, mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const OPEN_LOG_HOOK = join(ROOT_DIR, 'test', 'cli', 'openLog.mjs');
const fixtureNames = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort();
/** As a user types them, from the package folder (the CLI runs there): relative paths. */
const fixtureArgs = fixtureNames.map((f) => `fixtures/lz/${f}`);
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-shard-${tag}-`));

type Json = Record<string, any>;

function parsed(r: { stdout: string; stderr: string; code: number | null }): Json {
  try {
    return JSON.parse(r.stdout) as Json;
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}): ${r.stderr}`);
  }
}

/** The report without what may differ between a merged and a local run: fromCache (and merge's own shards field). */
function comparable(report: Json): Json {
  const copy = structuredClone(report);
  delete copy.shards;
  for (const f of copy.files) {
    delete f.fromCache;
    delete f.timings;
  }
  return copy;
}

async function plan(files: string[], runDir: string, ...more: string[]): Promise<Json> {
  const r = await mssi(['plan', ...files, '--shards', '3', '--out', runDir, '--rates', RATES, '-j', '2', ...more]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(readFileSync(join(runDir, 'plan.json'), 'utf8')) as Json;
}

const runShard = (runDir: string, k: number, more: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', String(k), '-j', '2', ...more], env);

const merge = (runDir: string, more: string[] = []) => mssi(['merge', runDir, ...more]);

const shardFile = (runDir: string, k: number) => JSON.parse(readFileSync(join(runDir, 'shards', `${k}.json`), 'utf8')) as Json;

describe('plan, shards as plain processes, merge', () => {
  let local: Json;
  let localCsv: string;
  beforeAll(async () => {
    const cache = tmp('local-cache');
    local = parsed(await mssi(['run', ...fixtureArgs, '--rates', RATES, '--json', '-q', '--cache', cache]));
    const csv = join(cache, 'report.csv');
    await mssi(['run', ...fixtureArgs, '--rates', RATES, '--csv', csv, '-q', '--cache', cache]);
    localCsv = readFileSync(csv, 'utf8');
  });

  it('gives, with shards run in any order and one twice, the report of a local run (JSON field for field, CSV byte for byte)', async () => {
    const runDir = tmp('lz');
    const cache = tmp('lz-cache');
    const p = await plan(fixtureArgs, runDir);
    expect(p.tasks.map((t: Json) => t.shard).sort()).toEqual(expect.arrayContaining([0, 1, 2]));
    for (const k of [2, 0, 1]) {
      const r = await runShard(runDir, k, ['--cache', cache]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^shard ${k} of 3: \\d+ task\\(s\\), \\d+ done \\(0 from the cache\\), 0 failed`));
      // progress as plain lines (not a terminal): it lands in a job's log
      expect(r.stderr).toMatch(/^\[1\/\d+\] .*\.root: 2000 events \(\d+\.\d\d s\)$/m);
    }
    const first = await merge(runDir, ['--json']);
    expect(first.code, first.stderr).toBe(0);
    const merged = parsed(first);
    expect(comparable(merged)).toEqual(comparable(local));
    expect(merged.shards).toEqual({ total: 3, done: [0, 1, 2], failed: [], missing: [], problems: [], strays: [], unreportedFiles: [] });

    // shard 0 again: all from the cache, the same report
    const again = await runShard(runDir, 0, ['--cache', cache]);
    expect(again.code, again.stderr).toBe(0);
    expect(shardFile(runDir, 0).tasks.every((t: Json) => t.fromCache)).toBe(true);
    const second = parsed(await merge(runDir, ['--json']));
    expect(comparable(second)).toEqual(comparable(local));

    const csv = join(runDir, 'report.csv');
    const out = join(runDir, 'report.json');
    const text = await merge(runDir, ['--csv', csv, '--out', out]);
    expect(text.code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe(localCsv);
    expect(comparable(JSON.parse(readFileSync(out, 'utf8')))).toEqual(comparable(local));
    expect(text.stdout).toContain('Number of MSSI events expected');
    expect(text.stdout).toContain('10 file(s) processed');

    const status = parsed(await mssi(['status', runDir, '--json']));
    expect(status).toMatchObject({ shards: 3, tasks: 10, done: 3, failed: 0, missing: 0, events: 20000, scheduler: null });
  });

  it('exits 4 naming a missing shard, and leaves its files out', async () => {
    const runDir = tmp('missing');
    const cache = tmp('missing-cache');
    const p = await plan(fixtureArgs, runDir);
    for (const k of [0, 2]) expect((await runShard(runDir, k, ['--cache', cache])).code).toBe(0);
    const r = await merge(runDir, ['--json']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`mssi merge: 1 of 3 shard(s) missing: 1; `);
    const report = parsed(r);
    const ofShard1 = p.tasks.filter((t: Json) => t.shard === 1).map((t: Json) => p.inputs[t.input].path);
    expect(report.shards).toMatchObject({ done: [0, 2], missing: [1], unreportedFiles: ofShard1 });
    expect(report.files.map((f: Json) => f.path)).toEqual(fixtureArgs.filter((f) => !ofShard1.includes(f)));
    const status = await mssi(['status', runDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/shards: 2 done, 0 failed, 1 missing; 14000 events done/);
    expect(status.stdout).toMatch(/^1 +missing/m);
    // submitted through a scheduler (its driver writes RUN_DIR/slurm.json): status asks the driver too
    writeFileSync(join(runDir, 'slurm.json'), '{}');
    const withScheduler = await mssi(['status', runDir, '--json']);
    expect(withScheduler.code, withScheduler.stderr).toBe(0);
    const json = parsed(withScheduler);
    expect(json.scheduler.name).toBe('slurm');
    expect(json.shardStates.map((s: Json) => [s.shard, s.state, 'scheduler' in s])).toEqual([
      [0, 'done', true],
      [1, 'missing', true],
      [2, 'done', true],
    ]);
  });

  it('exits 1 when a file failed (and the shard that ran it exits 1 too), and fails a file changed since it was planned', async () => {
    const data = tmp('bad-data');
    const files = fixtureNames.slice(0, 4).map((n) => {
      copyFileSync(join(LZ, n), join(data, n));
      return join(data, n);
    });
    const bad = join(data, 'SS_skim_bad.root');
    writeFileSync(bad, 'not a ROOT file, just text\n');
    const runDir = tmp('bad');
    const p = await plan([...files, bad], runDir, '--livetime', '100');
    utimesSync(files[1]!, 1_600_000_000, 1_600_000_000); // after planning
    const codes: number[] = [];
    for (const k of [0, 1, 2]) codes.push((await runShard(runDir, k, ['--no-cache'])).code!);
    const shardOf = (path: string) => p.tasks.find((t: Json) => p.inputs[t.input].path === path).shard as number;
    const failing = new Set([shardOf(bad), shardOf(files[1]!)]);
    expect(codes).toEqual([0, 1, 2].map((k) => (failing.has(k) ? 1 : 0)));
    const r = await merge(runDir, ['--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = parsed(r);
    expect(report.livetimeDays).toBe(100); // the plan's
    expect(report.failures.map((f: Json) => f.path)).toEqual([files[1], bad]);
    expect(report.failures[0].error).toMatch(/changed since it was planned .*; plan the run again$/);
    expect(report.failures[1].error).toMatch(/SS_skim_bad\.root.*not a ROOT file/);
    expect(report.shards.failed).toEqual([...failing].sort());
    expect(report.files.map((f: Json) => f.path)).toEqual([files[0], files[2], files[3]]);
    expect(report.files.every((f: Json) => f.contentHash === null)).toBe(true); // --no-cache: not hashed
  });

  it('refuses a shard out of range, a second plan in the same folder and a plan for another selection, saying what to do', async () => {
    const runDir = tmp('refuse');
    await plan(fixtureArgs.slice(0, 2), runDir);
    const out = await runShard(runDir, 3, ['--no-cache']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--shard 3: the plan');
    expect(out.stderr).toContain('has shards 0 to 2');
    // another plan in the same folder is refused by plan; a shard file of another plan by merge
    const other = await mssi(['plan', ...fixtureArgs.slice(0, 3), '--shards', '3', '--out', runDir]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/already holds another plan \(with 0 shard result\(s\)\)/);
    const text = readFileSync(join(runDir, 'plan.json'), 'utf8');
    writeFileSync(join(runDir, 'plan.json'), text.replace(/"selectionHash": "[0-9a-f]+"/, `"selectionHash": "${'e'.repeat(64)}"`));
    const r = await runShard(runDir, 0, ['--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`the plan is for selection e{64} .*this mssi .* has selection [0-9a-f]{64}\\. Plan again`));
    expect((await merge(runDir)).code).toBe(2);
  });
});

describe('a big file cut into ranges over several shards', () => {
  let data: string;
  let big: string;
  beforeAll(async () => {
    data = tmp('sim');
    const r = await mssi(['simulate', data, '--source', 'K40_DomePMTs', '-n', '300000', '--cluster-size', '20000']);
    expect(r.code, r.stderr).toBe(0);
    big = join(data, 'SS_skim_K40_DomePMTs.root');
    for (const n of fixtureNames.slice(0, 3)) copyFileSync(join(LZ, n), join(data, n));
  });

  it('merges its ranges into the report of a local run, and a re-run of a finished shard opens no input file', async () => {
    const files = [big, ...fixtureNames.slice(0, 3).map((n) => join(data, n))];
    const runDir = tmp('sim-run');
    const p = await plan(files, runDir, '--split-entries', '50000');
    const ranges = p.tasks.filter((t: Json) => t.input === 0);
    expect(ranges.length).toBeGreaterThan(3);
    expect(ranges.every((t: Json) => t.range !== null && t.range.start % 20000 === 0)).toBe(true);
    expect(new Set(ranges.map((t: Json) => t.shard)).size).toBe(3);

    const log = join(tmp('openlog'), 'opened.txt');
    const env = { NODE_OPTIONS: `--import=${OPEN_LOG_HOOK}`, MSSI_TEST_OPEN_LOG_DIR: data, MSSI_TEST_OPEN_LOG: log, MSSI_CACHE: '' };
    for (const k of [1, 2, 0]) {
      const r = await runShard(runDir, k, [], env); // the default cache: RUN_DIR/cache
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/SS_skim_K40_DomePMTs\.root \(entries \d+ to \d+\): \d+ events/);
    }
    expect(existsSync(join(runDir, 'cache', 'v1', 'entries'))).toBe(true);
    // the hook sees the reads: every file was opened, by the shard (hashing) and by its workers
    const opened = readFileSync(log, 'utf8');
    for (const f of files) expect(opened).toContain(f);
    expect(new Set(opened.trim().split('\n').map((l) => l.split(' ')[0])).size).toBeGreaterThan(3);

    const localRun = parsed(await mssi(['run', ...files, '--rates', RATES, '--json', '-q', '--cache', tmp('sim-local')]));
    const merged = parsed(await merge(runDir, ['--json']));
    expect(comparable(merged)).toEqual(comparable(localRun));
    expect(merged.files[0].counts.nSS).toBe(300000); // every entry of the big file, once

    // again, every shard: everything from the cache, and not one open of an input file
    rmSync(log);
    for (const k of [0, 1, 2]) {
      const r = await runShard(runDir, k, [], env);
      expect(r.code, r.stderr).toBe(0);
      expect(shardFile(runDir, k).tasks.every((t: Json) => t.fromCache && t.timings.readMs === 0)).toBe(true);
    }
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
    expect(comparable(parsed(await merge(runDir, ['--json'])))).toEqual(comparable(localRun));
  });
});

describe('a shard killed mid-run', () => {
  it('stopped by SIGTERM (a scheduler\'s cancel or time limit), exits 143 and writes no shard file', async () => {
    const runDir = tmp('term');
    expect((await mssi(['plan', ...fixtureArgs.slice(0, 2), '--shards', '1', '--out', runDir])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '-j', '1', '--no-cache'], {
      cwd: ROOT_DIR,
      env: { ...process.env, MSSI_TEST_HANG_ON: fixtureNames[0]! },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(143);
    expect(stderr).toMatch(/mssi run: shard 0 interrupted by SIGTERM after \d of 2 tasks; no shard file written; nothing was cached \(--no-cache\)/);
    expect(existsSync(join(runDir, 'shards', '0.json'))).toBe(false);
  });

  it('leaves no shard file and no partial cache entry; run again, it completes from what finished', async () => {
    const data = tmp('kill-data');
    const files = fixtureNames.slice(0, 4).map((n) => {
      copyFileSync(join(LZ, n), join(data, n));
      return join(data, n);
    });
    const runDir = tmp('kill');
    const cache = tmp('kill-cache');
    const r = await mssi(['plan', ...files, '--shards', '1', '--out', runDir]);
    expect(r.code, r.stderr).toBe(0);
    // one file never finishes (its worker hangs inside the task, as on a stuck read); the others do
    const hung = fixtureNames[2]!;
    const child = spawn(process.execPath, [BIN, 'run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '-j', '2', '--cache', cache], {
      cwd: ROOT_DIR,
      env: { ...process.env, MSSI_TEST_HANG_ON: hung },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no file finished: ${stderr}`)), 60_000);
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (/^\[3\/4\]/m.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));

    expect(readdirSync(join(runDir)).includes('shards') ? readdirSync(join(runDir, 'shards')) : []).toEqual([]);
    const store = new LocalCacheStore(cache);
    const entries = store.list();
    expect(entries.map((e) => e.problem)).toEqual([null, null, null]);
    expect(entries.map((e) => e.result!.computedFrom).sort()).toEqual(files.filter((f) => !f.endsWith(hung)).sort());
    const leftovers = readdirSync(cache, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
    const m = await merge(runDir, ['--rates', RATES]);
    expect(m.code).toBe(4);
    expect(m.stderr).toContain('1 of 1 shard(s) missing: 0');

    const again = await mssi(['run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '-j', '2', '--cache', cache]);
    expect(again.code, again.stderr).toBe(0);
    expect(shardFile(runDir, 0).tasks.map((t: Json) => t.fromCache)).toEqual(files.map((f) => !f.endsWith(hung)));
    expect((await merge(runDir, ['--rates', RATES])).code).toBe(0);
  });
});
