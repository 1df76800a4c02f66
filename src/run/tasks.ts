// What the main process asks a worker to do, and what comes back.

import type { ModelCounts } from '../model/types.js';
import type { BackendName } from '../result.js';
import type { Selection } from '../selection/definition.js';
import type { SelectionCounts } from '../selection/types.js';

/** Entries [start, stop) of a file; stop null: to the end. */
export interface EntryRange {
  readonly start: number;
  readonly stop: number | null;
}

export interface RangeTask {
  readonly path: string;
  /** First entry of the range. */
  readonly entryStart: number;
  /** One past the last entry; null for "to the end of the file". */
  readonly entryStop: number | null;
  readonly backend: BackendName;
  /** The selection the range is run with (a plain object: it crosses to the worker whole). */
  readonly selection: Selection;
  /**
   * Benchmark only (bench/run.ts: the run with the model off): leave the model's counts
   * empty, to measure what binning costs. Never set by a command; nothing is cached then.
   */
  readonly skipModel?: boolean;
  /**
   * With backend 'gpu': the workers whose seat (pool.ts) is below this open a device;
   * the others select on the CPU. Absent: every worker may (the session always sets it).
   */
  readonly gpuWorkers?: number;
}

/**
 * Open a big file and cut it into cluster-aligned ranges of about `splitEntries` entries,
 * or finer, into about `minPieces` ranges (a plan cuts a file into pieces of a shard's share), as its clusters allow.
 */
export interface PlanTask {
  readonly path: string;
  /** The tree whose clusters the ranges follow (the selection's scatters tree). */
  readonly tree: string;
  readonly splitEntries: number;
  readonly minPieces?: number;
}

/**
 * Every task that reads a file runs in a worker, planning too: the main process never
 * parses file contents, so a damaged file can fail only its own task.
 */
export type WorkerTask = { readonly kind: 'select'; readonly range: RangeTask } | { readonly kind: 'plan'; readonly plan: PlanTask };

export type WorkerReply = RangeOutcome | EntryRange[];

export interface RangeOutcome {
  /** Entries of the file (Scatters, equal to RQMCTruth's). */
  readonly fileEntries: number;
  readonly entryStart: number;
  readonly entryStop: number;
  readonly counts: SelectionCounts;
  /** The range's SS FV ROI and MSSI FV ROI events, binned (src/model/bin.ts). */
  readonly model: ModelCounts;
  /** eventWeight of entry 0, when the range starts at 0 and the file has entries. */
  readonly eventWeight: number | null;
  readonly readMs: number;
  readonly selectMs: number;
  /** The worker's largest resident memory (bytes) seen while this range's chunks were in memory. */
  readonly workerPeakRssBytes: number;
}
