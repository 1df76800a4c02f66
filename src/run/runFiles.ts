// The run: hash each file, answer from the cache where it can, fan the rest out to
// worker processes (whole files, or cluster-aligned entry ranges of big ones, which a
// worker cuts: the main process never parses a file), merge the ranges of each file,
// and store complete results as each file finishes. One file failing (or hanging, or
// crashing its worker) fails only that file; nothing is cached for it.

import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { hashFileAsync, sameIdentity, statIdentity, type StatIdentity } from '../cache/hash.js';
import { cacheKey, selectionHash } from '../cache/key.js';
import type { CachedResult, CacheStore } from '../cache/store.js';
import { TaskTimeoutError, WorkerDiedError, WorkerPool } from '../pool/pool.js';
import { sourceOfPath, type BackendName, type FileFailure, type FileResult } from '../result.js';
import { addCounts, zeroCounts } from '../selection/types.js';
import { DEFAULT_TASK_TIMEOUT_SECONDS, taskTimeoutMs } from './deadline.js';
import type { EntryRange, RangeOutcome, WorkerReply, WorkerTask } from './tasks.js';

export type { EntryRange } from './tasks.js';

/** What the run tells the user about as it goes (progress bars, log lines). */
export interface RunObserver {
  start(files: number): void;
  /** Events selected since the last call. */
  events(count: number): void;
  fileDone(result: FileResult): void;
  fileFailed(failure: FileFailure): void;
  warn(message: string): void;
  stop(): void;
}

export interface SplitSettings {
  /** Files at least this big are cut (see splitPolicy.ts). */
  readonly minBytes: number;
  /** Into cluster-aligned ranges of about this many entries. */
  readonly entries: number;
}

