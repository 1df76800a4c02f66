import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectionHash } from '../../src/cache/key.js';
import { mergeRun } from '../../src/shard/merge.js';
import { planHash, writePlan, type Plan } from '../../src/shard/plan.js';
import { modelHolding } from '../model/models.js';
import { readShardFile, SHARD_SCHEMA, shardFileText, writeShardFile, type ShardFile, type ShardTaskResult } from '../../src/shard/shardFile.js';
import { shardStatuses } from '../../src/shard/status.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const counts = (n: number) => ({ nSS: n, nSSFV: n - 1, nSSFVROI: 1, nMSSI: 2, nMSSIFV: 1, nMSSIFVROI: 0 });

/** Three files (none needs to exist: merge reads no input): a whole, b in two ranges over both shards, c whole. */
function plan(): Plan {
  const input = (name: string, size: number) => ({ path: `data/${name}.root`, absolutePath: `/data/${name}.root`, size, mtimeNs: '1' });
  return {
    schema: 'mssi.plan/1',
    shards: 2,
    mssiVersion: '0.1.0',
    selectionHash: selectionHash(DEFAULT_SELECTION),
    selection: DEFAULT_SELECTION,
    splitEntries: 100,
    rates: null,
    livetimeDays: null,
    totalBytes: 600,
    inputs: [input('SS_skim_A', 100), input('SS_skim_B', 400), input('SS_skim_C', 100)],
    tasks: [
      { id: 0, input: 0, range: null, bytes: 100, shard: 0 },
      { id: 1, input: 1, range: { start: 0, stop: 100 }, bytes: 160, shard: 1 },
      { id: 2, input: 1, range: { start: 100, stop: 250 }, bytes: 240, shard: 0 },
      { id: 3, input: 2, range: null, bytes: 100, shard: 1 },
    ],
  };
}

function done(task: number, entryStart: number, entryStop: number, fileEntries: number, n: number, contentHash = HASH_A): ShardTaskResult {
  return {
    task,
    path: `/data/${task}.root`,
    state: 'done',
    contentHash,
    fileEntries,
    entryStart,
    entryStop,
    counts: counts(n),
    model: modelHolding(counts(n)),
    eventWeight: entryStart === 0 ? 0.5 : null,
    backend: 'cpu',
    fromCache: false,
    timings: { readMs: 1, selectMs: 2, totalMs: 3, workerPeakRssBytes: 1000 },
  };
}

function shardFile(p: Plan, shard: number, tasks: ShardTaskResult[], hash = planHash(p)): ShardFile {
  return {
    schema: SHARD_SCHEMA,
    planHash: hash,
    shard,
    selectionHash: p.selectionHash,
    mssiVersion: '0.1.0',
    host: 'test',
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:01.000Z',
    tasks,
  };
}

const shard0 = () => [done(0, 0, 50, 50, 50), done(2, 100, 250, 250, 150)];
const shard1 = () => [done(1, 0, 100, 250, 100), done(3, 0, 70, 70, 70, HASH_B)];

