// `mssi submit --slurm`: plans a run, writes its two batch scripts, submits the
// shard array(s) and a merge job that runs once they have all ended, and records
// the job ids in RUN_DIR/slurm.json. `--resume` resubmits only the shards without
// a good result, and a new merge job.

import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runLayout, type RunLayout } from '../shard/layout.js';
import { createPlan, readPlan, writePlan } from '../shard/plan.js';
import type { Selection } from '../selection/definition.js';
import { shardStatuses } from '../shard/status.js';
import { arraySpec, chunkShards, shardsOfChunk, type ArrayChunk } from './arrays.js';
import { SlurmCommandError, SlurmNotFoundError } from './errors.js';
import type { SlurmRunner } from './exec.js';
import { queuedJobs, readMaxArraySize, sbatch, scancel } from './queue.js';
import {
  jobIdsOf,
  readSlurmRecord,
  slurmRecordPath,
  writeSlurmRecord,
  type SlurmRunRecord,
  type SubmittedArray,
} from './runRecord.js';
import { arrayScript, mergeScript, type ScriptPaths } from './scripts.js';
import { defaultShardCount } from './shardCount.js';
import { describeQueued } from './status.js';

/** Nothing was submitted, for a reason the user can fix (exit 2). */
export class SubmitRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmitRefusedError';
  }
}

/** MaxArraySize assumed by --dry-run where no Slurm answers (Slurm's default). */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

export interface Launch {
  /** The node executable and this mssi's bin/mssi, written into the scripts. */
  readonly node: string;
  readonly mssi: string;
  /** Worker processes used to plan (open big files to cut them). */
  readonly planJobs: number;
}

export interface SubmitRequest {
  readonly files: readonly string[];
  readonly rates: string;
  readonly out: string;
  readonly shards?: number;
  readonly jobsPerTask: number;
  readonly maxRunning?: number;
  readonly sbatchArgs: readonly string[];
  readonly cache?: string;
  readonly splitEntries?: number;
  readonly livetime?: number;
  /** The selection the shards run (the plan records it); default: the notebook's. */
  readonly selection?: Selection;
  readonly dryRun: boolean;
}

export interface ResumeRequest {
  readonly runDir: string;
  /** Overrides of what the run was submitted with. */
  readonly jobsPerTask?: number;
  readonly maxRunning?: number;
  readonly sbatchArgs: readonly string[];
  readonly dryRun: boolean;
}

export interface SubmittedChunk {
  /** null on --dry-run. */
  readonly jobId: number | null;
  readonly offset: number;
  readonly spec: string;
  readonly shards: readonly number[];
}

export interface SubmitOutcome {
  readonly runDir: string;
  readonly layout: RunLayout;
  readonly resume: boolean;
  readonly dryRun: boolean;
  /** Shards in the plan, and the ones this submission runs. */
  readonly planShards: number;
  readonly arrays: readonly SubmittedChunk[];
  readonly mergeJobId: number | null;
  /** The sbatch command lines run (or, on --dry-run, to run), in order. */
  readonly commands: readonly (readonly string[])[];
  readonly notes: readonly string[];
}

/** Options of every sbatch: the caller's --sbatch-arg values, after the driver's own (so they win). */
interface Submitter {
  readonly run: SlurmRunner;
  readonly dryRun: boolean;
  readonly commands: string[][];
  readonly submitted: number[];
}

async function submitOne(s: Submitter, args: readonly string[]): Promise<number | null> {
  s.commands.push(['sbatch', '--parsable', ...args]);
  if (s.dryRun) return null;
  const id = await sbatch(s.run, args);
  s.submitted.push(id);
  return id;
}

/** A failure part way: what was already submitted is cancelled, so no half run is left queued. */
async function undo(s: Submitter, err: unknown): Promise<never> {
  if (s.submitted.length > 0) {
    const ids = s.submitted.join(' ');
    try {
      await scancel(s.run, s.submitted);
    } catch (cancelErr) {
      throw new Error(`${(err as Error).message}; and cancelling the jobs already submitted (${ids}) failed too: ${(cancelErr as Error).message}`);
    }
    throw new Error(`${(err as Error).message} (the jobs already submitted, ${ids}, were cancelled)`);
  }
  throw err;
}

