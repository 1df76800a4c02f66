// The run: hash each file, answer from the cache where it can, fan the rest out to
// worker processes (whole files, or cluster-aligned entry ranges of big ones), merge
// the ranges of each file, and store complete results. One file failing fails
// only that file; nothing is cached for it.

import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { hashFileAsync, sameIdentity, statIdentity, type StatIdentity } from '../cache/hash.js';
import { cacheKey, selectionHash } from '../cache/key.js';
import type { CachedResult, CacheStore } from '../cache/store.js';
import { WorkerPool } from '../pool/pool.js';
import { sourceOfPath, type BackendName, type FileFailure, type FileResult } from '../result.js';
import { addCounts, zeroCounts } from '../selection/types.js';
import type { RangeOutcome, RangeTask } from './tasks.js';

export interface EntryRange {
  readonly start: number;
  readonly stop: number | null;
}

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

export interface RunSettings {
  readonly jobs: number;
  readonly backend: BackendName;
  /** null: --no-cache. */
  readonly store: CacheStore | null;
  /** Re-hash every file instead of trusting the stat memo. */
  readonly rehash: boolean;
  readonly workerModule: string;
  /** How to cut a file into tasks (default: one task per file). */
  readonly planRanges?: (path: string, sizeBytes: number) => Promise<readonly EntryRange[]>;
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

export async function runFiles(paths: readonly string[], settings: RunSettings): Promise<RunOutcome> {
  const { observer, store } = settings;
  const selection = selectionHash();
  const pool = new WorkerPool<RangeTask, RangeOutcome>({
    size: settings.jobs,
    workerModule: settings.workerModule,
    onProgress: (_id, events) => observer.events(events),
  });
  const results: (FileResult | null)[] = paths.map(() => null);
  const failures: (FileFailure | null)[] = paths.map(() => null);
  observer.start(paths.length);

  // Files are hashed one at a time, in the order given: the first can go to a worker as
  // soon as it is hashed, instead of all of them finishing together at the end.
  let hashQueue: Promise<unknown> = Promise.resolve();
  const hashInTurn = (path: string, cache: CacheStore) => {
    const hashed = hashQueue.then(() => contentHashOf(path, cache, settings.rehash));
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
      const ranges = settings.planRanges ? await settings.planRanges(path, sizeBytes) : [{ start: 0, stop: null }];
      const outcomes = await Promise.all(
        // a range's share of the file's bytes: how long it will take, roughly
        ranges.map((r) => pool.run({ path, entryStart: r.start, entryStop: r.stop, backend: settings.backend }, { size: sizeBytes / ranges.length })),
      );
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
      const failure = { path, message: aboutFile(path, errorText(err)) };
      failures[index] = failure;
      observer.fileFailed(failure);
    }
  };

  try {
    // All files at once: hashes are queued in order, and the pool's queue fills as they
    // come (the largest waiting task starts first).
    await Promise.all(paths.map((p, i) => processOne(p, i)));
  } finally {
    await pool.close();
    observer.stop();
  }
  return {
    results: results.filter((r): r is FileResult => r !== null),
    failures: failures.filter((f): f is FileFailure => f !== null),
  };
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
