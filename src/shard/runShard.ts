// One shard of a plan, run with the machinery of `mssi run` (cache, pool, deadlines,
// retries) on the absolute paths the plan names, into the shard file's records.

import { packageVersion } from '../packageRoot.js';
import { runTasks, type GivenTask } from '../run/runTasks.js';
import type { RunSettings } from '../run/session.js';
import { inputOf, planHash, tasksOfShard, type Plan } from './plan.js';
import { shardFileHost, SHARD_SCHEMA, type ShardFile, type ShardTaskResult } from './shardFile.js';

/** The shard's tasks, with the plan's selection (whatever `settings.selection` says). */
export async function runShard(plan: Plan, shard: number, settings: Omit<RunSettings, 'selection'> & { readonly selection?: RunSettings['selection'] }): Promise<ShardFile> {
  if (!Number.isSafeInteger(shard) || shard < 0 || shard >= plan.shards) {
    throw new RangeError(`the plan has shards 0 to ${plan.shards - 1}, not ${shard}`);
  }
  const startedAt = new Date().toISOString();
  const planned = tasksOfShard(plan, shard);
  const given: GivenTask[] = planned.map((t) => {
    const input = inputOf(plan, t);
    return { path: input.absolutePath, range: t.range, bytes: t.bytes, expected: { size: input.size, mtimeNs: input.mtimeNs } };
  });
  const outcomes = await runTasks(given, { ...settings, selection: plan.selection });
  const tasks = outcomes.map((o, i): ShardTaskResult => {
    const task = planned[i]!.id;
    const path = given[i]!.path;
    if (o.failed) return { task, path, state: 'failed', error: o.failed.message };
    const { result, fileEntries, entryStart, entryStop } = o.done;
    return {
      task,
      path,
      state: 'done',
      contentHash: result.contentHash,
      fileEntries,
      entryStart,
      entryStop,
      counts: result.counts,
      model: result.model,
      eventWeight: result.eventWeight,
      backend: result.backend,
      fromCache: result.fromCache,
      timings: result.timings,
    };
  });
  return {
    schema: SHARD_SCHEMA,
    planHash: planHash(plan),
    shard,
    selectionHash: plan.selectionHash,
    mssiVersion: packageVersion(),
    host: shardFileHost(),
    startedAt,
    finishedAt: new Date().toISOString(),
    tasks,
  };
}
