// Recycled column memory: the same buffers come back chunk after chunk, and the
// columns read into them are the same as into fresh memory.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RecyclingMemory } from '../../../src/root/read/columnMemory.js';
import { openRootFile } from '../../../src/root/read/reader.js';
import { BRANCHES_READ } from '../../../src/analysis/lzColumns.js';

const LZ = fileURLToPath(new URL('../../../fixtures/lz/', import.meta.url));
const file = LZ + readdirSync(LZ).filter((f) => f.endsWith('.root')).sort()[0]!;

// Buffers are compared by identity as booleans: a failing toBe would print megabytes.
const same = (a: { buffer: ArrayBufferLike }, b: { buffer: ArrayBufferLike }) => a.buffer === b.buffer;

describe('RecyclingMemory', () => {
  it('lends new buffers until reclaimAll, then the same ones again', () => {
    const m = new RecyclingMemory();
    const a = m.allocate('float32', 1000);
    const b = m.allocate('int32', 10);
    expect(same(a, b)).toBe(false);
    m.reclaimAll();
    const c = m.allocate('float64', 500); // 4000 bytes: fits a's buffer
    expect(same(c, a)).toBe(true);
    expect(c.length).toBe(500);
    const d = m.allocate('uint8', 1 << 20); // nothing free is big enough
    expect(same(d, b)).toBe(false);
    expect(same(m.allocate('int32', 2), b)).toBe(true);
  });

  it('rounds sizes up, and does not hand a small request a much larger buffer', () => {
    const m = new RecyclingMemory();
    const big = m.allocate('uint8', (10 << 20) + 1000);
    m.reclaimAll();
    expect(same(m.allocate('uint8', 100), big)).toBe(false);
    expect(same(m.allocate('uint8', 6 << 20), big)).toBe(true);
    m.reclaimAll();
    // a somewhat larger request than last time still fits (sizes are rounded up)
    expect(same(m.allocate('uint8', (10 << 20) + 500_000), big)).toBe(true);
  });

  it('keeps a buffer through a short chunk for the next full one, and drops it after longer disuse', () => {
    const m = new RecyclingMemory();
    const big = m.allocate('float32', 1 << 20);
    const small = m.allocate('float32', 1000);
    m.reclaimAll(); // a file's short last chunk uses only the small buffer
    expect(same(m.allocate('float32', 1000), small)).toBe(true);
    m.reclaimAll(); // the next file's first, full chunk
    expect(same(m.allocate('float32', 1 << 20), big)).toBe(true);
    const held = m.bytesHeld;
    for (let i = 0; i < 3; i++) {
      m.reclaimAll();
      m.allocate('float32', 1000);
    }
    m.reclaimAll();
    // unused for more than two chunks in a row: let go
    expect(m.bytesHeld).toBeLessThan(held / 2);
    expect(same(m.allocate('float32', 1 << 20), big)).toBe(false);
  });

  it('gives the same columns as fresh memory, chunk after chunk, reusing its buffers', async () => {
    const rf = await openRootFile(file);
    try {
      const memory = new RecyclingMemory();
      let firstChunk = 0;
      for (let start = 0; start < 2000; start += 250) {
        memory.reclaimAll();
        for (const [tree, branches] of Object.entries(BRANCHES_READ)) {
          const recycled = await rf.readColumns(tree, branches, start, start + 250, memory);
          const fresh = await rf.readColumns(tree, branches, start, start + 250);
          expect(recycled).toEqual(fresh);
        }
        if (start === 0) firstChunk = memory.bytesHeld;
      }
      // the same buffers served every chunk: far less than 8 chunks' worth of new memory
      expect(memory.bytesHeld).toBeLessThan(2 * firstChunk);
    } finally {
      rf.close();
    }
  });
});
