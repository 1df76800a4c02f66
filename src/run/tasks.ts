// What the main process asks a worker to do, and what comes back.

import type { BackendName } from '../result.js';
import type { SelectionCounts } from '../selection/types.js';

export interface RangeTask {
  readonly path: string;
  /** First entry of the range. */
  readonly entryStart: number;
  /** One past the last entry; null for "to the end of the file". */
  readonly entryStop: number | null;
  readonly backend: BackendName;
}

export interface RangeOutcome {
  /** Entries of the file (Scatters, equal to RQMCTruth's). */
  readonly fileEntries: number;
  readonly entryStart: number;
  readonly entryStop: number;
  readonly counts: SelectionCounts;
  /** eventWeight of entry 0, when the range starts at 0 and the file has entries. */
  readonly eventWeight: number | null;
  readonly readMs: number;
  readonly selectMs: number;
  /** The worker's largest resident memory (bytes) seen while this range's chunks were in memory. */
  readonly workerPeakRssBytes: number;
}
