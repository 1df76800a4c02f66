// How many shards a run gets by default: about 1-2 GB of input each (at least one
// shard), so that a task runs for minutes rather than seconds or hours, and never
// more than one array holds (the site's MaxArraySize).

export const SHARD_TARGET_BYTES = 1e9;

/** floor(total / 1 GB) shards give each between 1 and 2 GB (for 1 GB of input or more). */
export function defaultShardCount(totalBytes: number, maxArraySize: number): number {
  return Math.max(1, Math.min(maxArraySize, Math.floor(totalBytes / SHARD_TARGET_BYTES)));
}
