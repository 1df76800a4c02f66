import { describe, expect, it } from 'vitest';
import { balance, shardLoads } from '../../src/shard/balance.js';
import { Rng } from '../../src/simulate/rng.js';

const MB = 1e6;

/** Size mixes a run meets: alike, spread, heavy-tailed, a few giants, equal sizes. */
const mixes: Record<string, (rng: Rng, n: number) => number[]> = {
  uniform: (rng, n) => Array.from({ length: n }, () => Math.round(10 * MB + rng.uniform() * 4000 * MB)),
  lognormal: (rng, n) => Array.from({ length: n }, () => Math.round(Math.min(4000 * MB, Math.max(10 * MB, Math.exp(Math.log(200 * MB) + 1.2 * rng.normal()))))),
  giants: (rng, n) => Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 4000 * MB : Math.round(rng.uniform() * 20 * MB))),
  equal: (_rng, n) => Array<number>(n).fill(123 * MB),
  tiny: (rng, n) => Array.from({ length: n }, () => rng.int(5)),
};

describe('balance (largest first onto the lightest shard)', () => {
  it('keeps the heaviest shard within the mean plus the largest task, for random mixes of sizes', () => {
    let cases = 0;
    for (const [name, mix] of Object.entries(mixes)) {
      for (let seed = 1; seed <= 40; seed++) {
        const rng = new Rng(seed, name);
        const sizes = mix(rng, 1 + rng.int(600));
        const shards = 1 + rng.int(Math.min(200, sizes.length * 2));
        const shardOf = balance(sizes, shards);
        expect(shardOf).toHaveLength(sizes.length);
        expect(shardOf.every((k) => Number.isInteger(k) && k >= 0 && k < shards)).toBe(true);
        const loads = shardLoads(sizes, shardOf, shards);
        const total = sizes.reduce((a, b) => a + b, 0);
        expect(loads.reduce((a, b) => a + b, 0)).toBe(total);
        const bound = total / shards + Math.max(...sizes);
        expect(Math.max(...loads), `${name} seed ${seed}: ${sizes.length} tasks in ${shards} shards`).toBeLessThanOrEqual(bound);
        cases++;
      }
    }
    expect(cases).toBe(200);
  });

  it('is deterministic: the same sizes give the same shards', () => {
    const sizes = mixes.lognormal!(new Rng(7, 'det'), 5000);
    expect(balance(sizes, 97)).toEqual(balance([...sizes], 97));
  });

  it('breaks ties by the lowest shard index, and keeps equal sizes in their given order', () => {
    // five equal tasks onto three empty shards: 0, 1, 2, then 0 and 1 again (the lightest, lowest first)
    expect(balance([5, 5, 5, 5, 5], 3)).toEqual([0, 1, 2, 0, 1]);
    // largest first: 9 onto shard 0, 4 onto shard 1, then both 3s onto shard 1 (4, then 7, is still lighter than 9)
    expect(balance([3, 9, 3, 4], 2)).toEqual([1, 0, 1, 1]);
    // 6 onto 0, both 3s onto 1; then the loads are equal (6, 6): the 1 goes to the lower index, 0
    expect(balance([6, 3, 3, 1], 2)).toEqual([0, 1, 1, 0]);
  });

  it('leaves shards empty when there are fewer tasks than shards', () => {
    expect(balance([10, 20], 4)).toEqual([1, 0]);
    expect(balance([], 3)).toEqual([]);
  });

  it('refuses a shard count that is not a positive integer', () => {
    expect(() => balance([1], 0)).toThrow(/shards must be a positive integer, got 0/);
    expect(() => balance([1], 1.5)).toThrow(RangeError);
  });
});
