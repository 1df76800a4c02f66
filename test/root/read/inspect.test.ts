// inspect on long branch names (a basket key longer than any fixed guess), on a
// damaged basket key (that branch reports its problem, the rest is described), and
// on branches the reader refuses for what they hold, not for their type.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectRootFile } from '../../../src/root/read/inspect.js';
import { openRootFile } from '../../../src/root/read/reader.js';
import { FileSource } from '../../../src/root/read/source.js';
import { LONG_BRANCH, LONG_TREE, writeLongNames, writeLongNamesWithDamagedBasket } from './longNames.js';

const REAL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');
const dir = mkdtempSync(join(tmpdir(), 'mssi-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspect', () => {
  it('reads each basket key at its own length (long branch and tree names)', async () => {
    const path = join(dir, 'long.root');
    writeLongNames(path);
    const rf = await openRootFile(path);
    const baskets = rf.tree(LONG_TREE).branches.get(LONG_BRANCH)!.baskets;
    rf.close();
    expect(baskets.length).toBeGreaterThan(2);
    const d = await inspectRootFile(path);
    const b = d.trees[0]!.branches.find((x) => x.name === LONG_BRANCH)!;
    expect(b.problem).toBeUndefined();
    expect(b.baskets).toBe(baskets.length);
    expect(b.compressedBytes).toBe(baskets.reduce((s, k) => s + k.bytes, 0));
    // each key (fKeylen, at byte 14) is longer than 128 bytes; uncompressed = keys + 400 doubles
    const src = new FileSource(path);
    const keylens = baskets.map((k) => Buffer.from(src.read(k.seek + 14, 2)).readInt16BE(0));
    src.close();
    const keylen = keylens[0]!;
    expect(keylens.every((x) => x === keylen)).toBe(true);
    expect(keylen).toBeGreaterThan(128);
    expect(b.uncompressedBytes).toBe(baskets.length * keylen + 400 * 8);
  });

  it('a damaged basket key fails that branch alone, which says what and where', async () => {
    const path = join(dir, 'damaged.root');
    const seek = await writeLongNamesWithDamagedBasket(path);
    const d = await inspectRootFile(path);
    const [bad, good] = [LONG_BRANCH, 'short'].map((n) => d.trees[0]!.branches.find((x) => x.name === n)!);
    expect(bad!.problem).toBe(`basket 1 at byte ${seek}: corrupt data: its key length fKeylen 18 is impossible (the key is 18 bytes)`);
    expect(good!.problem).toBeUndefined();
    expect(good!.baskets).toBeGreaterThan(2);
  });

  it('says what never-filled and uncounted branches are', async () => {
    const d = await inspectRootFile(join(REAL, 'string-example.root'));
    const params = d.trees.find((t) => t.name === 'Refs')!.branches.find((b) => b.name === 'Params')!;
    expect(params).toMatchObject({ type: null, entries: 2, baskets: 1 });
    expect(params.unsupported).toMatch(/^the tree has 0 entries but this branch holds 2 /);
  });

  it('describes Double32_t, Float16_t and RVec branches with their packing', async () => {
    const d32 = await inspectRootFile(join(REAL, 'uproot-double32-float16.root'));
    const byName = new Map(d32.trees[0]!.branches.map((b) => [b.name, b]));
    expect(byName.get('double32_20')).toMatchObject({ type: { kind: 'scalar', type: 'float64' }, rootType: 'TLeafD32 (range [-2.71,10], 20 bits)' });
    expect(byName.get('array_10')).toMatchObject({ type: { kind: 'vector', type: 'float32' }, rootType: 'TLeafF16[3] (range [-2.71,10], 10 bits)' });
    const rvec = await inspectRootFile(join(REAL, 'gohep-rvec.root'));
    expect(rvec.trees[0]!.branches.find((b) => b.name === 'MC_px')).toMatchObject({ type: { kind: 'vector', type: 'float32' }, rootType: 'ROOT::VecOps::RVec<float>' });
  });
});
