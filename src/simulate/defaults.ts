// What `mssi simulate` can write and writes by default: constants only (no imports
// that run), so that the command's registration can name them without loading the
// generator and the writer.

import type { Compression, CompressionAlgorithm } from '../root/write/types.js';

/** `split`: LZ's split TBranchElements of RQ classes; `flat`: the same full names as plain leaves. */
export type Layout = 'split' | 'flat';
export const LAYOUTS: readonly Layout[] = ['split', 'flat'];

/** What the ROOT writer can write. */
export const COMPRESSION_ALGORITHMS: readonly CompressionAlgorithm[] = ['zlib', 'lz4', 'zstd', 'none'];

export const SIMULATE_DEFAULTS = {
  events: 10_000,
  layout: 'split' as Layout,
  compression: { algorithm: 'zlib', level: 1 } as Compression,
  basketSize: 32_000,
  clusterSize: 100_000,
  seed: 1,
} as const;
