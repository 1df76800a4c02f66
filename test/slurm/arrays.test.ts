import { describe, expect, it } from 'vitest';
import { ArrayPlanError, arraySpec, chunkShards, shardsOfChunk } from '../../src/slurm/arrays.js';
import { defaultShardCount } from '../../src/slurm/shardCount.js';

describe('shards into arrays', () => {
  it('puts all shards in one array when they fit', () => {
    expect(chunkShards([0, 1, 2, 3], 1001)).toEqual([{ offset: 0, indices: [0, 1, 2, 3] }]);
  });

  it('past MaxArraySize, cuts into arrays with offsets, each index below it', () => {
    const chunks = chunkShards(Array.from({ length: 14 }, (_, i) => i), 6);
    expect(chunks).toEqual([
      { offset: 0, indices: [0, 1, 2, 3, 4, 5] },
      { offset: 6, indices: [0, 1, 2, 3, 4, 5] },
      { offset: 12, indices: [0, 1] },
    ]);
    expect(chunks.flatMap(shardsOfChunk)).toEqual(Array.from({ length: 14 }, (_, i) => i));
  });

  it('keeps a resubmitted shard at its offset', () => {
    expect(chunkShards([9, 3, 7, 13], 6)).toEqual([
      { offset: 0, indices: [3] },
      { offset: 6, indices: [1, 3] },
      { offset: 12, indices: [1] },
    ]);
  });

  it('refuses disabled arrays, duplicates and bad shards', () => {
    expect(() => chunkShards([0], 0)).toThrow(/MaxArraySize is 0: job arrays are disabled/);
    expect(() => chunkShards([1, 1], 6)).toThrow(ArrayPlanError);
    expect(() => chunkShards([-1], 6)).toThrow(ArrayPlanError);
  });
});

describe('--array values', () => {
  it('writes runs as ranges and the limit of running tasks', () => {
    expect(arraySpec([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toBe('0-9%4');
    expect(arraySpec([3, 7, 9], 2)).toBe('3,7,9%2');
    expect(arraySpec([3, 7, 8, 9, 12])).toBe('3,7-9,12');
    expect(arraySpec([5])).toBe('5');
  });

  it('refuses an empty or unsorted list', () => {
    expect(() => arraySpec([])).toThrow(ArrayPlanError);
    expect(() => arraySpec([3, 2])).toThrow(/must ascend/);
  });
});

describe('default shard count', () => {
  it('gives 1-2 GB of input per shard, at least one, at most MaxArraySize', () => {
    expect(defaultShardCount(0, 1001)).toBe(1);
    expect(defaultShardCount(2.3e6, 1001)).toBe(1);
    expect(defaultShardCount(1.99e9, 1001)).toBe(1);
    expect(defaultShardCount(2e9, 1001)).toBe(2);
    for (const total of [1e9, 3.7e9, 17.2e9, 999.5e9]) {
      const n = defaultShardCount(total, 100_000);
      expect(total / n).toBeGreaterThanOrEqual(1e9);
      expect(total / n).toBeLessThan(2e9);
    }
    expect(defaultShardCount(50e12, 1001)).toBe(1001);
  });
});
