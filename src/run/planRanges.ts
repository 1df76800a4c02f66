// How a file is cut into tasks: small files whole; a file with more entries than
// `splitEntries` into cluster-aligned ranges, so a few big files keep every worker busy.
// Opening a file to find its entries costs the main process CPU the workers could
// use, so only files big enough for splitting to matter are opened.

import { SCATTERS_TREE } from '../analysis/lzColumns.js';
import { clusterRanges, openRootFile } from '../root/read/reader.js';
import type { EntryRange } from './runFiles.js';

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

export async function planRanges(
  path: string,
  splitEntries: number,
  sizeBytes: number,
  smallFileBytes = SMALL_FILE_BYTES,
): Promise<EntryRange[]> {
  const whole: EntryRange[] = [{ start: 0, stop: null }];
  if (sizeBytes < smallFileBytes) return whole;
  let file;
  try {
    file = await openRootFile(path);
  } catch {
    return whole; // the worker reports what is wrong with it
  }
  try {
    const tree = file.trees().find((t) => t.name === SCATTERS_TREE);
    if (!tree || tree.entries <= splitEntries) return whole;
    const ranges = clusterRanges(tree, splitEntries);
    return ranges.length > 0 ? ranges : whole;
  } finally {
    file.close();
  }
}
