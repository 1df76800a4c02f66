// Where a plan's run keeps its files (one folder, on a disk every machine sees):
//   plan.json       the plan (schema mssi.plan/1)
//   shards/K.json   shard K's results (schema mssi.shard/1), only ever whole
//   logs/           the shard and merge jobs' logs (plain lines)
//   cache/          the default cache of shard runs
//   report.json     the merged report, when a merge job writes it

import { join, resolve } from 'node:path';

export interface RunLayout {
  /** The run folder, absolute. */
  readonly dir: string;
  readonly plan: string;
  readonly shardsDir: string;
  readonly logs: string;
  readonly cache: string;
  readonly report: string;
  shardFile(k: number): string;
}

export function runLayout(runDir: string): RunLayout {
  const dir = resolve(runDir);
  const shardsDir = join(dir, 'shards');
  return {
    dir,
    plan: join(dir, 'plan.json'),
    shardsDir,
    logs: join(dir, 'logs'),
    cache: join(dir, 'cache'),
    report: join(dir, 'report.json'),
    shardFile: (k: number) => join(shardsDir, `${k}.json`),
  };
}

/** K of a shard file's name `K.json` (0, 1, ..., no leading zeros); null for any other name (temporaries too). */
export function shardOfFileName(name: string): number | null {
  const m = /^(0|[1-9][0-9]{0,8})\.json$/.exec(name);
  return m ? Number(m[1]) : null;
}
