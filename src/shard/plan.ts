// The plan of a run spread over many machines: the input files (as given and absolute,
// size, modification time), the selection and mssi version it is for, the rates table
// and livetime if given, and the tasks (whole files, or cluster-aligned entry ranges of
// files larger than a shard's fair share), each with its shard. Written before anything
// runs (planFile.ts); any engine then runs the shards (`mssi run --plan P --shard K`).
// Deterministic: the same files give the same plan.json on any machine, apart from the
// absolute paths. The main process never parses a ROOT file: big files are cut in
// worker processes, as `mssi run` cuts them.

import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { selectionHash } from '../cache/key.js';
import { packageVersion, workerModulePath } from '../packageRoot.js';
import { WorkerPool } from '../pool/pool.js';
import { DEFAULT_TASK_TIMEOUT_SECONDS } from '../run/deadline.js';
import { errorText, workerTasks } from '../run/session.js';
import { DEFAULT_SPLIT_ENTRIES } from '../run/splitPolicy.js';
import type { EntryRange, WorkerReply, WorkerTask } from '../run/tasks.js';
import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import { balance } from './balance.js';
import { PLAN_SCHEMA } from './planFile.js';

export { PLAN_SCHEMA, PlanFileError, planHash, PlanSelectionError, readPlan, serializePlan, writePlan } from './planFile.js';

/**
 * A file larger than a shard's fair share (all bytes / shards) is cut into ranges of
 * about 1/PIECES_PER_SHARE of that share (or of --split-entries entries, if fewer).
 */
export const PIECES_PER_SHARE = 2;

export interface PlanOptions {
  readonly shards: number;
  readonly ratesPath?: string;
  readonly livetimeDays?: number;
  /** Ranges of a cut file have at most about this many entries (default 2,000,000, as `mssi run`). */
  readonly splitEntries?: number;
  /** worker processes used to open big files */
  readonly jobs?: number;
  /** The worker module that cuts files (default: the built run worker). */
  readonly workerModule?: string;
  /** The selection the shards run (default: the notebook's); the plan records it whole. */
  readonly selection?: Selection;
  /** Told of a file that could not be looked into (it is planned whole; its shard reports the problem). */
  readonly onWarning?: (message: string) => void;
}

export interface PlanInput {
  /** As given (relative to where `mssi plan` ran, or absolute). */
  readonly path: string;
  readonly absolutePath: string;
  readonly size: number;
  /** Modification time in nanoseconds since the epoch, as a decimal string (exact). */
  readonly mtimeNs: string;
}

export interface PlannedTask {
  /** Its index in `tasks`. */
  readonly id: number;
  /** Index of its file in `inputs`. */
  readonly input: number;
  /** Entries [start, stop) of the file; null: the whole file. */
  readonly range: { readonly start: number; readonly stop: number } | null;
  /** Its share of the file's bytes (the whole size for a whole file): what shards are balanced by. */
  readonly bytes: number;
  readonly shard: number;
}

export interface Plan {
  readonly schema: 'mssi.plan/1';
  readonly shards: number;
  /** The version of mssi that made it (informational: the selection hash is what must match). */
  readonly mssiVersion: string;
  /** selectionHash(selection), by the mssi that planned: another mssi that hashes it otherwise refuses the plan. */
  readonly selectionHash: string;
  /** The selection every shard runs (recorded whole: a shard on another machine needs no selection file). */
  readonly selection: Selection;
  readonly splitEntries: number;
  /** The rates table `merge` uses unless given another. */
  readonly rates: { readonly path: string; readonly absolutePath: string } | null;
  readonly livetimeDays: number | null;
  readonly totalBytes: number;
  /** In the order given; a report lists its files in this order. */
  readonly inputs: readonly PlanInput[];
  /** Grouped by input, in input order; a file's ranges in entry order. */
  readonly tasks: readonly PlannedTask[];
}

/** An input that cannot be planned (it is gone, or not a regular file). */
export class PlanInputError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'PlanInputError';
  }
}

