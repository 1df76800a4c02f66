// ROOT's compression framing, read strictly: every record of every fixture file
// decodes, blocks must tile the compressed bytes and fill exactly the expected size,
// every failure is a DecompressionError naming the block, and LZ4's checksum is checked.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decompressRoot,
  DecompressionError,
  loadLzma,
  lz4DecodeBlock,
  MAX_UNCOMPRESSED_BYTES,
  type BlockInfo,
} from '../../../src/root/read/compression.js';
import { compressPayload } from '../../../src/root/write/compress.js';
import { openRootFile } from '../../../src/root/read/reader.js';
import { CorruptBasketError } from '../../../src/root/read/errors.js';
import { simulate } from '../../../src/simulate/simulate.js';
import { TRUTH_TREE } from '../../../src/simulate/lzModel.js';
import { xxh64 } from '../xxhash64Reference.js';
import { rootBlocks, walkRecords } from './records.js';

const FIXTURE_DIRS = ['fixtures/real', 'fixtures/lz'];
const fixtureFiles = (): string[] =>
  FIXTURE_DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.root')).map((f) => join(d, f)));

function sample(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = (x >>> 24) % 5 === 0 ? x & 0xff : (i * 7) & 0x1f;
  }
  return out;
}

function header(magic: string, method: number, c: number, u: number): number[] {
  return [magic.charCodeAt(0), magic.charCodeAt(1), method, c & 0xff, (c >> 8) & 0xff, c >> 16, u & 0xff, (u >> 8) & 0xff, u >> 16];
}

/** A "ZL" block of `plain`. */
function zlBlock(plain: Uint8Array): Uint8Array {
  const z = deflateSync(plain);
  return Uint8Array.from([...header('ZL', 8, z.length, plain.length), ...z]);
}

const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** The message of the DecompressionError `f` throws (fails the test for anything else). */
function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecompressionError);
    return (e as Error).message;
  }
  throw new Error('expected a DecompressionError, the call succeeded');
}

/** Texts of JavaScript's own errors, which no message may carry. */
const RAW = /TypeError|RangeError|undefined|Offset is outside|Invalid typed array|Cannot read properties|Cannot mix BigInt/;

beforeAll(async () => {
  await loadLzma();
});

