// `mssi status RUN_DIR`: what it does (its options are in status.ts).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runLayout } from '../shard/layout.js';
import { planHash, readPlan, type Plan } from '../shard/plan.js';
import { readShardResults } from '../shard/shardFile.js';
import { statusesOf, type SchedulerStates, type ShardStatus } from '../shard/status.js';
import { EXIT } from './exit.js';
import type { StatusOptions } from './status.js';

const COMMAND = 'mssi status';

interface SchedulerView {
  readonly scheduler: string;
  readonly states: Map<number, string> | null;
  /** Why the states could not be had. */
  readonly problem: string | null;
}

/** The scheduler driver's states, when the run folder says it was submitted through one. */
async function schedulerView(runDir: string): Promise<SchedulerView | null> {
  if (!existsSync(join(runDir, 'slurm.json'))) return null;
  // Loaded only here: nothing else of mssi knows of Slurm. (A literal import, so that the
  // bundler finds the driver and makes it a chunk of its own.)
  let hook: SchedulerStates | undefined;
  try {
    hook = ((await import('../slurm/status.js')) as { slurmStates?: SchedulerStates }).slurmStates;
  } catch (err) {
    return { scheduler: 'slurm', states: null, problem: `the Slurm driver could not be loaded (${(err as Error).message})` };
  }
  if (!hook) return { scheduler: 'slurm', states: null, problem: 'the Slurm driver has no slurmStates' };
  try {
    return { scheduler: hook.scheduler, states: (await hook.states(runDir)) ?? null, problem: null };
  } catch (err) {
    return { scheduler: hook.scheduler, states: null, problem: (err as Error).message };
  }
}

/** Where RUN_DIR's run stands, on stdout; its exit status. */
export async function statusAction(runDir: string, options: StatusOptions): Promise<number> {
  let plan: Plan;
  let statuses: ShardStatus[];
  let problems: Map<number, string>;
  try {
    plan = readPlan(runDir, { checkSelection: false });
    const results = readShardResults(runDir, plan, planHash(plan));
    statuses = statusesOf(plan, results);
    problems = results.problems;
  } catch (err) {
    process.stderr.write(`${COMMAND}: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const view = await schedulerView(runDir);
  const count = (state: ShardStatus['state']) => statuses.filter((s) => s.state === state).length;
  const events = statuses.reduce((a, s) => a + s.events, 0);
  if (options.json) {
    const json = {
      schema: 'mssi.status/1',
      runDir: runLayout(runDir).dir,
      shards: plan.shards,
      tasks: plan.tasks.length,
      done: count('done'),
      failed: count('failed'),
      missing: count('missing'),
      events,
      scheduler: view ? { name: view.scheduler, problem: view.problem } : null,
      shardStates: statuses.map((s) => ({
        ...s,
        problem: problems.get(s.shard) ?? null,
        ...(view ? { scheduler: view.states?.get(s.shard) ?? null } : {}),
      })),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    `${runLayout(runDir).dir}: ${plan.inputs.length} file(s), ${plan.tasks.length} task(s) in ${plan.shards} shard(s)`,
    `shards: ${count('done')} done, ${count('failed')} failed, ${count('missing')} missing; ${events} events done`,
  ];
  if (view?.problem) lines.push(`${view.scheduler}: ${view.problem}`);
  const header = ['SHARD', 'STATE', 'TASKS', 'FAILED', 'EVENTS', ...(view ? [view.scheduler.toUpperCase()] : []), 'NOTE'];
  const rows = statuses.map((s) => [
    String(s.shard),
    s.state,
    String(s.tasks),
    String(s.failedTasks),
    String(s.events),
    ...(view ? [view.states?.get(s.shard) ?? '-'] : []),
    problems.get(s.shard) ?? '',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const r of [header, ...rows]) lines.push(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
