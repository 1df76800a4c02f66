// The report of a plan's run, from plan.json and the shard files alone (no input file
// is read or hashed again): each file's tasks joined (a whole file's result as it is;
// a big file's ranges added, once each, all of one content), in the plan's input order,
// and which shards are missing or failed.

import { sourceOfPath, type FileFailure, type FileResult } from '../result.js';
import { mergeRanges } from '../run/runFiles.js';
import { planHash, readPlan, type Plan, type PlannedTask } from './plan.js';
import { readShardResults, type ShardResults, type ShardTaskDone, type ShardTaskResult } from './shardFile.js';

export interface ShardSummary {
  readonly total: number;
  /** Shards whose every task is done. */
  readonly done: number[];
  /** Shards with a file in which some task failed. */
  readonly failed: number[];
  /** Shards with no (valid) file: not run yet, still running, killed, or a file that cannot be used. */
  readonly missing: number[];
  /** Why a shard's file cannot be used (the shard counts as missing). */
  readonly problems: { readonly shard: number; readonly problem: string }[];
  /** Files under shards/ for shards the plan does not have. */
  readonly strays: string[];
}

export interface MergeOutcome {
  /** Files whose every task is done, in the plan's order. */
  readonly results: FileResult[];
  /** Files with a failed task (or ranges that do not join), in the plan's order. */
  readonly failures: FileFailure[];
  /** Files left out of the report: a task of theirs is in a missing shard. */
  readonly unreported: string[];
  readonly shards: ShardSummary;
}

/** Reads RUN_DIR's plan (refused if it is for another selection) and its shard files, and merges them. */
export function mergeRun(runDir: string): { plan: Plan; outcome: MergeOutcome } {
  const plan = readPlan(runDir);
  return { plan, outcome: mergeShards(plan, readShardResults(runDir, plan, planHash(plan))) };
}

export function mergeShards(plan: Plan, shardResults: ShardResults): MergeOutcome {
  const byTask = new Map<number, ShardTaskResult>();
  for (const file of shardResults.valid.values()) for (const t of file.tasks) byTask.set(t.task, t);
  const tasksOfInput: PlannedTask[][] = plan.inputs.map(() => []);
  for (const t of plan.tasks) tasksOfInput[t.input]!.push(t);

  const results: FileResult[] = [];
  const failures: FileFailure[] = [];
  const unreported: string[] = [];
  plan.inputs.forEach((input, i) => {
    const found = tasksOfInput[i]!.map((t) => byTask.get(t.id));
    const failed = found.filter((r): r is Extract<ShardTaskResult, { state: 'failed' }> => r?.state === 'failed');
    if (failed.length > 0) {
      // a failure is final, whatever the file's other tasks
      failures.push({ path: input.path, message: [...new Set(failed.map((f) => f.error))].join('; ') });
      return;
    }
    if (found.some((r) => r === undefined)) {
      unreported.push(input.path);
      return;
    }
    try {
      results.push(joinTasks(input.path, tasksOfInput[i]!, found as ShardTaskDone[]));
    } catch (err) {
      failures.push({ path: input.path, message: (err as Error).message });
    }
  });

  const done: number[] = [];
  const failedShards: number[] = [];
  const missing: number[] = [];
  for (let k = 0; k < plan.shards; k++) {
    const file = shardResults.valid.get(k);
    if (!file) missing.push(k);
    else if (file.tasks.some((t) => t.state === 'failed')) failedShards.push(k);
    else done.push(k);
  }
  const problems = [...shardResults.problems].sort(([a], [b]) => a - b).map(([shard, problem]) => ({ shard, problem }));
  return {
    results,
    failures,
    unreported,
    shards: { total: plan.shards, done, failed: failedShards, missing, problems, strays: [...shardResults.strays] },
  };
}

/** One file's result from its tasks' (each done), as `mssi run` would have given it. */
function joinTasks(path: string, planned: readonly PlannedTask[], done: readonly ShardTaskDone[]): FileResult {
  const hashes = [...new Set(done.map((d) => d.contentHash).filter((h): h is string => h !== null))];
  if (hashes.length > 1) {
    throw new Error(
      `${path}: its entry ranges were read from different contents (${done
        .map((d) => `entries ${d.entryStart} to ${d.entryStop}: ${d.contentHash?.slice(0, 12) ?? 'not hashed'}`)
        .join(', ')}): ` +
        'the file changed during the run; plan the run again',
    );
  }
  let counted: Pick<FileResult, 'counts' | 'model' | 'eventWeight'>;
  if (planned.length === 1 && planned[0]!.range === null) counted = done[0]!;
  else {
    done.forEach((d, i) => {
      const r = planned[i]!.range!;
      if (d.entryStart !== r.start || d.entryStop !== r.stop) {
        throw new Error(`${path}: task ${d.task} holds entries ${d.entryStart} to ${d.entryStop}, its plan says ${r.start} to ${r.stop}`);
      }
    });
    counted = mergeRanges(
      path,
      done.map((d) => ({ ...d, entryStop: d.entryStop!, fileEntries: d.fileEntries! })),
    );
  }
  const rss = done.map((d) => d.timings.workerPeakRssBytes).filter((x): x is number => x !== undefined);
  return {
    path,
    source: sourceOfPath(path),
    counts: { ...counted.counts },
    model: counted.model,
    eventWeight: counted.eventWeight,
    contentHash: hashes[0] ?? null,
    backend: done[0]!.backend,
    fromCache: done.every((d) => d.fromCache),
    timings: {
      readMs: done.reduce((a, d) => a + d.timings.readMs, 0),
      selectMs: done.reduce((a, d) => a + d.timings.selectMs, 0),
      totalMs: done.reduce((a, d) => a + d.timings.totalMs, 0),
      ...(rss.length > 0 ? { workerPeakRssBytes: Math.max(...rss) } : {}),
    },
  };
}
