// RUN_DIR/shards/K.json: what `mssi run --plan P --shard K` found, per task of the
// shard: its counts, eventWeight, content hash, entries and timings, or why it failed.
// It names the plan it belongs to (the plan's hash) and is written whole: a temporary
// name in the same folder, fsync, rename (atomic on NFS too); a shard killed mid-run
// leaves none. Read back, it is checked field by field and against the plan.

import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { atomicWrite } from '../cache/atomicWrite.js';
import { parseNonFinite, stringifyNonFinite } from '../cache/store.js';
import { checkModelTotals, modelFromJson, modelToJson, ModelCountsFormatError } from '../model/codec.js';
import type { ModelCounts } from '../model/types.js';
import type { BackendName } from '../result.js';
import { COUNT_KEYS, type SelectionCounts } from '../selection/types.js';
import { runLayout, shardOfFileName } from './layout.js';
import type { Plan } from './plan.js';
import { Fields, HEX64, join, readJsonFile, RunFileError } from './validate.js';

/** 2: each done task carries the model's counts. */
export const SHARD_SCHEMA = 'mssi.shard/2';

export interface TaskTimings {
  readonly readMs: number;
  readonly selectMs: number;
  readonly totalMs: number;
  /** Peak RSS of the worker that read it (absent when it came from the cache). */
  readonly workerPeakRssBytes?: number;
}

export interface ShardTaskDone {
  /** The task's id in the plan. */
  readonly task: number;
  /** The path the shard opened. */
  readonly path: string;
  readonly state: 'done';
  /** SHA-256 of the file's bytes; null when the shard ran with --no-cache (the file was not hashed). */
  readonly contentHash: string | null;
  /** Entries of the file; null only for a whole-file result from a cache entry written before mssi recorded it. */
  readonly fileEntries: number | null;
  readonly entryStart: number;
  /** One past the task's last entry; null with fileEntries null. */
  readonly entryStop: number | null;
  readonly counts: SelectionCounts;
  /** The task's binned SS FV ROI and MSSI FV ROI events (written sparse: src/model/codec.ts). */
  readonly model: ModelCounts;
  /** eventWeight of the file's entry 0, from the task that starts at entry 0; null otherwise, or with no entries. */
  readonly eventWeight: number | null;
  readonly backend: BackendName;
  readonly fromCache: boolean;
  readonly timings: TaskTimings;
}

export interface ShardTaskFailed {
  readonly task: number;
  readonly path: string;
  readonly state: 'failed';
  readonly error: string;
}

export type ShardTaskResult = ShardTaskDone | ShardTaskFailed;

export interface ShardFile {
  readonly schema: typeof SHARD_SCHEMA;
  /** planHash() of the plan it ran: a file of another plan is refused. */
  readonly planHash: string;
  readonly shard: number;
  readonly selectionHash: string;
  readonly mssiVersion: string;
  /** Where and when it ran (for the user; nothing depends on them). */
  readonly host: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** One per task of the shard, in plan order. */
  readonly tasks: readonly ShardTaskResult[];
}

/** A shard file that cannot be used, with where and why. */
export class ShardFileError extends RunFileError {
  constructor(file: string, field: string, detail: string) {
    super(file, field, detail);
    this.name = 'ShardFileError';
  }
}

export function shardFileText(file: ShardFile): string {
  // one task a line: readable, and small for shards of many files
  const { tasks, ...head } = file;
  const lines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = tasks.length === 0 ? '[]' : `[\n    ${tasks.map((t) => stringifyNonFinite(t.state === 'done' ? { ...t, model: modelToJson(t.model) } : t)).join(',\n    ')}\n  ]`;
  return `{\n${lines.join('\n')}\n  "tasks": ${body}\n}\n`;
}

/** Writes RUN_DIR/shards/K.json whole (tmp + fsync + rename); returns its path. */
export function writeShardFile(runDir: string, file: ShardFile): string {
  const path = runLayout(runDir).shardFile(file.shard);
  atomicWrite(path, shardFileText(file));
  return path;
}

export const shardFileHost = (): string => hostname();

/** A shard file, every field checked (not yet against a plan: see readShardResults). */
export function readShardFile(path: string): ShardFile {
  const get = new Fields((field, detail) => {
    throw new ShardFileError(path, field, detail);
  });
  const o = get.object(
    readJsonFile(path, parseNonFinite, (f, d) => new ShardFileError(path, f, d)),
    '',
  );
  if (o.schema !== SHARD_SCHEMA) get.fail('schema', `expected "${SHARD_SCHEMA}", got ${JSON.stringify(o.schema) ?? 'nothing'}`);
  const tasks = get.array(o, 'tasks', '').map((v, i) => readTask(v, join('tasks', i), get));
  return {
    schema: SHARD_SCHEMA,
    planHash: get.string(o, 'planHash', '', HEX64, 'a SHA-256 in hex'),
    shard: get.integer(o, 'shard', ''),
    selectionHash: get.string(o, 'selectionHash', '', HEX64, 'a SHA-256 in hex'),
    mssiVersion: get.string(o, 'mssiVersion', ''),
    host: get.string(o, 'host', ''),
    startedAt: get.string(o, 'startedAt', ''),
    finishedAt: get.string(o, 'finishedAt', ''),
    tasks,
  };
}

