// What every kind of run shares: the worker pool and its two kinds of task, the cache
// (files hashed one at a time in the order asked, lookups, stores), and stopping at
// once when the run is aborted. runFiles.ts (files as given) and runTasks.ts (tasks of
// a plan) are built on it.

import { hashFileAsync, statIdentity, type StatIdentity } from '../cache/hash.js';
import { selectionHash } from '../cache/key.js';
import type { CachedResult, CacheStore } from '../cache/store.js';
import { TaskTimeoutError, WorkerDiedError, WorkerPool, type TaskProgress } from '../pool/pool.js';
import type { BackendName, FileFailure, FileResult } from '../result.js';
import type { Selection } from '../selection/definition.js';
import { DEFAULT_TASK_TIMEOUT_SECONDS, taskTimeoutMs } from './deadline.js';
import type { EntryRange, RangeOutcome, WorkerReply, WorkerTask } from './tasks.js';
import { DEFAULT_GPU_WORKERS } from './gpuWorkers.js';
import { WorkMeter, type WorkDelta } from './workMeter.js';

/** The work of a run, known before it starts. */
export interface RunWork {
  /** Files (`mssi run`) or tasks (a plan's shard): what fileDone and fileFailed count. */
  readonly files: number;
  /** Their bytes of input (a task's: its share of its file). */
  readonly bytes: number;
}

/** What the run tells the user about as it goes (progress bars, log lines). */
export interface RunObserver {
  start(work: RunWork): void;
  /** Done since the last call: bytes of input (see workMeter.ts) and events selected. */
  progress(done: WorkDelta): void;
  /** `part`: the entry range of the file the result is of, when it is not the whole file. */
  fileDone(result: FileResult, part?: EntryRange): void;
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
  /** The effective selection: what the workers run, and (by its hash) part of every cache key. */
  readonly selection: Selection;
  /** --gpu-workers: at most this many workers open a GPU device (default DEFAULT_GPU_WORKERS). */
  readonly gpuWorkers?: number;
  /** null: --no-cache. */
  readonly store: CacheStore | null;
  /** Re-hash every file instead of trusting the stat memo. */
  readonly rehash: boolean;
  readonly workerModule: string;
  /** Which files are cut into entry ranges, and how finely (default: none, one task per file). */
  readonly split?: SplitSettings;
  /** --task-timeout: the base of a task's deadline (deadline.ts); default 600. */
  readonly taskTimeoutSeconds?: number;
  /** Aborting it stops the run at once: workers killed, the run rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly observer: RunObserver;
  /** Benchmark only (see RangeTask.skipModel): the model's counts left empty. Not with a store. */
  readonly skipModel?: boolean;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Prefixes a message with the file it is about, unless it already names it. */
export function aboutFile(path: string, message: string): string {
  return message.includes(path) ? message : `${path}: ${message}`;
}

export const WHOLE_FILE: EntryRange = { start: 0, stop: null };

export const rangeText = (r: EntryRange) => `entries ${r.start} to ${r.stop ?? 'the end'}`;

/**
 * A task the pool gave up on (deadline, dead worker) says nothing of its input: name
 * the file and the part of it the task had.
 */
function inTask(path: string, what: string, err: unknown): unknown {
  if (err instanceof TaskTimeoutError || err instanceof WorkerDiedError) return new Error(`${path} (${what}): ${err.message}`);
  return err;
}

/** The two kinds of worker task, each with its reply type, deadline and place in the queue. */
export function workerTasks(
  pool: WorkerPool<WorkerTask, WorkerReply>,
  backend: BackendName,
  timeoutSeconds: number,
  selection: Selection,
  skipModel = false,
  gpuWorkers = DEFAULT_GPU_WORKERS,
) {
  return {
    /**
     * Opens the file and reads its tree's metadata only: the base deadline; it goes first
     * (it unlocks the file's ranges). About `minPieces` ranges or more, as the clusters allow.
     */
    plan(path: string, splitEntries: number, minPieces = 1): Promise<EntryRange[]> {
      const options = { size: Number.POSITIVE_INFINITY, timeoutMs: taskTimeoutMs(timeoutSeconds, 0) };
      const plan = { path, tree: selection.trees.scatters, splitEntries, minPieces };
      return (pool.run({ kind: 'plan', plan }, options) as Promise<EntryRange[]>).catch((err: unknown) => {
        throw inTask(path, 'while cutting it into entry ranges', err);
      });
    },
    /** `shareBytes`, the range's share of the file's bytes: how long it will take, roughly. */
    select(path: string, range: EntryRange, shareBytes: number, onProgress?: (progress: TaskProgress) => void): Promise<RangeOutcome> {
      const task: WorkerTask = {
        kind: 'select',
        range: { path, entryStart: range.start, entryStop: range.stop, backend, selection, gpuWorkers, ...(skipModel ? { skipModel } : {}) },
      };
      const options = { size: shareBytes, timeoutMs: taskTimeoutMs(timeoutSeconds, shareBytes), onProgress };
      return (pool.run(task, options) as Promise<RangeOutcome>).catch((err: unknown) => {
        throw inTask(path, rangeText(range), err);
      });
    },
  };
}

export interface HashedFile {
  readonly contentHash: string;
  /** The file's stat identity when it was hashed: a file that changes after it is read is not stored. */
  readonly identity: StatIdentity;
}

export class RunSession {
  /** The selection's hash, as the cache keys hold it. */
  readonly selection: string;
  readonly tasks: ReturnType<typeof workerTasks>;
  /** Bytes and events done, for the observer (each file or task a unit of it). */
  readonly meter: WorkMeter;
  private readonly pool: WorkerPool<WorkerTask, WorkerReply>;
  private hashQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly settings: RunSettings) {
    settings.signal?.throwIfAborted();
    this.selection = selectionHash(settings.selection);
    // Results without their model must never be cached as if they were whole.
    if (settings.skipModel && settings.store) throw new Error('internal error: skipModel is for benchmarks run without a cache');
    this.pool = new WorkerPool<WorkerTask, WorkerReply>({
      size: settings.jobs,
      workerModule: settings.workerModule,
    });
    this.meter = new WorkMeter((done) => settings.observer.progress(done));
    this.tasks = workerTasks(
      this.pool,
      settings.backend,
      settings.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
      settings.selection,
      settings.skipModel === true,
      settings.gpuWorkers,
    );
  }

