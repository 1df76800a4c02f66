// The run: hash each file, answer from the cache where it can, fan the rest out to
// worker processes (whole files, or cluster-aligned entry ranges of big ones, which a
// worker cuts: the main process never parses a file), merge the ranges of each file,
// and store complete results as each file finishes. One file failing (or hanging, or
// crashing its worker) fails only that file; nothing is cached for it.

import { resolve } from 'node:path';
import { statSync } from 'node:fs';
import { sameIdentity, statIdentity } from '../cache/hash.js';
import { cacheKey } from '../cache/key.js';
import type { CachedResult } from '../cache/store.js';
import { sourceOfPath, type BackendName, type FileFailure, type FileResult } from '../result.js';
import { addCounts, zeroCounts } from '../selection/types.js';
import { addModel, copyModel } from '../model/bin.js';
import { aboutFile, errorText, RunSession, WHOLE_FILE, type HashedFile, type RunSettings } from './session.js';
import type { RangeOutcome } from './tasks.js';

export type { EntryRange } from './tasks.js';
export type { RunObserver, RunSettings, SplitSettings } from './session.js';

export interface RunOutcome {
  /** In the order the files were given. */
  readonly results: FileResult[];
  readonly failures: FileFailure[];
}

export async function runFiles(paths: readonly string[], settings: RunSettings): Promise<RunOutcome> {
  const { observer, store, signal } = settings;
  const session = new RunSession(settings);
  const results: (FileResult | null)[] = paths.map(() => null);
  const failures: (FileFailure | null)[] = paths.map(() => null);
  const units = paths.map((p) => session.meter.unit(sizeOrZero(p)));
  observer.start({ files: paths.length, bytes: units.reduce((a, u) => a + u.bytes, 0) });

  const processOne = async (path: string, index: number): Promise<void> => {
    const began = performance.now();
    const unit = units[index]!;
    try {
      const sizeBytes = statSync(path).size;
      // Without a cache there is nothing to key, so the file is not hashed (no extra I/O).
      let keyed: (HashedFile & { key: string }) | null = null;
      if (store) {
        const hashed = await session.hash(path, store);
        if (signal?.aborted) return;
        keyed = { ...hashed, key: cacheKey(hashed.contentHash, session.selection) };
        const cached = session.lookup(store, keyed.key, path);
        if (cached) {
          const result = fileResult(path, cached, keyed.contentHash, cached.backend, true, {
            readMs: 0,
            selectMs: 0,
            totalMs: performance.now() - began,
          });
          results[index] = result;
          unit.finish();
          observer.fileDone(result);
          return;
        }
      }
      const split = settings.split;
      const ranges = split && sizeBytes >= split.minBytes ? await session.tasks.plan(path, split.entries) : [WHOLE_FILE];
      const outcomes = await Promise.all(
        ranges.map((r) => session.tasks.select(path, r, sizeBytes / ranges.length, unit.task(unit.bytes / ranges.length))),
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
        session.store(store, keyed.key, cachedEntry(path, merged, keyed.contentHash, session.selection, settings.backend, sizeBytes), path);
      }
      const result = fileResult(path, merged, keyed?.contentHash ?? null, settings.backend, false, timings);
      results[index] = result;
      unit.finish();
      observer.fileDone(result);
    } catch (err) {
      if (signal?.aborted) return; // cancelled, not failed
      const failure = { path, message: aboutFile(path, errorText(err)) };
      failures[index] = failure;
      unit.finish();
      observer.fileFailed(failure);
    }
  };

  // All files at once: hashes are queued in order, and the pool's queue fills as they
  // come (the largest waiting task starts first).
  await session.finish(Promise.all(paths.map((p, i) => processOne(p, i))));
  return {
    results: results.filter((r): r is FileResult => r !== null),
    failures: failures.filter((f): f is FileFailure => f !== null),
  };
}

/** A file that cannot be stat'ed counts 0 bytes (it fails in its turn, with the reason). */
function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The cache entry of a result computed now (of the whole file, or with `range`, of a range of it). */
export function cachedEntry(
  path: string,
  outcome: Pick<CachedResult, 'counts' | 'model' | 'eventWeight'> & { readonly fileEntries: number },
  contentHash: string,
  selection: string,
  backend: BackendName,
  fileSizeBytes: number,
  range?: CachedResult['range'],
): CachedResult {
  return {
    counts: outcome.counts,
    model: outcome.model,
    eventWeight: outcome.eventWeight,
    contentHash,
    selectionHash: selection,
    backend,
    computedFrom: resolve(path),
    fileSizeBytes,
    createdAt: new Date().toISOString(),
    fileEntries: outcome.fileEntries,
    ...(range ? { range } : {}),
  };
}

export function fileResult(
  path: string,
  outcome: Pick<CachedResult, 'counts' | 'model' | 'eventWeight'>,
  contentHash: string | null,
  backend: BackendName,
  fromCache: boolean,
  timings: FileResult['timings'],
): FileResult {
  return {
    path,
    source: sourceOfPath(path),
    counts: { ...outcome.counts },
    model: outcome.model,
    eventWeight: outcome.eventWeight,
    contentHash,
    backend,
    fromCache,
    timings,
  };
}

/** What of a range's outcome merging needs (a worker's reply, or a range result kept in a shard file). */
export type RangeCounts = Pick<RangeOutcome, 'fileEntries' | 'entryStart' | 'entryStop' | 'counts' | 'model' | 'eventWeight'>;

/** Adds the ranges' counts and models; checks that together they cover the file exactly once. */
export function mergeRanges(
  path: string,
  outcomes: readonly RangeCounts[],
): Pick<CachedResult, 'counts' | 'model' | 'eventWeight'> & { readonly fileEntries: number } {
  const sorted = [...outcomes].sort((a, b) => a.entryStart - b.entryStart);
  const entries = sorted[0]?.fileEntries ?? 0;
  if (sorted.length === 0) throw new Error(`${path}: internal error: no entry range to merge`);
  let next = 0;
  const counts = zeroCounts();
  const model = copyModel(sorted[0]!.model);
  for (const [i, o] of sorted.entries()) {
    if (o.entryStart !== next || o.fileEntries !== entries) {
      throw new Error(`${path}: internal error: entry ranges do not tile the file (at entry ${next})`);
    }
    next = o.entryStop;
    addCounts(counts, o.counts);
    if (i > 0) addModel(model, o.model, path);
  }
  if (next !== entries) throw new Error(`${path}: internal error: ranges end at entry ${next} of ${entries}`);
  return { counts, model, eventWeight: entries === 0 ? null : (sorted[0]!.eventWeight ?? null), fileEntries: entries };
}