function readTask(v: unknown, at: string, get: Fields): ShardTaskResult {
  const t = get.object(v, at);
  const task = get.integer(t, 'task', at);
  const path = get.string(t, 'path', at);
  if (t.state === 'failed') return { task, path, state: 'failed', error: get.string(t, 'error', at) };
  if (t.state !== 'done') get.fail(join(at, 'state'), `expected "done" or "failed", got ${JSON.stringify(t.state) ?? 'nothing'}`);
  const c = get.object(t.counts, join(at, 'counts'));
  const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, get.integer(c, k, join(at, 'counts'))])) as unknown as SelectionCounts;
  let model: ModelCounts;
  try {
    model = modelFromJson(t.model, join(at, 'model'));
    checkModelTotals(model, counts, join(at, 'model'));
  } catch (err) {
    if (err instanceof ModelCountsFormatError) get.fail(err.field, err.message.slice(err.field.length + 2));
    throw err;
  }
  const fileEntries = get.nullable(t, 'fileEntries', at, (o, k, a) => get.integer(o, k, a));
  const entryStart = get.integer(t, 'entryStart', at);
  const entryStop = get.nullable(t, 'entryStop', at, (o, k, a) => get.integer(o, k, a, entryStart));
  if ((fileEntries === null) !== (entryStop === null)) get.fail(join(at, 'entryStop'), 'is null exactly when fileEntries is');
  if (fileEntries !== null && entryStop !== null && entryStop > fileEntries) {
    get.fail(join(at, 'entryStop'), `is ${entryStop}, past the file's ${fileEntries} entries`);
  }
  const backend = t.backend;
  if (backend !== 'cpu' && backend !== 'gpu') get.fail(join(at, 'backend'), `expected "cpu" or "gpu", got ${JSON.stringify(backend) ?? 'nothing'}`);
  const tm = get.object(t.timings, join(at, 'timings'));
  const tat = join(at, 'timings');
  const timings: TaskTimings = {
    readMs: get.number(tm, 'readMs', tat),
    selectMs: get.number(tm, 'selectMs', tat),
    totalMs: get.number(tm, 'totalMs', tat),
    ...(tm.workerPeakRssBytes === undefined ? {} : { workerPeakRssBytes: get.integer(tm, 'workerPeakRssBytes', tat) }),
  };
  return {
    task,
    path,
    state: 'done',
    contentHash: get.nullable(t, 'contentHash', at, (o, k, a) => get.string(o, k, a, HEX64, 'a SHA-256 in hex')),
    fileEntries,
    entryStart,
    entryStop,
    counts,
    model,
    eventWeight: get.nullable(t, 'eventWeight', at, (o, k, a) => get.number(o, k, a)),
    backend: backend as BackendName,
    fromCache: get.boolean(t, 'fromCache', at),
    timings,
  };
}

export interface ShardResults {
  /** The shards whose file is there and is a whole, valid result of this plan. */
  readonly valid: Map<number, ShardFile>;
  /** Shards whose file is there but cannot be used (they count as missing), and why. */
  readonly problems: Map<number, string>;
  /** Files of shards the plan does not have (shards/9.json of a 4-shard plan): named, never used. */
  readonly strays: readonly string[];
}

/** Every shards/K.json of the run, read and checked against `plan` (whose hash is `hash`). */
export function readShardResults(runDir: string, plan: Plan, hash: string): ShardResults {
  const layout = runLayout(runDir);
  const valid = new Map<number, ShardFile>();
  const problems = new Map<number, string>();
  const strays: string[] = [];
  let names: string[];
  try {
    names = readdirSync(layout.shardsDir).sort();
  } catch {
    names = []; // no shard has run yet
  }
  // Which shard each task is planned in: a result must be in that shard's file, once.
  const shardOfTask = plan.tasks.map((t) => t.shard);
  const tasksPerShard = new Array<number>(plan.shards).fill(0);
  for (const s of shardOfTask) tasksPerShard[s]!++;
  for (const name of names) {
    const k = shardOfFileName(name);
    if (k === null) continue; // temporaries, anything else
    const path = layout.shardFile(k);
    if (k >= plan.shards) {
      strays.push(`${path}: the plan has shards 0 to ${plan.shards - 1} only; ignored`);
      continue;
    }
    try {
      const file = readShardFile(path);
      const problem = againstPlan(file, k, plan, hash, shardOfTask, tasksPerShard[k]!);
      if (problem) problems.set(k, `${path}: ${problem}`);
      else valid.set(k, file);
    } catch (err) {
      problems.set(k, (err as Error).message);
    }
  }
  return { valid, problems, strays };
}

function againstPlan(file: ShardFile, k: number, plan: Plan, hash: string, shardOfTask: readonly number[], planned: number): string | null {
  if (file.planHash !== hash) return `a result of another plan (plan hash ${file.planHash}; this plan's is ${hash}): run shard ${k} again`;
  if (file.shard !== k) return `holds the results of shard ${file.shard}, not of shard ${k}`;
  if (file.selectionHash !== plan.selectionHash) return `was run with selection ${file.selectionHash}, the plan's is ${plan.selectionHash}: run shard ${k} again`;
  const seen = new Set<number>();
  const problems: string[] = [];
  for (const t of file.tasks) {
    if (t.task >= plan.tasks.length) problems.push(`a result for task ${t.task}, which the plan does not have (it has tasks 0 to ${plan.tasks.length - 1})`);
    else if (shardOfTask[t.task] !== k) problems.push(`a result for task ${t.task}, which the plan gives to shard ${shardOfTask[t.task]}`);
    else if (seen.has(t.task)) problems.push(`two results for task ${t.task}`);
    seen.add(t.task);
  }
  if (problems.length === 0 && seen.size !== planned) {
    const missing = plan.tasks.filter((t) => t.shard === k && !seen.has(t.id)).map((t) => t.id);
    problems.push(`no result for task(s) ${missing.join(', ')} of the shard`);
  }
  return problems.length === 0 ? null : problems.join('; ');
}
