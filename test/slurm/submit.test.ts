// submit and --resume against a stand-in for the Slurm commands: what is run, in
// which order, and what is recorded; the real cluster is in cluster.test.ts.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlurmCommandError } from '../../src/slurm/errors.js';
import type { SlurmRunner } from '../../src/slurm/exec.js';
import { readSlurmRecord } from '../../src/slurm/runRecord.js';
import { resumeRun, submitRun, SubmitRefusedError, type SubmitRequest } from '../../src/slurm/submit.js';
import { formatSubmitOutcome } from '../../src/slurm/summary.js';
import { ROOT_DIR } from '../cli/runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const FILES = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const LAUNCH = { node: '/usr/bin/node', mssi: '/opt/mssi/bin/mssi', planJobs: 1 };

interface Fake {
  run: SlurmRunner;
  calls: string[];
}

function fakeSlurm(o: { maxArraySize?: number; refuseSbatch?: number; squeue?: string } = {}): Fake {
  const calls: string[] = [];
  let next = 100;
  let sbatches = 0;
  const run: SlurmRunner = async (command, args) => {
    calls.push([command, ...args].join(' '));
    if (command === 'scontrol') return `Configuration data as of now\nMaxArraySize            = ${o.maxArraySize ?? 1001}\n`;
    if (command === 'squeue') return o.squeue ?? '';
    if (command === 'scancel') return '';
    if (command === 'sbatch') {
      if (++sbatches === o.refuseSbatch) throw new SlurmCommandError('sbatch', args, 1, 'sbatch: error: invalid partition specified: nope\n');
      return `${++next}\n`;
    }
    throw new Error(`unexpected ${command}`);
  };
  return { run, calls };
}

const request = (out: string, more: Partial<SubmitRequest> = {}): SubmitRequest => ({
  files: FILES,
  rates: RATES,
  out,
  jobsPerTask: 2,
  maxRunning: 3,
  sbatchArgs: ['--partition=short', '--hold'],
  dryRun: false,
  ...more,
});

describe('mssi submit --slurm (stand-in Slurm)', () => {
  it('submits the arrays (cut at MaxArraySize) and a merge job after all of them, and records them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-submit-'));
    const fake = fakeSlurm({ maxArraySize: 6 });
    const o = await submitRun(request(out, { shards: 8 }), LAUNCH, fake.run);
    expect(fake.calls).toEqual([
      'scontrol show config',
      `sbatch --parsable --array=0-5%3 --cpus-per-task=2 --partition=short --hold ${out}/array.sbatch 0`,
      `sbatch --parsable --array=0-1%3 --cpus-per-task=2 --partition=short --hold ${out}/array.sbatch 6`,
      `sbatch --parsable --dependency=afterany:101:102 --partition=short --hold ${out}/merge.sbatch`,
    ]);
    expect(o.arrays.map((a) => [a.jobId, a.offset, a.shards])).toEqual([
      [101, 0, [0, 1, 2, 3, 4, 5]],
      [102, 6, [6, 7]],
    ]);
    expect(o.mergeJobId).toBe(103);
    const record = readSlurmRecord(out)!;
    expect(record.submissions).toHaveLength(1);
    expect(record.submissions[0]!.arrays).toEqual([
      { jobId: 101, offset: 0, spec: '0-5%3' },
      { jobId: 102, offset: 6, spec: '0-1%3' },
    ]);
    expect(record).toMatchObject({ cache: join(out, 'cache'), jobsPerTask: 2, maxRunning: 3, maxArraySize: 6, sbatchArgs: ['--partition=short', '--hold'] });
    for (const f of ['plan.json', 'array.sbatch', 'merge.sbatch', 'logs', 'cache']) expect(existsSync(join(out, f)), f).toBe(true);
    const text = formatSubmitOutcome(o);
    expect(text).toContain('array jobs 101 (shards 0-5), 102 (shards 6-7: task i runs shard 6+i)');
    expect(text).toContain('squeue -j 101,102,103');
    expect(text).toContain(`mssi status ${out}`);
    expect(text).toContain(`mssi submit --slurm --resume ${out}`);
    expect(text).toContain(`${out}/logs/merge-103.out`);
  });

  it('on --dry-run submits nothing and records nothing, but writes the plan and scripts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-submit-'));
    const fake = fakeSlurm();
    const o = await submitRun(request(out, { dryRun: true }), LAUNCH, fake.run);
    expect(fake.calls).toEqual(['scontrol show config']);
    expect(o.commands.map((c) => c.join(' '))).toEqual([
      `sbatch --parsable --array=0%3 --cpus-per-task=2 --partition=short --hold ${out}/array.sbatch 0`,
      `sbatch --parsable --dependency=afterany:<array job id> --partition=short --hold ${out}/merge.sbatch`,
    ]);
    expect(readSlurmRecord(out)).toBeNull();
    expect(readFileSync(join(out, 'array.sbatch'), 'utf8')).toContain('--cache "$CACHE"');
    expect(formatSubmitOutcome(o)).toContain('dry run: nothing submitted');
  });

  it('on --dry-run without any Slurm, assumes MaxArraySize 1001 and says so', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-submit-'));
    const run: SlurmRunner = async (command, args) => {
      throw new SlurmCommandError(command, args, 1, 'slurm_load_ctl_conf error: Unable to contact slurm controller');
    };
    const o = await submitRun(request(out, { dryRun: true, shards: 2 }), LAUNCH, run);
    expect(o.notes.join('\n')).toMatch(/no Slurm answers here \(scontrol show config exited 1: .*Unable to contact.*\); assumed MaxArraySize 1001/);
    await expect(submitRun(request(mkdtempSync(join(tmpdir(), 'mssi-submit-'))), LAUNCH, run)).rejects.toThrow(/scontrol show config exited 1/);
  });

  it('when Slurm refuses the merge job, cancels the arrays it submitted and says what Slurm said', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-submit-'));
    const fake = fakeSlurm({ refuseSbatch: 2 });
    await expect(submitRun(request(out), LAUNCH, fake.run)).rejects.toThrow(
      /sbatch --parsable --dependency=afterany:101 .* exited 1: sbatch: error: invalid partition specified: nope \(the jobs already submitted, 101, were cancelled\)/,
    );
    expect(fake.calls.at(-1)).toBe('scancel 101');
    expect(readSlurmRecord(out)).toBeNull();
  });

  it('refuses a run folder that already holds a submitted run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-submit-'));
    await submitRun(request(out), LAUNCH, fakeSlurm().run);
    await expect(submitRun(request(out), LAUNCH, fakeSlurm().run)).rejects.toThrow(SubmitRefusedError);
    await expect(submitRun(request(out), LAUNCH, fakeSlurm().run)).rejects.toThrow(/already holds a submitted run.*--resume/);
  });
});