function statInput(path: string): PlanInput {
  let s;
  try {
    s = statSync(path, { bigint: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new PlanInputError(path, e.code === 'ENOENT' ? 'no such file' : `cannot be looked at (${e.code ?? e.message})`);
  }
  if (!s.isFile()) throw new PlanInputError(path, 'not a regular file');
  return { path, absolutePath: resolve(path), size: Number(s.size), mtimeNs: String(s.mtimeNs) };
}

/** Plans `files` (already expanded, as given): stats, cuts big files into ranges in worker processes, balances. */
export async function createPlan(files: readonly string[], options: PlanOptions): Promise<Plan> {
  const { shards } = options;
  if (!Number.isSafeInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, got ${shards}`);
  const splitEntries = options.splitEntries ?? DEFAULT_SPLIT_ENTRIES;
  const selection = options.selection ?? DEFAULT_SELECTION;
  const inputs = files.map(statInput);
  const totalBytes = inputs.reduce((a, f) => a + f.size, 0);
  const fairShare = totalBytes / shards;
  const ranges = await cutBigFiles(inputs, fairShare, splitEntries, selection, options);

  const unassigned: Omit<PlannedTask, 'shard'>[] = [];
  inputs.forEach((input, i) => {
    const cut = ranges.get(i);
    if (!cut) {
      unassigned.push({ id: unassigned.length, input: i, range: null, bytes: input.size });
      return;
    }
    const entries = cut.at(-1)!.stop;
    // Shares of the bytes by entries; rounded at each boundary, so they add up to the size.
    const at = (entry: number) => Math.round((input.size * entry) / entries);
    for (const r of cut) unassigned.push({ id: unassigned.length, input: i, range: r, bytes: at(r.stop) - at(r.start) });
  });
  const shardOf = balance(
    unassigned.map((t) => t.bytes),
    shards,
  );
  return {
    schema: PLAN_SCHEMA,
    shards,
    mssiVersion: packageVersion(),
    selectionHash: selectionHash(selection),
    selection,
    splitEntries,
    rates: options.ratesPath === undefined ? null : { path: options.ratesPath, absolutePath: resolve(options.ratesPath) },
    livetimeDays: options.livetimeDays ?? null,
    totalBytes,
    inputs,
    tasks: unassigned.map((t, i) => ({ ...t, shard: shardOf[i]! })),
  };
}

/**
 * The ranges of each file larger than the fair share, cut in worker processes (a file
 * that cannot be opened, or has too few entries or clusters to cut, stays whole).
 */
async function cutBigFiles(
  inputs: readonly PlanInput[],
  fairShare: number,
  splitEntries: number,
  selection: Selection,
  options: PlanOptions,
): Promise<Map<number, { start: number; stop: number }[]>> {
  const big = inputs.map((f, i) => ({ f, i })).filter(({ f }) => f.size > fairShare);
  const cut = new Map<number, { start: number; stop: number }[]>();
  if (big.length === 0) return cut; // no worker started
  const pool = new WorkerPool<WorkerTask, WorkerReply>({
    size: Math.min(big.length, options.jobs ?? availableParallelism()),
    workerModule: options.workerModule ?? workerModulePath(),
  });
  const tasks = workerTasks(pool, 'cpu', DEFAULT_TASK_TIMEOUT_SECONDS, selection);
  try {
    await Promise.all(
      big.map(async ({ f, i }) => {
        const minPieces = Math.ceil((PIECES_PER_SHARE * f.size) / fairShare);
        let ranges: EntryRange[];
        try {
          ranges = await tasks.plan(f.absolutePath, splitEntries, minPieces);
        } catch (err) {
          options.onWarning?.(`${f.path}: could not be cut into entry ranges (${errorText(err)}); it is planned whole, and its shard will report the problem`);
          return;
        }
        if (ranges.length < 2) return;
        cut.set(
          i,
          ranges.map((r) => ({ start: r.start, stop: r.stop! })),
        );
      }),
    );
  } finally {
    await pool.close();
  }
  return cut;
}

/** The tasks of shard `shard`, in plan order. */
export function tasksOfShard(plan: Plan, shard: number): readonly PlannedTask[] {
  return plan.tasks.filter((t) => t.shard === shard);
}

/** The file a task is of. */
export function inputOf(plan: Plan, task: PlannedTask): PlanInput {
  return plan.inputs[task.input]!;
}