export interface RunSettings {
  readonly jobs: number;
  readonly backend: BackendName;
  /** null: --no-cache. */
  readonly store: CacheStore | null;
  /** Re-hash every file instead of trusting the stat memo. */
  readonly rehash: boolean;
  readonly workerModule: string;
  /** Which files are cut into entry ranges, and how finely (default: none, one task per file). */
  readonly split?: SplitSettings;
  /** --task-timeout: the base of a task's deadline (deadline.ts); default 600. */
  readonly taskTimeoutSeconds?: number;
  /** Aborting it stops the run at once: workers killed, runFiles rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly observer: RunObserver;
}

export interface RunOutcome {
  /** In the order the files were given. */
  readonly results: FileResult[];
  readonly failures: FileFailure[];
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Prefixes a message with the file it is about, unless it already names it. */
function aboutFile(path: string, message: string): string {
  return message.includes(path) ? message : `${path}: ${message}`;
}

const WHOLE_FILE: readonly EntryRange[] = [{ start: 0, stop: null }];

/**
 * A task the pool gave up on (deadline, dead worker) says nothing of its input: name
 * the file and the part of it the task had.
 */
function inTask(path: string, what: string, err: unknown): unknown {
  if (err instanceof TaskTimeoutError || err instanceof WorkerDiedError) return new Error(`${path} (${what}): ${err.message}`);
  return err;
}

const rangeText = (r: EntryRange) => `entries ${r.start} to ${r.stop ?? 'the end'}`;

export async function runFiles(paths: readonly string[], settings: RunSettings): Promise<RunOutcome> {
  const { observer, store, signal } = settings;
  signal?.throwIfAborted();
  const selection = selectionHash();
  const timeoutSeconds = settings.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS;
  const pool = new WorkerPool<WorkerTask, WorkerReply>({
    size: settings.jobs,
    workerModule: settings.workerModule,
    onProgress: (_id, events) => observer.events(events),
  });
  const tasks = workerTasks(pool, settings.backend, timeoutSeconds);
  const results: (FileResult | null)[] = paths.map(() => null);
  const failures: (FileFailure | null)[] = paths.map(() => null);
  observer.start(paths.length);

  // Files are hashed one at a time, in the order given: the first can go to a worker as
  // soon as it is hashed, instead of all of them finishing together at the end.
  let hashQueue: Promise<unknown> = Promise.resolve();
  const hashInTurn = (path: string, cache: CacheStore) => {
    const hashed = hashQueue.then(() => {
      signal?.throwIfAborted(); // an interrupted run reads no more files
      return contentHashOf(path, cache, settings.rehash);
    });
    hashQueue = hashed.catch(() => undefined);
    return hashed;
  };

  const processOne = async (path: string, index: number): Promise<void> => {
    const began = performance.now();
    try {
      const sizeBytes = statSync(path).size;
      // Without a cache there is nothing to key, so the file is not hashed (no extra I/O).
      let keyed: { key: string; contentHash: string; identity: StatIdentity } | null = null;
      if (store) {
        const { contentHash, identity } = await hashInTurn(path, store);
        if (signal?.aborted) return;
        keyed = { key: cacheKey(contentHash, selection), contentHash, identity };
        const cached = lookup(store, keyed.key, path, observer);
        if (cached) {
          const result = fileResult(path, cached, contentHash, cached.backend, true, {
            readMs: 0,
            selectMs: 0,
            totalMs: performance.now() - began,
          });
          results[index] = result;
          observer.fileDone(result);
          return;
        }
      }
      const split = settings.split;
      const ranges = split && sizeBytes >= split.minBytes ? await tasks.plan(path, split.entries) : WHOLE_FILE;
      const outcomes = await Promise.all(ranges.map((r) => tasks.select(path, r, sizeBytes / ranges.length)));
      const merged = mergeRanges(path, outcomes);
      const timings = {
        readMs: outcomes.reduce((a, o) => a + o.readMs, 0),
        selectMs: outcomes.reduce((a, o) => a + o.selectMs, 0),
        totalMs: performance.now() - began,
        workerPeakRssBytes: Math.max(...outcomes.map((o) => o.workerPeakRssBytes)),
      };
      if (store && keyed) {
        if (!sameIdentity(keyed.identity, statIdentity(path))) {
          // Changed while it was read: the result may belong to neither version.
          throw new Error(`${path}: the file changed while it was being read; run again`);
        }
        const entry: CachedResult = {
          ...merged,
          contentHash: keyed.contentHash,
          selectionHash: selection,
          backend: settings.backend,
          computedFrom: resolve(path),
          fileSizeBytes: sizeBytes,
          createdAt: new Date().toISOString(),
        };
        try {
          store.put(keyed.key, entry);
        } catch (err) {
          observer.warn(`could not store the result of ${path} in the cache ${store.location}: ${errorText(err)}`);
        }
      }
      const result = fileResult(path, merged, keyed?.contentHash ?? null, settings.backend, false, timings);
      results[index] = result;
      observer.fileDone(result);
    } catch (err) {
      if (signal?.aborted) return; // cancelled, not failed
      const failure = { path, message: aboutFile(path, errorText(err)) };
      failures[index] = failure;
      observer.fileFailed(failure);
    }
  };

  try {
    // All files at once: hashes are queued in order, and the pool's queue fills as they
    // come (the largest waiting task starts first).
    await untilAborted(Promise.all(paths.map((p, i) => processOne(p, i))), signal);
  } catch (err) {
    // Interrupted: what finished is stored already (each file as it finished).
    await pool.kill();
    throw err;
  } finally {
    await pool.close();
    observer.stop();
  }
  return {
    results: results.filter((r): r is FileResult => r !== null),
    failures: failures.filter((f): f is FileFailure => f !== null),
  };
}

/** The two kinds of worker task, each with its reply type, deadline and place in the queue. */
function workerTasks(pool: WorkerPool<WorkerTask, WorkerReply>, backend: BackendName, timeoutSeconds: number) {
  return {
    /** Opens the file and reads its tree's metadata only: the base deadline; it goes first (it unlocks the file's ranges). */
    plan(path: string, splitEntries: number): Promise<EntryRange[]> {
      const options = { size: Number.POSITIVE_INFINITY, timeoutMs: taskTimeoutMs(timeoutSeconds, 0) };
      return (pool.run({ kind: 'plan', plan: { path, splitEntries } }, options) as Promise<EntryRange[]>).catch((err: unknown) => {
        throw inTask(path, 'while cutting it into entry ranges', err);
      });
    },
    /** `shareBytes`, the range's share of the file's bytes: how long it will take, roughly. */
    select(path: string, range: EntryRange, shareBytes: number): Promise<RangeOutcome> {
      const task: WorkerTask = { kind: 'select', range: { path, entryStart: range.start, entryStop: range.stop, backend } };
      const options = { size: shareBytes, timeoutMs: taskTimeoutMs(timeoutSeconds, shareBytes) };
      return (pool.run(task, options) as Promise<RangeOutcome>).catch((err: unknown) => {
        throw inTask(path, rangeText(range), err);
      });
    },
  };
}

/** `work`, or a rejection with the signal's reason as soon as it is aborted. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

async function contentHashOf(
  path: string,
  store: CacheStore,
  rehash: boolean,
): Promise<{ contentHash: string; identity: StatIdentity }> {
  const identity = statIdentity(path);
  if (!rehash) {
    const remembered = store.memoGet(path, identity);
    if (remembered) return { contentHash: remembered, identity };
  }
  const hash = await hashFileAsync(path);
  try {
    store.memoPut(path, identity, hash);
  } catch {
    // A memo is an optimisation; an unwritable store shows up when results are stored.
  }
  return { contentHash: hash, identity };
}

function lookup(store: CacheStore, key: string, path: string, observer: RunObserver): CachedResult | null {
  const found = store.get(key);
  if (found.status === 'hit') return found.result;
  if (found.status === 'corrupt') {
    observer.warn(`cache entry ${key} for ${path} is corrupt (${found.reason}); recomputing it`);
    try {
      store.remove(key);
    } catch {
      // put() below overwrites it anyway
    }
  }
  return null;
}

function fileResult(
  path: string,
  outcome: Pick<CachedResult, 'counts' | 'eventWeight'>,
  contentHash: string | null,
  backend: BackendName,
  fromCache: boolean,
  timings: FileResult['timings'],
): FileResult {
  return {
    path,
    source: sourceOfPath(path),
    counts: { ...outcome.counts },
    eventWeight: outcome.eventWeight,
    contentHash,
    backend,
    fromCache,
    timings,
  };
}

/** Adds the ranges' counts; checks that together they cover the file exactly once. */
export function mergeRanges(path: string, outcomes: readonly RangeOutcome[]): Pick<CachedResult, 'counts' | 'eventWeight'> {
  const sorted = [...outcomes].sort((a, b) => a.entryStart - b.entryStart);
  const entries = sorted[0]?.fileEntries ?? 0;
  let next = 0;
  const counts = zeroCounts();
  for (const o of sorted) {
    if (o.entryStart !== next || o.fileEntries !== entries) {
      throw new Error(`${path}: internal error: entry ranges do not tile the file (at entry ${next})`);
    }
    next = o.entryStop;
    addCounts(counts, o.counts);
  }
  if (next !== entries) throw new Error(`${path}: internal error: ranges end at entry ${next} of ${entries}`);
  return { counts, eventWeight: entries === 0 ? null : (sorted[0]!.eventWeight ?? null) };
}