function runDir(p: Plan, shards: Record<number, ShardTaskResult[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-merge-'));
  writePlan(dir, p);
  for (const [k, tasks] of Object.entries(shards)) writeShardFile(dir, shardFile(p, Number(k), tasks));
  return dir;
}

describe('merge', () => {
  it("joins each file's tasks, in the plan's order: a whole file as it is, a big file's ranges added", () => {
    const { outcome } = mergeRun(runDir(plan(), { 1: shard1(), 0: shard0() }));
    expect(outcome.failures).toEqual([]);
    expect(outcome.unreported).toEqual([]);
    expect(outcome.shards).toMatchObject({ total: 2, done: [0, 1], failed: [], missing: [], problems: [] });
    expect(outcome.results.map((r) => [r.path, r.source, r.contentHash, r.eventWeight])).toEqual([
      ['data/SS_skim_A.root', 'A', HASH_A, 0.5],
      ['data/SS_skim_B.root', 'B', HASH_A, 0.5], // entry 0's weight, from the range that starts there
      ['data/SS_skim_C.root', 'C', HASH_B, 0.5],
    ]);
    expect(outcome.results[1]!.counts).toEqual({ nSS: 250, nSSFV: 248, nSSFVROI: 2, nMSSI: 4, nMSSIFV: 2, nMSSIFVROI: 0 });
    expect(outcome.results[1]!.timings).toEqual({ readMs: 2, selectMs: 4, totalMs: 6, workerPeakRssBytes: 1000 });
    expect(outcome.results.every((r) => !r.fromCache)).toBe(true);
  });

  it('reports a missing shard, and leaves out the files with a task in it', () => {
    const dir = runDir(plan(), { 1: shard1() });
    const { outcome } = mergeRun(dir);
    expect(outcome.shards.missing).toEqual([0]);
    expect(outcome.shards.done).toEqual([1]);
    expect(outcome.unreported).toEqual(['data/SS_skim_A.root', 'data/SS_skim_B.root']);
    expect(outcome.results.map((r) => r.path)).toEqual(['data/SS_skim_C.root']);
    expect(shardStatuses(dir).map((s) => [s.shard, s.state, s.tasks, s.events])).toEqual([
      [0, 'missing', 2, 0],
      [1, 'done', 2, 170],
    ]);
  });

  it('reports a failed task as its file failing and its shard failed', () => {
    const failedB: ShardTaskResult = { task: 2, path: '/data/SS_skim_B.root', state: 'failed', error: '/data/SS_skim_B.root: truncated' };
    const dir = runDir(plan(), { 0: [shard0()[0]!, failedB], 1: shard1() });
    const { outcome } = mergeRun(dir);
    expect(outcome.failures).toEqual([{ path: 'data/SS_skim_B.root', message: '/data/SS_skim_B.root: truncated' }]);
    expect(outcome.results.map((r) => r.path)).toEqual(['data/SS_skim_A.root', 'data/SS_skim_C.root']);
    expect(outcome.shards).toMatchObject({ done: [1], failed: [0], missing: [] });
    expect(shardStatuses(dir)[0]).toEqual({ shard: 0, state: 'failed', tasks: 2, failedTasks: 1, events: 50 });
  });

  it('fails a file whose ranges were read from different contents', () => {
    const s1 = shard1();
    s1[0] = done(1, 0, 100, 250, 100, HASH_B);
    const { outcome } = mergeRun(runDir(plan(), { 0: shard0(), 1: s1 }));
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]!.message).toMatch(/^data\/SS_skim_B\.root: its entry ranges were read from different contents \(entries 0 to 100: bbbbbbbbbbbb, entries 100 to 250: aaaaaaaaaaaa\): the file changed during the run/);
  });

  it('refuses (as missing, saying why) a shard file of another plan, of another shard, with an unplanned, misplaced or doubled result', () => {
    const p = plan();
    const cases: [ShardFile, RegExp][] = [
      [shardFile(p, 0, shard0(), 'c'.repeat(64)), /shards\/0\.json: a result of another plan \(plan hash c{64}; this plan's is [0-9a-f]{64}\): run shard 0 again/],
      [shardFile(p, 1, shard0()), /shards\/0\.json: holds the results of shard 1, not of shard 0/],
      [shardFile(p, 0, [...shard0(), done(9, 0, 1, 1, 1)]), /a result for task 9, which the plan does not have \(it has tasks 0 to 3\)/],
      [shardFile(p, 0, [shard0()[0]!, shard1()[0]!]), /a result for task 1, which the plan gives to shard 1/],
      [shardFile(p, 0, [...shard0(), shard0()[0]!]), /two results for task 0/],
      [shardFile(p, 0, [shard0()[0]!]), /no result for task\(s\) 2 of the shard/],
    ];
    for (const [file, problem] of cases) {
      const dir = runDir(p, { 1: shard1() });
      mkdirSync(join(dir, 'shards'), { recursive: true });
      writeFileSync(join(dir, 'shards', '0.json'), shardFileText(file));
      const { outcome } = mergeRun(dir);
      expect(outcome.shards.missing, String(problem)).toEqual([0]);
      expect(outcome.shards.problems).toHaveLength(1);
      expect(outcome.shards.problems[0]!.shard).toBe(0);
      expect(outcome.shards.problems[0]!.problem).toMatch(problem);
      expect(outcome.results.map((r) => r.path)).toEqual(['data/SS_skim_C.root']);
    }
  });

  it('names shard files of shards the plan does not have, and ignores temporaries', () => {
    const p = plan();
    const dir = runDir(p, { 0: shard0(), 1: shard1() });
    writeFileSync(join(dir, 'shards', '7.json'), '{}');
    writeFileSync(join(dir, 'shards', '0.json.123.abc.tmp'), '{"half');
    const { outcome } = mergeRun(dir);
    expect(outcome.shards.strays).toEqual([`${join(dir, 'shards', '7.json')}: the plan has shards 0 to 1 only; ignored`]);
    expect(outcome.shards.missing).toEqual([]);
    expect(outcome.results).toHaveLength(3);
  });
});

describe('shard files', () => {
  it('keep a NaN eventWeight and read back what was written', () => {
    const p = plan();
    const dir = mkdtempSync(join(tmpdir(), 'mssi-shardfile-'));
    const task = { ...(done(0, 0, 50, 50, 50) as Extract<ShardTaskResult, { state: 'done' }>), eventWeight: NaN };
    const file = shardFile(p, 0, [task]);
    const path = writeShardFile(dir, file);
    expect(path).toBe(join(dir, 'shards', '0.json'));
    const back = readShardFile(path);
    expect(back).toEqual(file);
    expect((back.tasks[0] as typeof task).eventWeight).toBeNaN();
  });

  it('are refused field by field when damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-shardfile-'));
    const path = join(dir, '0.json');
    const good = shardFile(plan(), 0, shard0());
    const cases: [(o: any) => void, string][] = [
      [(o) => (o.schema = 'x'), 'schema: expected "mssi.shard/2", got "x"'],
      [(o) => (o.tasks[1].counts.nMSSI = 1.5), 'tasks[1].counts.nMSSI: expected an integer >= 0, got 1.5'],
      [(o) => (o.tasks[0].state = 'half'), 'tasks[0].state: expected "done" or "failed", got "half"'],
      [(o) => (o.tasks[0].entryStop = 99), "tasks[0].entryStop: is 99, past the file's 50 entries"],
      [(o) => (o.tasks[1].contentHash = 'xyz'), 'tasks[1].contentHash: expected a SHA-256 in hex, got "xyz"'],
      [(o) => (o.planHash = null), 'planHash: expected a SHA-256 in hex, got null'],
      // the model's counts: checked as the cache checks them, and against the task's counts
      [(o) => (o.tasks[0].model.ss.cells[0][0] = 10004), 'tasks[0].model.ss.cells[0]: expected a cell index above -1 and below 10004, got 10004'],
      [(o) => (o.tasks[0].model.ss.cells[0][1] = 0.5), 'tasks[0].model.ss.cells[0]: expected a count (an integer >= 1), got 0.5'],
      [(o) => delete o.tasks[1].model, "tasks[1].model: expected the model's counts {x, y, ss, mssi}, got nothing (the field is missing)"],
      [(o) => (o.tasks[1].model.ss.nan = 1), 'tasks[1].model.ss: holds 2 events (cells and NaN tally), the counts say nSSFVROI 1'],
    ];
    for (const [edit, message] of cases) {
      const o = JSON.parse(shardFileText(good));
      edit(o);
      writeFileSync(path, JSON.stringify(o));
      expect(() => readShardFile(path), message).toThrow(`${path}: ${message}`);
    }
  });
});
