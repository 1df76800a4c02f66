// zstd through libzstd (our own instance of the package's decompress-only wasm):
// every block of real and simulated files, frames of any length, and a seeded
// corruption corpus where each case is refused or decodes to what a second,
// independent libzstd instance gives. fzstd, the decoder before, accepted many of
// those cases with wrong bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress as fzstd } from 'fzstd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecompressionError, decompressRoot } from '../../../src/root/read/compression.js';
import { zstdDecompressInto } from '../../../src/root/read/zstd.js';
import { compressPayload } from '../../../src/root/write/compress.js';
import { loadZstdEncoder } from '../../../src/root/write/zstd.js';
import { simulate } from '../../../src/simulate/simulate.js';
import { rootBlocks, walkRecords, type RootBlock } from './records.js';

interface ZstdPackage {
  ZstdInit(): Promise<unknown>;
  ZstdStream: { decompress(payload: Uint8Array): Uint8Array };
}

/** A second libzstd: the package's full wasm build (a module instance apart from ours and jsroot's), streaming API. */
let reference: ZstdPackage['ZstdStream'];
let simulated: RootBlock[];
const dir = mkdtempSync(join(tmpdir(), 'mssi-zstd-'));

beforeAll(async () => {
  const pkg = createRequire(import.meta.url)('@oneidentity/zstd-js/wasm/index.cjs.js') as ZstdPackage;
  await pkg.ZstdInit();
  reference = pkg.ZstdStream;
  await loadZstdEncoder();
  const [file] = await simulate({
    outDir: dir,
    sources: ['K40_BottomTruss'],
    events: 3000,
    layout: 'split',
    compression: { algorithm: 'zstd', level: 3 },
    basketSize: 6000,
    clusterSize: 1000,
    seed: 5,
  });
  simulated = rootBlocks(walkRecords(file!.path)).filter((b) => b.magic === 'ZS');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const realBlocks = (): RootBlock[] => rootBlocks(walkRecords('fixtures/real/uproot-HZZ-zstd.root')).filter((b) => b.magic === 'ZS');

function decode(frame: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  zstdDecompressInto(frame, out);
  return out;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('zstd by libzstd', () => {
  it('decodes every block of a real file and of simulated files, as the second libzstd does, short frames too', () => {
    const blocks = [...realBlocks(), ...simulated];
    expect(simulated.length).toBeGreaterThan(20);
    expect(blocks.some((b) => b.data.length <= 100), 'frames of 100 bytes or less (the package wrapper refuses them)').toBe(true);
    for (const b of blocks) {
      const ours = decode(b.data, b.uncompressedBytes);
      expect(same(ours, reference.decompress(b.data))).toBe(true);
    }
  });

  it('says what libzstd says, and refuses a frame shorter than the block header says', () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => ((i * 2654435761) >>> 28) + (i % 7));
    const z = compressPayload(data, { algorithm: 'zstd', level: 3 })!.subarray(9);
    expect(() => decode(z, 4999)).toThrow('zstd: Destination buffer is too small (ZSTD_error_dstSize_tooSmall)');
    expect(() => decode(z.subarray(0, z.length - 3), 5000)).toThrow(/^zstd: /);
    expect(() => decode(Uint8Array.from({ length: 20 }, (_, i) => i + 1), 10)).toThrow('zstd: Unknown frame descriptor (ZSTD_error_prefix_unknown)');
    // a frame without a content size that holds fewer bytes than the header says
    const raw = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x48, (3 << 3) | 1, 0, 0, 1, 2, 3);
    expect(same(decode(raw, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(() => decode(raw, 4)).toThrow('zstd frame holds 3 bytes, the block header says 4');
    const into = new Uint8Array(4).fill(0xee);
    expect(() => zstdDecompressInto(raw, into)).toThrow(DecompressionError);
    expect(Array.from(into)).toEqual([0xee, 0xee, 0xee, 0xee]); // not written on failure
  });

  it('grows its heap for big frames and keeps decoding small ones', () => {
    const big = Uint8Array.from({ length: 6_000_000 }, (_, i) => (i * 2654435761) >>> 27);
    const z = compressPayload(big, { algorithm: 'zstd', level: 1 })!;
    expect(same(decompressRoot(z, big.length), big)).toBe(true);
    const b = realBlocks()[0]!;
    expect(same(decode(b.data, b.uncompressedBytes), reference.decompress(b.data))).toBe(true);
  });

  it("is unaffected by the package's main build being initialised as jsroot does", async () => {
    const main = createRequire(import.meta.url)('@oneidentity/zstd-js') as ZstdPackage;
    await main.ZstdInit();
    await main.ZstdInit(); // a second init of one instance corrupts its state, not ours
    for (const b of realBlocks().slice(0, 10)) expect(same(decode(b.data, b.uncompressedBytes), reference.decompress(b.data))).toBe(true);
  });
});

describe('zstd: seeded corruptions of real and simulated baskets', () => {
  it.each([
    ['uproot-HZZ-zstd.root', 1],
    ['simulate --compression zstd', 2],
  ])('%s: every damaged block is refused with a DecompressionError or decodes as libzstd decodes it', (_name, seed) => {
    const blocks = seed === 1 ? realBlocks() : simulated;
    let s = seed;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    let refused = 0;
    let fzstdAccepted = 0;
    let decoded = 0;
    for (let k = 0; k < 1200; k++) {
      const b = blocks[rnd() % blocks.length]!;
      const z = Uint8Array.from(b.data);
      const flips = 1 + (rnd() % 3);
      for (let f = 0; f < flips; f++) z[rnd() % z.length]! ^= (rnd() % 255) + 1;
      let ours: Uint8Array | null = null;
      try {
        ours = decode(z, b.uncompressedBytes);
      } catch (e) {
        expect(e).toBeInstanceOf(DecompressionError);
        expect((e as Error).message).toMatch(/^zstd/);
      }
      if (ours) {
        decoded++;
        expect(same(ours, reference.decompress(z)), `case ${k}`).toBe(true);
        continue;
      }
      refused++;
      try {
        if (fzstd(z, new Uint8Array(b.uncompressedBytes)).length === b.uncompressedBytes) fzstdAccepted++;
      } catch {
        // fzstd refused it too
      }
    }
    expect(refused).toBeGreaterThan(300);
    expect(decoded).toBeGreaterThan(0);
    expect(fzstdAccepted, 'cases libzstd refuses that fzstd decoded to a full-size result').toBeGreaterThan(50);
  });

  it('refuses a damaged block that fzstd decoded to wrong bytes (regression)', () => {
    // the first basket of uproot-HZZ-zstd.root, one byte of its last sequences flipped
    const b = realBlocks()[0]!;
    expect(b.record.at).toBe(250);
    const z = Uint8Array.from(b.data);
    z[19250]! ^= 0x10;
    const good = decode(b.data, b.uncompressedBytes);
    const before = fzstd(z, new Uint8Array(b.uncompressedBytes));
    expect(before.length).toBe(b.uncompressedBytes);
    expect(same(before, good)).toBe(false); // what the reader used to hand on
    expect(() => reference.decompress(z)).toThrow(); // libzstd's own verdict
    const block = Uint8Array.from([...b.record.payload.subarray(b.offset, b.offset + 9)]);
    expect(() => decompressRoot(Uint8Array.from([...block, ...z]), b.uncompressedBytes)).toThrow(
      `zstd: Corrupted block detected (ZSTD_error_corruption_detected) (block 0 at byte 0 of ${z.length + 9})`,
    );
  });
});
