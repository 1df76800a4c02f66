// The one-node Slurm that .ci/start-slurm.sh starts (ClusterName mssi-ci), for the
// tests that submit real jobs. Without it they skip, saying why; under CI=true they
// run and fail instead. They never submit to a site's own Slurm.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseConfig, parseJobRecords, jobOfRecord, type FinishedJob } from '../../src/slurm/parse.js';

const exec = promisify(execFile);

export interface ClusterProbe {
  readonly ok: boolean;
  /** Why the Slurm tests cannot run here (empty when ok). */
  readonly reason: string;
  readonly maxArraySize: number;
}

export async function probeTestCluster(): Promise<ClusterProbe> {
  const no = (reason: string): ClusterProbe => ({ ok: false, reason, maxArraySize: 0 });
  let config: Map<string, string>;
  try {
    // a controller that is down makes scontrol retry for long: a bound keeps the skip quick
    config = parseConfig((await exec('scontrol', ['show', 'config'], { timeout: 10_000 })).stdout);
  } catch (err) {
    const e = err as Error & { stderr?: string; killed?: boolean; code?: string };
    const why = e.code === 'ENOENT' ? 'not installed' : e.killed ? 'no answer within 10 s' : (e.stderr ?? '').trim().split('\n')[0] || e.message;
    return no(`no Slurm here (scontrol show config: ${why}); start the test cluster with: sudo bash .ci/start-slurm.sh`);
  }
  if (config.get('ClusterName') !== 'mssi-ci') {
    return no(`the Slurm here is cluster "${config.get('ClusterName')}", not the test cluster of .ci/start-slurm.sh; the tests submit only to that one`);
  }
  const { stdout } = await exec('sinfo', ['--noheader', '--format=%T'], { timeout: 20_000 });
  if (!/^(idle|mixed|allocated)/m.test(stdout)) return no(`the test cluster's node is "${stdout.trim()}", not idle: run .ci/start-slurm.sh again`);
  return { ok: true, reason: '', maxArraySize: Number(config.get('MaxArraySize')) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Jobs (and array tasks) of these ids still queued. */
export async function stillQueued(jobIds: readonly number[]): Promise<string[]> {
  const { stdout } = await exec('squeue', ['--array', '--noheader', '--format=%F|%i|%T']);
  const wanted = new Set(jobIds.map(String));
  return stdout.split('\n').filter((l) => wanted.has(l.split('|')[0]!)).map((l) => l.split('|').slice(1).join(' '));
}

/** Polls squeue until none of the jobs is queued; fails after `timeoutMs`, naming what is left. */
export async function waitForJobs(jobIds: readonly number[], timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const left = await stillQueued(jobIds);
    if (left.length === 0) return;
    if (Date.now() > until) throw new Error(`jobs still queued after ${timeoutMs / 1000} s: ${left.join(', ')}`);
    await sleep(500);
  }
}

/** Polls until `check` holds; fails after `timeoutMs` with `what`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 120_000, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A job's final state, from scontrol while the controller remembers it (MinJobAge is 600 s on the test cluster). */
export async function finishedJob(jobId: number | string): Promise<FinishedJob> {
  const { stdout } = await exec('scontrol', ['show', 'job', '-o', `${jobId}`]);
  const jobs = parseJobRecords(stdout).map(jobOfRecord);
  if (jobs.length !== 1) throw new Error(`scontrol show job ${jobId}: ${jobs.length} records`);
  return jobs[0]!;
}

export async function slurmCommand(command: 'scancel' | 'scontrol' | 'squeue', args: string[]): Promise<string> {
  return (await exec(command, args)).stdout;
}