describe('every fixture file', () => {
  it.each(fixtureFiles())('%s: every compressed record decodes, exactly, with the checks of its algorithm', (path) => {
    const f = walkRecords(path);
    expect(f.end, 'the walk reaches fEND').toBe(f.fEND);
    const seen = new Set<string>();
    for (const r of f.records.filter((x) => x.compressed)) {
      const blocks: BlockInfo[] = [];
      const out = decompressRoot(r.payload, r.objlen, blocks);
      expect(out.length).toBe(r.objlen);
      for (const b of blocks) seen.add(b.algorithm);
    }
    // zlib blocks, against Node's zlib on its own
    for (const b of rootBlocks(f).filter((x) => x.magic === 'ZL')) {
      const ours = decompressRoot(b.record.payload.subarray(b.offset, b.offset + 9 + b.data.length), b.uncompressedBytes);
      expect(Buffer.from(ours).equals(inflateSync(b.data))).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  it('covers every algorithm the reader decodes', () => {
    const algos = new Set(fixtureFiles().flatMap((p) => rootBlocks(walkRecords(p)).map((b) => b.magic)));
    expect([...algos].sort()).toEqual(['L4', 'XZ', 'ZL', 'ZS']);
  });
});

describe('decompressRoot: strict framing', () => {
  const a = sample(20_000, 1);
  const b = sample(7_000, 2);
  const two = concat(zlBlock(a), zlBlock(b));
  const size = a.length + b.length;

  it('decodes blocks that tile the input into exactly the expected bytes, into a given buffer too', () => {
    for (const into of [undefined, new Uint8Array(size).fill(0xee), new Uint8Array(size + 1).fill(0xee)]) {
      const out = decompressRoot(two, size, undefined, into);
      expect(Buffer.from(out).equals(Buffer.from(concat(a, b)))).toBe(true);
    }
    expect(decompressRoot(new Uint8Array(0), 0).length).toBe(0);
  });

  it.each([
    [-5, /uncompressed size -5 is not an integer in 0\.\.1073741824/],
    [2.5, /uncompressed size 2\.5 is not/],
    [Number.NaN, /uncompressed size NaN is not/],
    [MAX_UNCOMPRESSED_BYTES + 1, /uncompressed size 1073741825 is not/],
  ])('refuses an expected size of %s (a stale view of the target was returned for a negative one)', (expected, message) => {
    const into = new Uint8Array(size + 1).fill(0xee);
    expect(failure(() => decompressRoot(two, expected, undefined, into))).toMatch(message);
  });

  it('refuses a target smaller than the expected size', () => {
    expect(failure(() => decompressRoot(two, size, undefined, new Uint8Array(10)))).toBe(
      `decompression target of 10 bytes is smaller than the ${size} bytes expected`,
    );
  });

  it('names the block and its byte offset for every framing fault', () => {
    const second = zlBlock(a).length; // where block 1 starts
    const cases: [Uint8Array, number, string | RegExp][] = [
      // trailing bytes once every expected byte was decoded (the old loop stopped and ignored them)
      [concat(two, Uint8Array.of(0, 0, 0)), size, `3 bytes follow the last block (at byte ${two.length} of ${two.length + 3}), after all ${size} bytes expected were decoded`],
      // fewer bytes than expected
      [zlBlock(a), size, `compressed data of ${zlBlock(a).length} bytes (1 blocks) decompresses to ${a.length} bytes, ${size} expected`],
      // more than expected
      [two, size - 1, `block 1 at byte ${second} of ${two.length}: zlib block of ${b.length} bytes after ${a.length} overruns the ${size - 1} bytes expected`],
      // truncated: the second block's data cut short, then its header
      [two.subarray(0, two.length - 5), size, `block 1 at byte ${second} of ${two.length - 5}: zlib block of ${two.length - second - 9} compressed bytes runs past the end of the ${two.length - 5} given (truncated)`],
      [two.subarray(0, second + 4), size, `block 1 at byte ${second} of ${second + 4}: 4 bytes left, shorter than a 9-byte block header (${a.length} of ${size} bytes decoded)`],
      // an unknown magic
      [concat(zlBlock(a), Uint8Array.from([0x51, 0x51, ...zlBlock(b).subarray(2)])), size, `block 1 at byte ${second} of ${two.length}: unknown compression block magic 51 51 (expected ZL, XZ, L4 or ZS)`],
      // zero sizes
      [concat(zlBlock(a), Uint8Array.from(header('ZL', 8, 0, 5))), a.length + 5, `block 1 at byte ${second} of ${second + 9}: zlib block header gives 0 compressed and 5 uncompressed bytes (both must be > 0)`],
      [concat(zlBlock(a), Uint8Array.from([...header('ZL', 8, 3, 0), 1, 2, 3])), a.length + 1, `block 1 at byte ${second} of ${second + 12}: zlib block header gives 3 compressed and 0 uncompressed bytes (both must be > 0)`],
      [Uint8Array.from([...header('ZL', 8, 3, 0), 1, 2, 3]), 0, '12 bytes follow the last block (at byte 0 of 12), after all 0 bytes expected were decoded'],
      // a block whose stream is shorter than its header says
      [Uint8Array.from([...header('ZL', 8, zlBlock(a).length - 9, a.length + 1), ...zlBlock(a).subarray(9)]), a.length + 1, /^zlib stream ended after 20000 of 20001 bytes \(block 0 at byte 0 of \d+\)$/],
    ];
    for (const [src, expected, message] of cases) {
      const into = new Uint8Array(Math.max(size, expected) + 1).fill(0xee);
      const got = failure(() => decompressRoot(src, expected, undefined, into));
      if (typeof message === 'string') expect(got).toBe(message);
      else expect(got).toMatch(message);
      expect(got).not.toMatch(RAW);
    }
  });

  it('gives messages without JavaScript internals for garbage in every algorithm', () => {
    let x = 99;
    const noise = (n: number) => Uint8Array.from({ length: n }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    for (const magic of ['ZL', 'XZ', 'L4', 'ZS']) {
      for (let k = 0; k < 50; k++) {
        const body = noise(40 + k);
        if (magic === 'XZ' && k % 2) body.set([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]); // a valid-looking start
        const src = Uint8Array.from([...header(magic, magic === 'ZL' ? 8 : 1, body.length, 1000), ...body]);
        expect(failure(() => decompressRoot(src, 1000))).not.toMatch(RAW);
      }
    }
  });
});

describe('lz4 blocks: the xxhash64 ROOT stores in front of each', () => {
  const lz4Blocks = () => rootBlocks(walkRecords('fixtures/real/uproot-HZZ-lz4.root')).filter((b) => b.magic === 'L4');

  it('is big-endian XXH64 (seed 0) of the LZ4 data, in every block of a file ROOT wrote', () => {
    const blocks = lz4Blocks();
    expect(blocks.length).toBeGreaterThan(40);
    for (const b of blocks) {
      const stored = new DataView(b.data.buffer, b.data.byteOffset, 8).getBigUint64(0, false);
      expect(stored).toBe(xxh64(b.data.subarray(8), 0));
    }
  });

  it('refuses every damaged block that the LZ4 decoder alone would have decoded to other bytes', () => {
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    const blocks = lz4Blocks();
    let silentBefore = 0;
    for (let k = 0; k < 1500; k++) {
      const b = blocks[rnd() % blocks.length]!;
      const block = Uint8Array.from(b.record.payload.subarray(b.offset, b.offset + 9 + b.data.length));
      const pos = 9 + (rnd() % b.data.length); // the checksum or the data
      block[pos]! ^= (rnd() % 255) + 1;
      // what the reader did before: the data after the checksum, decoded unchecked
      const unchecked = new Uint8Array(b.uncompressedBytes);
      try {
        if (lz4DecodeBlock(block.subarray(17), unchecked) === b.uncompressedBytes && pos >= 17) silentBefore++;
      } catch {
        // the decoder noticed
      }
      const message = failure(() => decompressRoot(block, b.uncompressedBytes));
      expect(message).toMatch(/^lz4 block checksum mismatch \(xxhash64 stored 0x[0-9a-f]{16}, computed 0x[0-9a-f]{16}\): the block is damaged \(block 0 at byte 0 of \d+\)$/);
    }
    expect(silentBefore, 'damaged blocks the unchecked decoder decoded').toBeGreaterThan(100);
  });

  it('round-trips the writer\'s lz4 blocks: long and short literals, long, short and overlapping matches', () => {
    let x = 5;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    let tested = 0;
    for (const n of [20, 100, 5000, 70_000, 300_000]) {
      const data = new Uint8Array(n);
      for (let i = 0; i < n; ) {
        const kind = rnd() % 4;
        const len = 1 + (rnd() % (kind === 0 ? 200 : 40));
        for (let k = 0; k < len && i < n; k++, i++) {
          if (kind === 0) data[i] = rnd(); // a literal run
          else if (kind === 1) data[i] = 7; // a run: overlapping match of offset 1
          else data[i] = i >= 64 ? data[i - 64 + (kind === 2 ? 0 : 61)]! : rnd(); // matches of offset 64 or 3
        }
      }
      const z = compressPayload(data, { algorithm: 'lz4', level: 1 });
      if (z === null) continue; // stored raw
      expect(Buffer.from(decompressRoot(z, n)).equals(Buffer.from(data)), `${n} bytes`).toBe(true);
      tested++;
    }
    expect(tested).toBeGreaterThanOrEqual(3);
  });

  it('names the stored and the computed checksum', () => {
    const data = sample(3000, 5);
    const z = compressPayload(data, { algorithm: 'lz4', level: 1 })!;
    const stored = new DataView(z.buffer, z.byteOffset).getBigUint64(9, false);
    z[12]! ^= 0x01; // the checksum's 4th byte
    const hex = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;
    expect(failure(() => decompressRoot(z, data.length))).toBe(
      `lz4 block checksum mismatch (xxhash64 stored ${hex(stored ^ (1n << 32n))}, computed ${hex(stored)}): the block is damaged (block 0 at byte 0 of ${z.length})`,
    );
  });
});

describe('lz4 through the reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-lz4-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails a volume-name basket damaged where the LZ4 decoder alone decodes other names', async () => {
    const [file] = await simulate({
      outDir: dir,
      sources: ['K40_BottomTruss'],
      events: 2000,
      layout: 'split',
      compression: { algorithm: 'lz4', level: 1 },
      basketSize: 8000,
      clusterSize: 1000,
      seed: 3,
    });
    const branch = 'mcTruthVertices.volumeName';
    const f = await openRootFile(file!.path);
    const basket = f.tree(TRUTH_TREE).branchList.find((b) => b.name === branch)!.baskets[0]!;
    const good = await f.readColumns(TRUTH_TREE, [branch]);
    f.close();
    expect(good.get(branch)?.kind).toBe('vectorString');
    // a byte of the LZ4 data whose flip still decodes (a literal): the names change silently without the checksum
    const walked = walkRecords(file!.path);
    const record = walked.records.find((r) => r.at === basket.seek)!;
    const block = record.payload;
    const size = block[6]! | (block[7]! << 8) | (block[8]! << 16);
    const clean = new Uint8Array(size);
    lz4DecodeBlock(block.subarray(17), clean);
    let pos = -1;
    for (let p = block.length - 1; p >= 17 && pos < 0; p--) {
      const bad = Uint8Array.from(block.subarray(17));
      bad[p - 17]! ^= 0x20;
      const out = new Uint8Array(size);
      try {
        if (lz4DecodeBlock(bad, out) === size && !Buffer.from(out).equals(Buffer.from(clean))) pos = p;
      } catch {
        // the decoder noticed this one
      }
    }
    expect(pos).toBeGreaterThan(0);
    walked.bytes[basket.seek + record.keylen + pos]! ^= 0x20;
    const copy = join(dir, 'damaged-lz4.root');
    writeFileSync(copy, walked.bytes);
    const g = await openRootFile(copy);
    try {
      const read = g.readColumns(TRUTH_TREE, [branch]);
      await expect(read).rejects.toThrow(CorruptBasketError);
      await expect(g.readColumns(TRUTH_TREE, [branch])).rejects.toThrow(
        new RegExp(`branch '${branch}'.*basket at byte ${basket.seek}.*lz4 block checksum mismatch .*: the block is damaged \\(block 0 at byte 0 of \\d+\\)`),
      );
    } finally {
      g.close();
    }
  });
});

