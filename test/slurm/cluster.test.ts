// mssi submit --slurm on a real Slurm: the one-node cluster of .ci/start-slurm.sh.
// Without it these tests skip (the reason is in the suite's name and on the
// console); under CI=true they run, and fail when it is not there.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSlurmRecord, jobIdsOf, type SlurmRunRecord } from '../../src/slurm/runRecord.js';
import { mssi, ROOT_DIR, type CliResult } from '../cli/runCli.js';
import { finishedJob, probeTestCluster, slurmCommand, stillQueued, waitForJobs, waitUntil } from './testCluster.js';

const cluster = await probeTestCluster();
const inCI = process.env.CI === 'true';
const skip = !cluster.ok && !inCI;
if (skip) console.log(`test/slurm/cluster.test.ts: Slurm tests SKIPPED: ${cluster.reason}`);

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const FIXTURES = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-slurm-${tag}-`));

type Json = Record<string, unknown>;

function check(r: CliResult, code = 0): CliResult {
  expect(r.code, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(code);
  return r;
}

/** A local `mssi run --json` of the same files: what the merged report must equal. */
async function localReport(files: readonly string[], more: string[] = []): Promise<Json> {
  const r = check(await mssi(['run', ...files, '--rates', RATES, '--json', '--quiet', '--cache', tmp('localcache'), '--jobs', '1', ...more]));
  return JSON.parse(r.stdout) as Json;
}

/** The local report's fields, from a report; a file's fromCache and any timings left out. */
function comparable(report: Json, fields: Json): Json {
  const out: Json = {};
  for (const key of Object.keys(fields)) out[key] = report[key];
  out.files = (report.files as Json[]).map(({ fromCache: _c, timings: _t, ...rest }) => rest);
  return out;
}

function record(runDir: string): SlurmRunRecord {
  const r = readSlurmRecord(runDir);
  if (!r) throw new Error(`${runDir}: no slurm.json`);
  return r;
}

/** Waits until every job of the run's latest submission has left the queue; the merge job's final state. */
async function waitForRun(runDir: string) {
  const latest = record(runDir).submissions.at(-1)!;
  await waitForJobs([...latest.arrays.map((a) => a.jobId), latest.mergeJobId]);
  return { merge: await finishedJob(latest.mergeJobId), mergeJobId: latest.mergeJobId };
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;

const title = skip ? `mssi submit --slurm on a real Slurm (SKIPPED: ${cluster.reason})` : 'mssi submit --slurm on the test Slurm cluster';
// Each test waits for jobs (bounded by waitForJobs); the hooks simulate and run locally.
describe.skipIf(skip)(title, { timeout: 300_000 }, () => {
  let lzLocal: Json;

  beforeAll(async () => {
    if (!cluster.ok) throw new Error(`CI=true, and the Slurm tests cannot run: ${cluster.reason}`);
    lzLocal = await localReport(FIXTURES);
  });

  it('runs fixtures/lz as two arrays (MaxArraySize 6) and a merge job whose report equals a local run', async () => {
    const out = tmp('lz');
    const r = check(await mssi(['submit', '--slurm', ...FIXTURES, '--rates', RATES, '--out', out, '--shards', '10', '--max-running', '2']));
    const rec = record(out);
    const arrays = rec.submissions[0]!.arrays;
    expect(arrays.map((a) => [a.offset, a.spec])).toEqual([
      [0, '0-5%2'],
      [6, '0-3%2'],
    ]);
    expect(r.stdout).toContain(`squeue -j ${jobIdsOf(rec).join(',')}`);
    const { merge, mergeJobId } = await waitForRun(out);
    expect(merge.state, JSON.stringify(merge)).toBe('COMPLETED');
    expect(merge.exitStatus).toBe(0);

    const report = readJson(join(out, 'report.json'));
    expect(comparable(report, lzLocal)).toEqual(comparable(lzLocal, lzLocal));
    expect(readdirSync(join(out, 'shards')).sort()).toEqual(Array.from({ length: 10 }, (_, k) => `${k}.json`).sort());
    const mergeLog = readFileSync(join(out, 'logs', `merge-${mergeJobId}.out`), 'utf8');
    expect(mergeLog).toContain(`mssi merge: exit 0: the report is complete: ${out}/report.json`);
    // each task logged to RUN_DIR/logs/, as the shard it ran
    expect(readFileSync(join(out, 'logs', `shard-${arrays[1]!.jobId}_3.out`), 'utf8')).toMatch(/^mssi: shard 9 of 10 /);

    const status = check(await mssi(['status', out]));
    expect(status.stdout).toMatch(/COMPLETED job \d+_\d+/);
  });

  it('reports exactly a cancelled shard missing (the merge exits 4); --resume runs only it and the report is then equal', async () => {
    const out = tmp('cancel');
    check(await mssi(['submit', '--slurm', ...FIXTURES, '--rates', RATES, '--out', out, '--shards', '3', '--sbatch-arg=--hold']));
    const first = record(out).submissions[0]!;
    const arrayId = first.arrays[0]!.jobId;
    // held: nothing has run; cancel task 1 before it runs, then let the rest go
    expect(await stillQueued([arrayId])).toEqual([`${arrayId}_0 PENDING`, `${arrayId}_1 PENDING`, `${arrayId}_2 PENDING`]);
    await slurmCommand('scancel', [`${arrayId}_1`]);
    await slurmCommand('scontrol', ['release', `${arrayId}`, `${first.mergeJobId}`]);
    const { merge, mergeJobId } = await waitForRun(out);
    expect([merge.state, merge.exitStatus]).toEqual(['FAILED', 4]);
    expect(readdirSync(join(out, 'shards')).sort()).toEqual(['0.json', '2.json']);
    const partial = readJson(join(out, 'report.json'));
    expect((partial.shards as Json).missing).toEqual([1]);
    expect(readFileSync(join(out, 'logs', `merge-${mergeJobId}.out`), 'utf8')).toContain(`mssi merge: exit 4: shards are missing; run them with: mssi submit --slurm --resume ${out}`);

    // resubmitted held, so that it is surely still queued when resumed again
    const resumed = check(await mssi(['submit', '--slurm', '--resume', out, '--sbatch-arg=--hold']));
    expect(resumed.stderr).toContain('resubmitting 1 of 3 shards: 1 (missing)');
    const second = record(out).submissions[1]!;
    expect(second.arrays.map((a) => [a.offset, a.spec])).toEqual([[0, '1']]);
    const again = check(await mssi(['submit', '--slurm', '--resume', out]), 2);
    expect(again.stderr).toContain(
      `jobs of this run are still in the queue: PENDING (JobHeldUser) job ${second.arrays[0]!.jobId}_1, PENDING (JobHeldUser) job ${second.mergeJobId};`,
    );
    expect(record(out).submissions).toHaveLength(2);
    await slurmCommand('scontrol', ['release', `${second.arrays[0]!.jobId}`, `${second.mergeJobId}`]);
    const after = await waitForRun(out);
    expect([after.merge.state, after.merge.exitStatus]).toEqual(['COMPLETED', 0]);
    expect(comparable(readJson(join(out, 'report.json')), lzLocal)).toEqual(comparable(lzLocal, lzLocal));

    const nothing = check(await mssi(['submit', '--slurm', '--resume', out]), 2);
    expect(nothing.stderr).toContain('nothing to resume: all 3 shards');
  });

  describe('a simulated set with big files cut into entry ranges', () => {
    let big: string;
    let small: string[];
    let huge: string;

    beforeAll(async () => {
      const dir = tmp('sim');
      check(await mssi(['simulate', join(dir, 'big'), '--source', 'K40_DomePMTs', '-n', '300000', '--cluster-size', '20000', '--quiet']));
      check(await mssi(['simulate', join(dir, 'small'), '--source', 'Co60_DomePMTs', '--source', 'U238-late_AnodeGridWires', '-n', '20000', '--quiet']));
      check(await mssi(['simulate', join(dir, 'huge'), '--source', 'Th232-late_HVInnerCone', '-n', '1000000', '--cluster-size', '20000', '--quiet']));
      big = join(dir, 'big', 'SS_skim_K40_DomePMTs.root');
      small = readdirSync(join(dir, 'small')).sort().map((f) => join(dir, 'small', f));
      huge = join(dir, 'huge', 'SS_skim_Th232-late_HVInnerCone.root');
    });

    it('runs the ranges of one big file in several shards; the merged report equals a local run', async () => {
      const files = [...small, big];
      const out = tmp('split');
      check(await mssi(['submit', '--slurm', ...files, '--rates', RATES, '--out', out, '--shards', '3', '--split-entries', '50000']));
      const plan = readJson(join(out, 'plan.json'));
      const bigTasks = (plan.tasks as Json[]).filter((t) => t.input === 2);
      expect(bigTasks.length).toBeGreaterThan(3);
      expect(new Set(bigTasks.map((t) => t.shard)).size).toBe(3);
      const { merge } = await waitForRun(out);
      expect([merge.state, merge.exitStatus]).toEqual(['COMPLETED', 0]);
      const local = await localReport(files, ['--split-entries', '50000']);
      expect(comparable(readJson(join(out, 'report.json')), local)).toEqual(comparable(local, local));
    });

    it('a task cancelled while it reads a file leaves no shard file and no partial cache entry', async () => {
      const out = tmp('kill');
      check(await mssi(['submit', '--slurm', huge, '--rates', RATES, '--out', out, '--shards', '2', '--split-entries', '50000']));
      const rec = record(out);
      const arrayId = rec.submissions[0]!.arrays[0]!.jobId;
      const plan = readJson(join(out, 'plan.json'));
      const tasksOf0 = (plan.tasks as Json[]).filter((t) => t.shard === 0).length;
      expect(tasksOf0).toBeGreaterThan(4);
      const log = join(out, 'logs', `shard-${arrayId}_0.out`);
      const rangesDone = (path = log) => (existsSync(path) ? (readFileSync(path, 'utf8').match(/^\[\d+\/\d+\] /gm) ?? []).length : 0);
      // mid-file: the task has finished a range of the file, not all of them
      await waitUntil(`a range done in ${log}`, () => rangesDone() >= 1, 120_000, 20);
      await slurmCommand('scancel', [`${arrayId}_0`]);
      const { merge } = await waitForRun(out);
      expect((await finishedJob(`${arrayId}_0`)).state).toBe('CANCELLED');
      expect(rangesDone(), 'the task finished before it was cancelled: the file is too small for this test').toBeLessThan(tasksOf0);
      expect(readFileSync(log, 'utf8')).toMatch(/interrupted by SIGTERM/);
      expect([merge.state, merge.exitStatus]).toEqual(['FAILED', 4]);

      // no shard file for it, nothing half-written anywhere
      expect(readdirSync(join(out, 'shards'))).toEqual(['1.json']);
      const leftovers = (dir: string): string[] =>
        readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp|tmp-|\.partial/.test(f));
      expect(leftovers(out)).toEqual([]);
      // every cache entry reads back whole, and the shard run again completes the run
      check(await mssi(['cache', 'verify', '--cache', rec.cache]));
      // the ranges it finished were cached whole, the one it was reading not at all:
      // run again, the shard finds exactly those in the cache
      const cached = rangesDone();
      check(await mssi(['submit', '--slurm', '--resume', out]));
      const after = await waitForRun(out);
      expect([after.merge.state, after.merge.exitStatus]).toEqual(['COMPLETED', 0]);
      const again = readFileSync(join(out, 'logs', `shard-${record(out).submissions[1]!.arrays[0]!.jobId}_0.out`), 'utf8');
      expect(again).toContain(`shard 0 of 2: ${tasksOf0} task(s), ${tasksOf0} done (${cached} from the cache)`);
    });
  });
});
