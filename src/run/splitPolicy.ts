// Which files are worth cutting into entry ranges (the main process decides from sizes
// alone; the cutting itself, which opens the file, runs in a worker: planRanges.ts).
// Opening a file costs a worker's time, so only files big enough for splitting to
// matter are looked at.

/** Below this size a file is one task without looking inside (its entries cannot matter). */
export const SMALL_FILE_BYTES = 16 << 20;

/**
 * Files smaller than this are one task each: under a quarter of a worker's share of
 * the input (or 16 MB), the other files keep the workers busy without cutting them.
 */
export function splitThresholdBytes(fileSizes: readonly number[], jobs: number): number {
  const total = fileSizes.reduce((a, b) => a + b, 0);
  return Math.max(SMALL_FILE_BYTES, total / (4 * Math.max(1, jobs)));
}

/** `--split-entries`: a file is cut into cluster-aligned ranges of about this many entries. */
export const DEFAULT_SPLIT_ENTRIES = 2_000_000;