describe('mssi submit --slurm --resume (stand-in Slurm)', () => {
  it('resubmits the shards without a result (here all: none ran), without --hold, and a new merge job', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-resume-'));
    await submitRun(request(out, { shards: 8 }), LAUNCH, fakeSlurm({ maxArraySize: 6 }).run);
    const fake = fakeSlurm({ maxArraySize: 6 });
    const o = await resumeRun({ runDir: out, sbatchArgs: ['--time=10'], maxRunning: 1, dryRun: false }, fake.run);
    expect(fake.calls.slice(1)).toEqual([
      'scontrol show config',
      `sbatch --parsable --array=0-5%1 --cpus-per-task=2 --partition=short --time=10 ${out}/array.sbatch 0`,
      `sbatch --parsable --array=0-1%1 --cpus-per-task=2 --partition=short --time=10 ${out}/array.sbatch 6`,
      `sbatch --parsable --dependency=afterany:101:102 --partition=short --time=10 ${out}/merge.sbatch`,
    ]);
    expect(fake.calls[0]).toMatch(/^squeue --array --noheader/);
    expect(o.notes[0]).toBe('resubmitting 8 of 8 shards: 0 (missing), 1 (missing), 2 (missing), 3 (missing), 4 (missing), 5 (missing), 6 (missing), 7 (missing)');
    const record = readSlurmRecord(out)!;
    expect(record.submissions.map((s) => [s.resume, s.mergeJobId])).toEqual([[false, 103], [true, 103]]);
  });

  it('refuses while jobs of the run are queued, naming them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-resume-'));
    await submitRun(request(out), LAUNCH, fakeSlurm().run); // array 101, merge 102
    const fake = fakeSlurm({ squeue: '102|N/A|PENDING|Dependency\n101|0|RUNNING|None\n555|0|RUNNING|None\n' });
    const err = await resumeRun({ runDir: out, sbatchArgs: [], dryRun: false }, fake.run).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitRefusedError);
    expect((err as Error).message).toBe(
      `jobs of this run are still in the queue: RUNNING job 101_0, PENDING (Dependency) job 102; wait until they end (mssi status ${out}) or cancel them (scancel 101 102), then resume`,
    );
    expect(fake.calls.some((c) => c.startsWith('sbatch'))).toBe(false);
  });

  it('refuses a folder that was not submitted', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mssi-resume-'));
    await expect(resumeRun({ runDir: out, sbatchArgs: [], dryRun: false }, fakeSlurm().run)).rejects.toThrow(/has no .*slurm\.json: it was not submitted/);
  });
});
