// Shards balanced by bytes: the largest task first, each onto the shard with the fewest
// bytes so far (greedy LPT). When the heaviest shard got its last task it was the
// lightest, so at most the mean; hence heaviest <= mean + largest task. Deterministic:
// equal sizes keep their given order, equal loads go to the lowest shard index.

/** The shard of each task (by `weights`, in the order given), 0..shards-1. */
export function balance(weights: readonly number[], shards: number): number[] {
  if (!Number.isSafeInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, got ${shards}`);
  const order = weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const heap = new LoadHeap(shards);
  const shardOf = new Array<number>(weights.length);
  for (const i of order) shardOf[i] = heap.addToLightest(weights[i]!);
  return shardOf;
}

/** Total weight per shard of an assignment. */
export function shardLoads(weights: readonly number[], shardOf: readonly number[], shards: number): number[] {
  const loads = new Array<number>(shards).fill(0);
  weights.forEach((w, i) => (loads[shardOf[i]!]! += w));
  return loads;
}

/** A binary min-heap of shards by (load, index). */
class LoadHeap {
  private readonly load: number[];
  private readonly heap: number[];

  constructor(shards: number) {
    this.load = new Array<number>(shards).fill(0);
    this.heap = Array.from({ length: shards }, (_, i) => i); // all 0: index order is a valid heap
  }

  private less(a: number, b: number): boolean {
    return this.load[a]! < this.load[b]! || (this.load[a] === this.load[b] && a < b);
  }

  addToLightest(weight: number): number {
    const shard = this.heap[0]!;
    this.load[shard]! += weight;
    // sift down: the root only grew
    const h = this.heap;
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let min = at;
      if (l < h.length && this.less(h[l]!, h[min]!)) min = l;
      if (r < h.length && this.less(h[r]!, h[min]!)) min = r;
      if (min === at) break;
      [h[at], h[min]] = [h[min]!, h[at]!];
      at = min;
    }
    return shard;
  }
}