async function submitArraysAndMerge(
  s: Submitter,
  runDir: string,
  chunks: readonly ArrayChunk[],
  opts: { jobsPerTask: number; maxRunning: number | null; sbatchArgs: readonly string[] },
): Promise<{ arrays: SubmittedChunk[]; mergeJobId: number | null }> {
  const arrays: SubmittedChunk[] = [];
  try {
    for (const chunk of chunks) {
      const spec = arraySpec(chunk.indices, opts.maxRunning ?? undefined);
      const jobId = await submitOne(s, [
        `--array=${spec}`,
        `--cpus-per-task=${opts.jobsPerTask}`,
        ...opts.sbatchArgs,
        `${runDir}/array.sbatch`,
        `${chunk.offset}`,
      ]);
      arrays.push({ jobId, offset: chunk.offset, spec, shards: shardsOfChunk(chunk) });
    }
    const dependency = `afterany:${arrays.map((a) => a.jobId ?? '<array job id>').join(':')}`;
    const mergeJobId = await submitOne(s, [`--dependency=${dependency}`, ...opts.sbatchArgs, `${runDir}/merge.sbatch`]);
    return { arrays, mergeJobId };
  } catch (err) {
    return undo(s, err);
  }
}

async function maxArraySizeFor(run: SlurmRunner, dryRun: boolean, notes: string[]): Promise<number> {
  try {
    return await readMaxArraySize(run);
  } catch (err) {
    if (!dryRun || !(err instanceof SlurmNotFoundError || err instanceof SlurmCommandError)) throw err;
    notes.push(`no Slurm answers here (${err.message}); assumed MaxArraySize ${DEFAULT_MAX_ARRAY_SIZE}`);
    return DEFAULT_MAX_ARRAY_SIZE;
  }
}

function refuseReusedRunDir(layout: RunLayout): void {
  if (existsSync(slurmRecordPath(layout.dir))) {
    throw new SubmitRefusedError(
      `${layout.dir} already holds a submitted run (${slurmRecordPath(layout.dir)}): resume it with mssi submit --slurm --resume ${layout.dir}, or choose another --out`,
    );
  }
  let shardFiles: string[] = [];
  try {
    shardFiles = readdirSync(layout.shardsDir).filter((f) => f.endsWith('.json'));
  } catch {
    // no shards folder: a fresh run directory
  }
  if (shardFiles.length > 0) {
    throw new SubmitRefusedError(`${layout.shardsDir} already holds shard results (${shardFiles.length} files) of another plan: choose another --out`);
  }
}

export async function submitRun(request: SubmitRequest, launch: Launch, run: SlurmRunner): Promise<SubmitOutcome> {
  const layout = runLayout(resolve(request.out));
  refuseReusedRunDir(layout);
  const notes: string[] = [];
  const maxArraySize = await maxArraySizeFor(run, request.dryRun, notes);
  const totalBytes = request.files.reduce((sum, f) => sum + sizeOrZero(f), 0);
  const shards = request.shards ?? defaultShardCount(totalBytes, maxArraySize);

  mkdirSync(layout.dir, { recursive: true });
  const plan = await createPlan(request.files, {
    shards,
    ratesPath: request.rates,
    ...(request.livetime === undefined ? {} : { livetimeDays: request.livetime }),
    ...(request.splitEntries === undefined ? {} : { splitEntries: request.splitEntries }),
    ...(request.selection === undefined ? {} : { selection: request.selection }),
    jobs: launch.planJobs,
    onWarning: (message) => notes.push(message),
  });
  writePlan(layout.dir, plan);
  mkdirSync(layout.logs, { recursive: true });
  const cache = resolve(request.cache ?? layout.cache);
  mkdirSync(cache, { recursive: true });

  const chunks = chunkShards(range(plan.shards), maxArraySize);
  if (chunks.length > 1) notes.push(`${plan.shards} shards exceed this site's MaxArraySize ${maxArraySize}: ${chunks.length} arrays`);
  const paths: ScriptPaths = { node: launch.node, mssi: launch.mssi, runDir: layout.dir, logs: layout.logs };
  const maxRunning = request.maxRunning ?? null;
  writeScripts(paths, cache, plan.shards, request.jobsPerTask, chunks, maxRunning);

  const s: Submitter = { run, dryRun: request.dryRun, commands: [], submitted: [] };
  const opts = { jobsPerTask: request.jobsPerTask, maxRunning, sbatchArgs: request.sbatchArgs };
  const { arrays, mergeJobId } = await submitArraysAndMerge(s, layout.dir, chunks, opts);
  if (!request.dryRun) {
    writeSlurmRecord(layout.dir, {
      schema: 'mssi.slurm/1',
      runDir: layout.dir,
      cache,
      jobsPerTask: request.jobsPerTask,
      maxRunning,
      sbatchArgs: [...request.sbatchArgs],
      maxArraySize,
      submissions: [submission(arrays, mergeJobId!, false)],
    });
  }
  return { runDir: layout.dir, layout, resume: false, dryRun: request.dryRun, planShards: plan.shards, arrays, mergeJobId, commands: s.commands, notes };
}

