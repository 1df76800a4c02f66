// A damaged basket key can never make reused memory stand in for bytes that were
// not read: every size in it is checked before it is used.
import { DEFAULT_SELECTION } from '../../../src/selection/definition.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openRootFile } from '../../../src/root/read/reader.js';
import { CorruptBasketError } from '../../../src/root/read/errors.js';
import { parseBasketHeader } from '../../../src/root/read/basket.js';
import { ScratchArena } from '../../../src/root/read/scratch.js';
import { analyseRange } from '../../../src/analysis/analyseRange.js';

const LZ = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/lz');
const tmp = mkdtempSync(join(tmpdir(), 'mssi-basket-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GOOD = join(LZ, 'SS_skim_K40_DomePMTs.root');

/** A copy of GOOD with the first basket of `branch` given `bytes` at `offset` in its key. */
async function withBasketKeyBytes(branch: string, offset: number, bytes: number[]): Promise<{ path: string; seek: number }> {
  const rf = await openRootFile(GOOD);
  const seek = rf.tree('Scatters').branches.get(branch)!.baskets[0]!.seek;
  rf.close();
  const b = readFileSync(GOOD);
  Buffer.from(bytes).copy(b, seek + offset);
  const path = join(tmp, `${branch}-${offset}.root`);
  writeFileSync(path, b);
  return { path, seek };
}

describe('a basket key with a negative fObjlen', () => {
  it('is refused even right after another file filled the reused memory', async () => {
    const { path, seek } = await withBasketKeyBytes('ss.x_cm', 6, [0xff, 0xff, 0xff, 0xfb]);
    // the good file first: its baskets fill the scratch memory the next file reuses
    const good = await openRootFile(GOOD);
    const before = await good.readColumns('Scatters', ['ss.x_cm']);
    good.close();
    const bad = await openRootFile(path);
    const err = await bad.readColumns('Scatters', ['ss.x_cm']).catch((e: unknown) => e);
    bad.close();
    expect(err).toBeInstanceOf(CorruptBasketError);
    expect(String(err)).toContain(`${path}, tree 'Scatters', branch 'ss.x_cm', basket at byte ${seek} (entries 0..`);
    expect(String(err)).toContain('fObjlen -5 is not a basket size');
    expect(before.get('ss.x_cm')!.kind).toBe('scalar');
  });

  it('fails the whole analysis of that file, after a good one in the same process', async () => {
    const { path } = await withBasketKeyBytes('ss.driftTime_ns', 6, [0xff, 0xff, 0xff, 0xfb]);
    await analyseRange({ path: GOOD, entryStart: 0, entryStop: null, backend: 'cpu', selection: DEFAULT_SELECTION });
    await expect(analyseRange({ path, entryStart: 0, entryStop: null, backend: 'cpu', selection: DEFAULT_SELECTION })).rejects.toThrow(/fObjlen -5 is not a basket size/);
  });
});

describe('parseBasketHeader', () => {
  it('checks every size it returns', () => {
    const key = new Uint8Array(60);
    const dv = new DataView(key.buffer);
    const fill = (nbytes: number, objlen: number, keylen: number, nevBuf: number) => {
      dv.setInt32(0, nbytes);
      dv.setInt16(4, 4);
      dv.setInt32(6, objlen);
      dv.setInt16(14, keylen);
      dv.setInt32(keylen - 19 + 10, nevBuf);
      return key;
    };
    const place = { file: 'f.root', branch: 'b' };
    expect(parseBasketHeader(fill(100, 200, 60, 10), place).objlen).toBe(200);
    expect(() => parseBasketHeader(fill(100, -5, 60, 10), place)).toThrow(/fObjlen -5 is not a basket size/);
    expect(() => parseBasketHeader(fill(50, 200, 60, 10), place)).toThrow(/fNbytes 50 is less than its key length 60/);
    expect(() => parseBasketHeader(fill(100, 200, 60, -1), place)).toThrow(/fNevBuf -1 is not a number of entries/);
    expect(() => parseBasketHeader(fill(100, 200, 61, 1), place)).toThrow(/fKeylen 61 is impossible \(the key is 60 bytes\)/);
  });
});

describe('ScratchArena', () => {
  it('refuses a negative or fractional size instead of handing out old bytes', () => {
    const arena = new ScratchArena();
    arena.take(100).fill(7);
    arena.release(0);
    expect(() => arena.take(-5)).toThrow(RangeError);
    expect(() => arena.take(1.5)).toThrow(RangeError);
    expect(arena.mark()).toBe(0);
  });
});
