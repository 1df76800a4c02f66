import { describe, expect, it } from 'vitest';
import { ScratchArena } from '../../../src/root/read/scratch.js';

describe('ScratchArena', () => {
  it('hands out disjoint views and reuses them after release', () => {
    const arena = new ScratchArena();
    const m0 = arena.mark();
    const a = arena.take(100).fill(1);
    const m1 = arena.mark();
    const b = arena.take(50).fill(2);
    expect(a.every((x) => x === 1)).toBe(true);
    arena.release(m1);
    const c = arena.take(50);
    expect(c.buffer).toBe(b.buffer);
    expect(c.byteOffset).toBe(b.byteOffset);
    arena.release(m0);
    expect(arena.mark()).toBe(0);
  });

  it('keeps views taken before it grows intact', () => {
    const arena = new ScratchArena();
    const a = arena.take(10).fill(7);
    const big = arena.take(1 << 20).fill(9); // forces a new buffer
    expect(a.every((x) => x === 7)).toBe(true);
    expect(big.every((x) => x === 9)).toBe(true);
    expect(a.buffer).not.toBe(big.buffer);
    arena.release(0);
    const again = arena.take(1 << 20);
    expect(again.buffer).toBe(big.buffer); // the grown buffer is reused from now on
    expect(arena.capacity).toBeGreaterThanOrEqual((1 << 20) + 10);
  });
});
