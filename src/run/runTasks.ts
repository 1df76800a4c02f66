// A run of tasks decided beforehand (a plan's shard): each is a whole file or one entry
// range of it, and is looked up in the cache, read and stored on its own. A range has
// its own cache entry (rangeCacheKey), so a re-run of a finished shard reads nothing.
// As in runFiles, one task failing fails only itself, and the main process never
// parses a file.

import { sameIdentity, statIdentity, type StatIdentity } from '../cache/hash.js';
import { cacheKey, rangeCacheKey } from '../cache/key.js';
import type { FileFailure, FileResult } from '../result.js';
import { cachedEntry, fileResult } from './runFiles.js';
import { aboutFile, errorText, RunSession, WHOLE_FILE, type HashedFile, type RunSettings } from './session.js';

export interface GivenTask {
  /** The file to read (a path this process can open). */
  readonly path: string;
  /** Entries [start, stop) of it; null: the whole file. */
  readonly range: { readonly start: number; readonly stop: number } | null;
  /** Roughly how much work it is (its share of the file's bytes): the largest goes first, and it sets the deadline. */
  readonly bytes: number;
  /** The file's size and modification time when the task was decided: a file that differs fails the task. */
  readonly expected?: { readonly size: number; readonly mtimeNs: string };
}

export interface TaskDone {
  readonly result: FileResult;
  /** Entries of the file; null for a whole-file result from a cache entry older than this field. */
  readonly fileEntries: number | null;
  readonly entryStart: number;
  /** null with fileEntries null. */
  readonly entryStop: number | null;
}

/** One per task, in the order given: `done` or `failed`. */
export type TaskOutcome = { readonly done: TaskDone; readonly failed?: undefined } | { readonly failed: FileFailure; readonly done?: undefined };

/** Thrown when the file is not the one the task was decided on. */
export class ChangedSincePlannedError extends Error {
  constructor(path: string, expected: NonNullable<GivenTask['expected']>, now: StatIdentity) {
    const when = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
    super(
      `${path}: changed since it was planned (now ${now.size} bytes, modified ${when(now.mtimeNs)}; ` +
        `planned ${expected.size} bytes, modified ${when(expected.mtimeNs)}); plan the run again`,
    );
    this.name = 'ChangedSincePlannedError';
  }
}

export async function runTasks(tasks: readonly GivenTask[], settings: RunSettings): Promise<TaskOutcome[]> {
  const { observer, store, signal } = settings;
  const session = new RunSession(settings);
  const outcomes: (TaskOutcome | null)[] = tasks.map(() => null);
  const units = tasks.map((t) => session.meter.unit(t.bytes));
  observer.start({ files: tasks.length, bytes: units.reduce((a, u) => a + u.bytes, 0) });

  const processOne = async (task: GivenTask, index: number): Promise<void> => {
    const began = performance.now();
    const unit = units[index]!;
    const { path, range } = task;
    const part = range ?? undefined;
    try {
      const identity = statIdentity(path);
      const expected = task.expected;
      if (expected && (expected.size !== identity.size || expected.mtimeNs !== identity.mtimeNs)) {
        throw new ChangedSincePlannedError(path, expected, identity);
      }
      let keyed: (HashedFile & { key: string }) | null = null;
      if (store) {
        const hashed = await session.hash(path, store);
        if (signal?.aborted) return;
        const key = range ? rangeCacheKey(hashed.contentHash, range, session.selection) : cacheKey(hashed.contentHash, session.selection);
        keyed = { ...hashed, key };
        const cached = session.lookup(store, key, path);
        if (cached) {
          const result = fileResult(path, cached, hashed.contentHash, cached.backend, true, { readMs: 0, selectMs: 0, totalMs: performance.now() - began });
          const fileEntries = cached.fileEntries ?? null;
          const entryStop = range ? range.stop : fileEntries;
          outcomes[index] = { done: { result, fileEntries, entryStart: range?.start ?? 0, entryStop } };
          unit.finish();
          observer.fileDone(result, part);
          return;
        }
      }
      const outcome = await session.tasks.select(path, range ?? WHOLE_FILE, task.bytes, unit.task(unit.bytes));
      if (store && keyed) {
        if (!sameIdentity(keyed.identity, statIdentity(path))) {
          throw new Error(`${path}: the file changed while it was being read; run again`);
        }
        const entry = cachedEntry(path, outcome, keyed.contentHash, session.selection, settings.backend, identity.size, range ?? undefined);
        session.store(store, keyed.key, entry, path);
      }
      const timings = {
        readMs: outcome.readMs,
        selectMs: outcome.selectMs,
        totalMs: performance.now() - began,
        workerPeakRssBytes: outcome.workerPeakRssBytes,
      };
      const result = fileResult(path, outcome, keyed?.contentHash ?? null, settings.backend, false, timings);
      outcomes[index] = { done: { result, fileEntries: outcome.fileEntries, entryStart: outcome.entryStart, entryStop: outcome.entryStop } };
      unit.finish();
      observer.fileDone(result, part);
    } catch (err) {
      if (signal?.aborted) return; // cancelled, not failed
      const failure = { path, message: aboutFile(path, errorText(err)) };
      outcomes[index] = { failed: failure };
      unit.finish();
      observer.fileFailed(failure);
    }
  };

  await session.finish(Promise.all(tasks.map((t, i) => processOne(t, i))));
  return outcomes.map((o, i) => o ?? { failed: { path: tasks[i]!.path, message: `${tasks[i]!.path}: internal error: the task did not finish` } });
}
