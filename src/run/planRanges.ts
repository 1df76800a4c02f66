// How a big file is cut into tasks, in a worker (it parses the file): into
// cluster-aligned ranges of about `splitEntries` entries, so a few big files keep
// every worker busy. Which files are big enough to be looked at: splitPolicy.ts.

import { clusterRanges, openRootFile } from '../root/read/reader.js';
import type { EntryRange } from './tasks.js';

/**
 * The file's ranges: of about `splitEntries` entries, or of entries / `minPieces` when
 * that is fewer, following the clusters of `treeName` (the selection's scatters tree);
 * the whole file when it has no more entries than that (or no such tree: its select
 * task says so).
 */
export async function planRanges(path: string, treeName: string, splitEntries: number, minPieces = 1): Promise<EntryRange[]> {
  const whole: EntryRange[] = [{ start: 0, stop: null }];
  // A file that cannot be opened fails here, with the reader's message (its select task would say the same).
  const file = await openRootFile(path);
  try {
    const tree = file.trees().find((t) => t.name === treeName);
    if (!tree) return whole;
    const target = Math.min(splitEntries, Math.ceil(tree.entries / Math.max(1, minPieces)));
    if (tree.entries <= target) return whole;
    const ranges = clusterRanges(tree, target);
    return ranges.length > 0 ? ranges : whole;
  } finally {
    file.close();
  }
}