  /**
   * The file's content hash. Files are hashed one at a time, in the order asked: the
   * first can go to a worker as soon as it is hashed, instead of all of them finishing
   * together at the end.
   */
  hash(path: string, store: CacheStore): Promise<HashedFile> {
    const hashed = this.hashQueue.then(() => {
      this.settings.signal?.throwIfAborted(); // an interrupted run reads no more files
      return contentHashOf(path, store, this.settings.rehash);
    });
    this.hashQueue = hashed.catch(() => undefined);
    return hashed;
  }

  /** The stored result, or null (a corrupt entry is reported, removed and recomputed). */
  lookup(store: CacheStore, key: string, path: string): CachedResult | null {
    const found = store.get(key);
    if (found.status === 'hit') return found.result;
    if (found.status === 'corrupt') {
      this.settings.observer.warn(`cache entry ${key} for ${path} is corrupt (${found.reason}); recomputing it`);
      try {
        store.remove(key);
      } catch {
        // put() overwrites it anyway
      }
    }
    return null;
  }

  /** Stores a result; a store that cannot take it is a warning, not a failure of the file. */
  store(store: CacheStore, key: string, entry: CachedResult, path: string): void {
    try {
      store.put(key, entry);
    } catch (err) {
      this.settings.observer.warn(`could not store the result of ${path} in the cache ${store.location}: ${errorText(err)}`);
    }
  }

  /**
   * Waits for `work` (every task's promise, each of which handles its own failure); an
   * abort rejects at once with the signal's reason after killing the workers. The pool
   * is closed and the observer stopped either way.
   */
  async finish(work: Promise<unknown>): Promise<void> {
    try {
      await untilAborted(work, this.settings.signal);
    } catch (err) {
      // Interrupted: what finished is stored already (each result as it finished).
      await this.pool.kill();
      throw err;
    } finally {
      await this.pool.close();
      this.settings.observer.stop();
    }
  }
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

async function contentHashOf(path: string, store: CacheStore, rehash: boolean): Promise<HashedFile> {
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
