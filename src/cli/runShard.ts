// `mssi run --plan RUN_DIR/plan.json --shard K`: one shard of a plan, written whole to
// RUN_DIR/shards/K.json (a shard interrupted or killed writes none; what finished is
// in the cache, so running it again is quick). Exit 0 when every task is done, 1 when
// one failed (the shard file says which and why), 2 when the plan or the shard is wrong.

import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { LocalCacheStore } from '../cache/store.js';
import { workerModulePath } from '../packageRoot.js';
import { progressObserver } from '../run/progress.js';
import type { RunObserver } from '../run/session.js';
import { runLayout } from '../shard/layout.js';
import { readPlan, type Plan } from '../shard/plan.js';
import { runShard } from '../shard/runShard.js';
import { writeShardFile, type ShardFile } from '../shard/shardFile.js';
import { backendOrExit } from './backendChoice.js';
import { EXIT } from './exit.js';
import { RunInterruptedError } from './interrupt.js';
import type { RunOptions } from './run.js';
import { RunCrashedError, withRunGuards } from './runGuards.js';
import { describeError } from './safetyNet.js';

const COMMAND = 'mssi run';

function usage(message: string): number {
  process.stderr.write(`${COMMAND}: ${message}\n`);
  return EXIT.usage;
}

/** RUN_DIR of `--plan`: RUN_DIR/plan.json, or the folder itself. */
function runDirOf(planPath: string): string | null {
  try {
    if (statSync(planPath).isDirectory()) return planPath;
  } catch {
    // not there: readPlan says so
  }
  return basename(planPath) === 'plan.json' ? dirname(planPath) : null;
}

/** Counts the tasks that ended (for the message of an interrupted shard). */
function counting(observer: RunObserver): { observer: RunObserver; ended: () => number } {
  let ended = 0;
  return {
    observer: {
      ...observer,
      fileDone(result, part) {
        ended++;
        observer.fileDone(result, part);
      },
      fileFailed(failure) {
        ended++;
        observer.fileFailed(failure);
      },
    },
    ended: () => ended,
  };
}

export async function runShardCommand(planPath: string, shard: number, options: RunOptions): Promise<number> {
  const runDir = runDirOf(planPath);
  if (runDir === null) return usage(`--plan ${planPath}: expected RUN_DIR/plan.json (the shard's results are written beside it, in RUN_DIR/shards/)`);
  const layout = runLayout(runDir);
  let plan: Plan;
  let store: LocalCacheStore | null;
  try {
    plan = readPlan(runDir);
    if (shard >= plan.shards) return usage(`--shard ${shard}: the plan ${layout.plan} has shards 0 to ${plan.shards - 1}`);
    // checked once here, as `mssi run` does: a location that cannot hold the cache is a usage error
    store =
      options.cache === false
        ? null
        : LocalCacheStore.open(typeof options.cache === 'string' ? options.cache : (process.env.MSSI_CACHE || layout.cache));
  } catch (err) {
    return usage((err as Error).message);
  }
  const chosen = await backendOrExit(COMMAND, options);
  if ('exit' in chosen) return chosen.exit;

  return withRunGuards(COMMAND, async (signal) => {
    const seen = counting(progressObserver({ quiet: options.quiet === true }));
    const tasks = plan.tasks.filter((t) => t.shard === shard).length;
    let file: ShardFile;
    try {
      file = await runShard(plan, shard, {
        jobs: options.jobs,
        backend: chosen.backend,
        selection: plan.selection,
        gpuWorkers: options.gpuWorkers,
        store,
        rehash: options.rehash === true,
        workerModule: workerModulePath(),
        taskTimeoutSeconds: options.taskTimeout,
        signal,
        observer: seen.observer,
      });
    } catch (err) {
      const kept = store ? `finished tasks are kept in the cache ${store.location}` : 'nothing was cached (--no-cache)';
      if (err instanceof RunInterruptedError) {
        process.stderr.write(`${COMMAND}: shard ${shard} interrupted by ${err.signal} after ${seen.ended()} of ${tasks} tasks; no shard file written; ${kept}\n`);
        // the workers are gone; a file still being hashed must not keep the process alive for long
        setTimeout(() => process.exit(err.exitCode), 2000).unref();
        return err.exitCode;
      }
      const why = err instanceof RunCrashedError ? err.message : `internal error: ${describeError(err)}`;
      process.stderr.write(`${COMMAND}: shard ${shard}: ${why}; no shard file written; ${kept}\n`);
      return EXIT.failure;
    }
    let written: string;
    try {
      written = writeShardFile(runDir, file);
    } catch (err) {
      process.stderr.write(`${COMMAND}: shard ${shard}: cannot write its results to ${layout.shardFile(shard)}: ${(err as Error).message}\n`);
      return EXIT.outputFailed;
    }
    const failed = file.tasks.filter((t) => t.state === 'failed').length;
    const fromCache = file.tasks.filter((t) => t.state === 'done' && t.fromCache).length;
    const events = file.tasks.reduce((a, t) => a + (t.state === 'done' && t.entryStop !== null ? t.entryStop - t.entryStart : 0), 0);
    process.stdout.write(
      `shard ${shard} of ${plan.shards}: ${tasks} task(s), ${tasks - failed} done (${fromCache} from the cache), ${failed} failed, ` +
        `${events} events; wrote ${written}\n`,
    );
    return failed > 0 ? EXIT.failure : EXIT.ok;
  });
}
