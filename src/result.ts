// FileResult: what the selection of one file yields. It flows from the workers
// (or the cache) to the report, and is what the cache stores.

import type { ModelCounts } from './model/types.js';
import type { SelectionCounts } from './selection/types.js';

export type BackendName = 'cpu' | 'gpu';

/** Version of the FileResult layout; part of the cache key. 2: the model's binned counts. */
export const RESULT_SCHEMA_VERSION = 2;

export interface FileResult {
  /** The path the user named (as given, not resolved). */
  readonly path: string;
  /** File name without directory and `.root`, a leading `SS_skim_` removed. */
  readonly source: string;
  readonly counts: SelectionCounts;
  /** Its SS FV ROI and MSSI FV ROI events in (cS1, log10 cS2) bins (src/model/bin.ts). */
  readonly model: ModelCounts;
  /** `mcTruthEvent.eventWeight` of entry 0; null when the file has no entries. */
  readonly eventWeight: number | null;
  /** Hex SHA-256 of the file's bytes; null when run without a cache (the file is not hashed). */
  readonly contentHash: string | null;
  readonly backend: BackendName;
  /** Whether the result came from the cache rather than from reading the file. */
  readonly fromCache: boolean;
  readonly timings: {
    readonly readMs: number;
    readonly selectMs: number;
    readonly totalMs: number;
    /** Largest peak RSS of the worker processes that read it (absent for cache hits). */
    readonly workerPeakRssBytes?: number;
  };
}

/** A file that could not be processed, and why. */
export interface FileFailure {
  readonly path: string;
  readonly message: string;
}

/** `Source` of SELECTION.md: base name without `.root`, a leading `SS_skim_` removed. */
export function sourceOfPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.endsWith('.root') ? base.slice(0, -'.root'.length) : base;
  return stem.startsWith('SS_skim_') ? stem.slice('SS_skim_'.length) : stem;
}
