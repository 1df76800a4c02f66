// Where a run stands, from plan.json and shards/*.json alone: each shard done, failed
// (its file is there and a task failed) or missing (no valid file), with its events.
// A scheduler driver may add the state of each shard's job (SchedulerStates).

import { planHash, readPlan, type Plan } from './plan.js';
import { readShardResults, type ShardResults } from './shardFile.js';

export type ShardState = 'done' | 'failed' | 'missing';

export interface ShardStatus {
  readonly shard: number;
  readonly state: ShardState;
  /** Tasks the plan gives it. */
  readonly tasks: number;
  readonly failedTasks: number;
  /** Entries read (or found in the cache) by its tasks that are done. */
  readonly events: number;
}

/** What a scheduler driver tells of each shard's job ("RUNNING", "PENDING", ...), for `mssi status`. */
export interface SchedulerStates {
  readonly scheduler: string;
  /** By shard; null when the run was not submitted through this scheduler. */
  states(runDir: string): Promise<Map<number, string>> | null;
}

/** From plan.json and shards/*.json only. */
export function shardStatuses(runDir: string): ShardStatus[] {
  const plan = readPlan(runDir, { checkSelection: false });
  return statusesOf(plan, readShardResults(runDir, plan, planHash(plan)));
}

export function statusesOf(plan: Plan, results: ShardResults): ShardStatus[] {
  const tasks = new Array<number>(plan.shards).fill(0);
  for (const t of plan.tasks) tasks[t.shard]!++;
  return tasks.map((n, shard) => {
    const file = results.valid.get(shard);
    if (!file) return { shard, state: 'missing', tasks: n, failedTasks: 0, events: 0 };
    let failedTasks = 0;
    let events = 0;
    for (const t of file.tasks) {
      if (t.state === 'failed') failedTasks++;
      else if (t.entryStop !== null) events += t.entryStop - t.entryStart;
    }
    return { shard, state: failedTasks > 0 ? 'failed' : 'done', tasks: n, failedTasks, events };
  });
}
