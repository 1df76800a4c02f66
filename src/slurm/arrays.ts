// Which Slurm arrays run which shards. An array's task indices must stay below the
// site's MaxArraySize, so shards past it go to further arrays, each with an offset:
// its task i runs shard offset + i (array.sbatch takes the offset as its argument).

export interface ArrayChunk {
  /** Shard = offset + SLURM_ARRAY_TASK_ID. */
  readonly offset: number;
  /** Task indices (ascending), each below maxArraySize. */
  readonly indices: readonly number[];
}

export class ArrayPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArrayPlanError';
  }
}

/**
 * Cuts shards (any order, no duplicates) into arrays: shard k goes to the array with
 * offset floor(k / maxArraySize) * maxArraySize, so shards 0..N-1 give
 * ceil(N / maxArraySize) arrays and a resubmission keeps each shard's offset.
 */
export function chunkShards(shards: readonly number[], maxArraySize: number): ArrayChunk[] {
  if (!Number.isSafeInteger(maxArraySize) || maxArraySize < 1) {
    throw new ArrayPlanError(`this Slurm's MaxArraySize is ${maxArraySize}: job arrays are disabled; ask the site to allow them`);
  }
  const sorted = [...new Set(shards)].sort((a, b) => a - b);
  if (sorted.length !== shards.length) throw new ArrayPlanError(`shard list has duplicates: ${shards.join(',')}`);
  const byOffset = new Map<number, number[]>();
  for (const k of sorted) {
    if (!Number.isSafeInteger(k) || k < 0) throw new ArrayPlanError(`shard ${k} is not a shard index`);
    const offset = Math.floor(k / maxArraySize) * maxArraySize;
    const list = byOffset.get(offset) ?? [];
    list.push(k - offset);
    byOffset.set(offset, list);
  }
  return [...byOffset].map(([offset, indices]) => ({ offset, indices }));
}

/** The shards an array runs. */
export const shardsOfChunk = (chunk: ArrayChunk): number[] => chunk.indices.map((i) => chunk.offset + i);

/**
 * The value of sbatch's --array: ascending indices with consecutive runs as ranges
 * ("0-9", "3,7-9"), then "%M" to run at most M tasks at once.
 */
export function arraySpec(indices: readonly number[], maxRunning?: number): string {
  if (indices.length === 0) throw new ArrayPlanError('an array needs at least one task');
  const parts: string[] = [];
  let start = indices[0]!;
  let prev = start;
  const flush = () => parts.push(start === prev ? `${start}` : `${start}-${prev}`);
  for (const i of indices.slice(1)) {
    if (i <= prev) throw new ArrayPlanError(`array indices must ascend: ${indices.join(',')}`);
    if (i === prev + 1) prev = i;
    else {
      flush();
      start = prev = i;
    }
  }
  flush();
  return maxRunning === undefined ? parts.join(',') : `${parts.join(',')}%${maxRunning}`;
}