/** A hold is for the first submission (to look before it runs); a resubmission runs. */
const withoutHold = (args: readonly string[]): string[] => args.filter((a) => a !== '--hold' && a !== '-H');

export async function resumeRun(request: ResumeRequest, run: SlurmRunner): Promise<SubmitOutcome> {
  const layout = runLayout(resolve(request.runDir));
  const record = readSlurmRecord(layout.dir);
  if (!record) {
    throw new SubmitRefusedError(`${layout.dir} has no ${slurmRecordPath(layout.dir)}: it was not submitted with mssi submit --slurm (submit it first)`);
  }
  const plan = readPlan(layout.dir);
  const queued = (await queuedJobs(run, jobIdsOf(record))).sort((a, b) => a.arrayJobId - b.arrayJobId || (a.taskId ?? -1) - (b.taskId ?? -1));
  if (queued.length > 0) {
    const shown = queued.slice(0, 10).map(describeQueued).join(', ');
    const more = queued.length > 10 ? ` and ${queued.length - 10} more` : '';
    const ids = [...new Set(queued.map((q) => q.arrayJobId))].join(' ');
    throw new SubmitRefusedError(
      `jobs of this run are still in the queue: ${shown}${more}; wait until they end (mssi status ${layout.dir}) or cancel them (scancel ${ids}), then resume`,
    );
  }
  const todo = shardStatuses(layout.dir).filter((s) => s.state !== 'done');
  if (todo.length === 0) {
    throw new SubmitRefusedError(`nothing to resume: all ${plan.shards} shards of ${layout.dir} are done (the report: mssi merge ${layout.dir})`);
  }
  const notes = [`resubmitting ${todo.length} of ${plan.shards} shards: ${todo.map((s) => `${s.shard} (${s.state})`).join(', ')}`];
  const maxArraySize = await readMaxArraySize(run);
  const chunks = chunkShards(todo.map((s) => s.shard), maxArraySize);
  // The scripts are used as they are: the user may have edited them.
  for (const script of ['array.sbatch', 'merge.sbatch']) {
    if (!existsSync(`${layout.dir}/${script}`)) {
      throw new SubmitRefusedError(`${layout.dir}/${script} is gone: mssi submit --slurm wrote it and --resume submits it; submit the run again into a new --out`);
    }
  }
  mkdirSync(layout.logs, { recursive: true });
  const jobsPerTask = request.jobsPerTask ?? record.jobsPerTask;
  const maxRunning = request.maxRunning ?? record.maxRunning;
  const sbatchArgs = [...withoutHold(record.sbatchArgs), ...request.sbatchArgs];
  const s: Submitter = { run, dryRun: request.dryRun, commands: [], submitted: [] };
  const { arrays, mergeJobId } = await submitArraysAndMerge(s, layout.dir, chunks, { jobsPerTask, maxRunning, sbatchArgs });
  if (!request.dryRun) {
    writeSlurmRecord(layout.dir, { ...record, submissions: [...record.submissions, submission(arrays, mergeJobId!, true)] });
  }
  return { runDir: layout.dir, layout, resume: true, dryRun: request.dryRun, planShards: plan.shards, arrays, mergeJobId, commands: s.commands, notes };
}

function writeScripts(
  paths: ScriptPaths,
  cache: string,
  shards: number,
  jobsPerTask: number,
  chunks: readonly ArrayChunk[],
  maxRunning: number | null,
): void {
  const arrays = chunks.map((c) => ({ offset: c.offset, spec: arraySpec(c.indices, maxRunning ?? undefined) }));
  const script = arrayScript({ ...paths, cache, shards, jobsPerTask, firstArray: arrays[0]!.spec, arrays });
  writeFileSync(`${paths.runDir}/array.sbatch`, script, { mode: 0o755 });
  writeFileSync(`${paths.runDir}/merge.sbatch`, mergeScript(paths), { mode: 0o755 });
}

function submission(arrays: readonly SubmittedChunk[], mergeJobId: number, resume: boolean): SlurmRunRecord['submissions'][number] {
  const submitted: SubmittedArray[] = arrays.map((a) => ({ jobId: a.jobId!, offset: a.offset, spec: a.spec }));
  return { submittedAt: new Date().toISOString(), resume, arrays: submitted, mergeJobId };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
