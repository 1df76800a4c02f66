// ROOT's "XZ" blocks: the xz container (headers, index, footer, each with its CRC32)
// and the integrity check of the decoded bytes, which jsroot's LZMA decoder skips.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressRoot, DecompressionError, loadLzma, UnsupportedCompressionError } from '../../../src/root/read/compression.js';
import { crc32, crc32ForTests, crc64 } from '../../../src/root/read/crc.js';
import { parseXzStream } from '../../../src/root/read/xz.js';
import { openRootFile } from '../../../src/root/read/reader.js';
import { CorruptBasketError } from '../../../src/root/read/errors.js';
import { rootBlocks, walkRecords, type RootBlock } from './records.js';

const LZMA_FILE = 'fixtures/real/uproot-HZZ-lzma.root';
const PLAIN = new TextEncoder().encode('mssi xz check vector: ROOT writes LZMA baskets as xz streams. '.repeat(6).slice(0, 360));
const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
// xz streams of PLAIN made by liblzma (Python's lzma module, preset 6), one per check type
const VECTORS = {
  CRC32: hexBytes('fd377a585a0000016922de360200210116000000742fe5a3e0016700435d00369cecd22034104e56d87fc5910a1ccdb1cb9ee3c3ee38e668a3a6514e6f40b7bbb918c930a87ead6fb5c0c66c2cff990bb53e33fd08cf3f2d9331c9379f88988d80000000b5b4330400015be8020000007c68b1173e300d8b020000000001595a'),
  CRC64: hexBytes('fd377a585a000004e6d6b4460200210116000000742fe5a3e0016700435d00369cecd22034104e56d87fc5910a1ccdb1cb9ee3c3ee38e668a3a6514e6f40b7bbb918c930a87ead6fb5c0c66c2cff990bb53e33fd08cf3f2d9331c9379f88988d8000000076bf7a55ec0a959d00015fe8020000006a2a208cb1c467fb020000000004595a'),
  'SHA-256': hexBytes('fd377a585a00000ae1fb0ca10200210116000000742fe5a3e0016700435d00369cecd22034104e56d87fc5910a1ccdb1cb9ee3c3ee38e668a3a6514e6f40b7bbb918c930a87ead6fb5c0c66c2cff990bb53e33fd08cf3f2d9331c9379f88988d80000000ff0a10f0b5ae57b74186182c3b03b2339ace0a5ceb509fb4367b271708991884000177e80200000031addf67b6e9df1c02000000000a595a'),
  none: hexBytes('fd377a585a000000ff12d9410200210116000000742fe5a3e0016700435d00369cecd22034104e56d87fc5910a1ccdb1cb9ee3c3ee38e668a3a6514e6f40b7bbb918c930a87ead6fb5c0c66c2cff990bb53e33fd08cf3f2d9331c9379f88988d80000000000157e80200000007a87360a8000afc020000000000595a'),
};

/** A ROOT "XZ" block around an xz stream. */
function xzBlock(stream: Uint8Array, u: number): Uint8Array {
  const c = stream.length;
  return Uint8Array.from([0x58, 0x5a, 0, c & 0xff, (c >> 8) & 0xff, c >> 16, u & 0xff, (u >> 8) & 0xff, u >> 16, ...stream]);
}

const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const varint = (n: number): number[] => {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  return [...out, n];
};
const pad4 = (n: number): number[] => new Array<number>((4 - (n % 4)) % 4).fill(0);

/** An xz stream of one block, assembled per the format (for layouts liblzma would not write). */
function buildXz(checkType: number, lzma2: Uint8Array, uncompressed: number, check: Uint8Array): Uint8Array {
  const flags = [0, checkType];
  const header = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, ...flags, ...le32(zlibCrc32(Uint8Array.from(flags)))];
  const bh = [0x02, 0x00, 0x21, 0x01, 0x16, 0, 0, 0];
  const blockHeader = [...bh, ...le32(zlibCrc32(Uint8Array.from(bh)))];
  const block = [...blockHeader, ...lzma2, ...pad4(blockHeader.length + lzma2.length), ...check];
  const records = [0x00, ...varint(1), ...varint(blockHeader.length + lzma2.length + check.length), ...varint(uncompressed)];
  const index = [...records, ...pad4(records.length)];
  const indexAll = [...index, ...le32(zlibCrc32(Uint8Array.from(index)))];
  const back = [...le32(indexAll.length / 4 - 1), ...flags];
  const footer = [...le32(zlibCrc32(Uint8Array.from(back))), ...back, 0x59, 0x5a];
  return Uint8Array.from([...header, ...block, ...indexAll, ...footer]);
}

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecompressionError);
    return (e as Error).message;
  }
  throw new Error('expected a DecompressionError, the call succeeded');
}

type JsrootLzma = (src: Uint8Array, dst: Uint8Array, expected: number) => number;
let jsrootLzma: JsrootLzma;

beforeAll(async () => {
  await loadLzma();
  const io = createRequire(import.meta.url).resolve('jsroot/io');
  jsrootLzma = ((await import(new URL('./base/lzma.mjs', pathToFileURL(io)).href)) as { decompress: JsrootLzma }).decompress;
});

const realBlocks = (): RootBlock[] => rootBlocks(walkRecords(LZMA_FILE)).filter((b) => b.magic === 'XZ');
const rootBlockOf = (b: RootBlock): Uint8Array => Uint8Array.from(b.record.payload.subarray(b.offset, b.offset + 9 + b.data.length));

describe('CRC32 and CRC64', () => {
  it('give the standard check values and agree with zlib', () => {
    const digits = new TextEncoder().encode('123456789');
    expect(crc32(digits)).toBe(0xcbf43926);
    expect(crc32ForTests(digits)).toBe(0xcbf43926);
    expect(crc64(digits)).toEqual([0x995dc9bb, 0xdf1939fa]); // CRC-64/XZ
    expect(crc64(new Uint8Array(0))).toEqual([0, 0]);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24);
    expect(crc32ForTests(data)).toBe(zlibCrc32(data));
  });
});

describe('xz streams of ROOT files', () => {
  it('every block of a ROOT LZMA file is one xz stream with a CRC32 check, verified', () => {
    const blocks = realBlocks();
    expect(blocks.length).toBeGreaterThan(50);
    for (const b of blocks) {
      expect(parseXzStream(b.data).checkType).toBe(1);
      expect(decompressRoot(rootBlockOf(b), b.uncompressedBytes).length).toBe(b.uncompressedBytes);
    }
  });

  it('refuses every damaged block, including those jsroot decodes to wrong bytes of the right length', () => {
    const blocks = realBlocks();
    let s = 3;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    const goods = new Map<RootBlock, Uint8Array>();
    let silentBefore = 0;
    for (let k = 0; k < 200; k++) {
      const b = blocks[rnd() % blocks.length]!;
      if (!goods.has(b)) goods.set(b, decompressRoot(rootBlockOf(b), b.uncompressedBytes));
      const good = goods.get(b)!;
      const block = rootBlockOf(b);
      // anywhere in the stream, and more often in the LZMA data, where only the check can tell
      const pos = 9 + (k % 2 ? rnd() % b.data.length : 30 + (rnd() % (b.data.length - 60)));
      block[pos]! ^= (rnd() % 255) + 1;
      const unchecked = new Uint8Array(b.uncompressedBytes);
      try {
        if (jsrootLzma(block.subarray(9), unchecked, b.uncompressedBytes) === b.uncompressedBytes && !Buffer.from(unchecked).equals(Buffer.from(good))) silentBefore++;
      } catch {
        // jsroot noticed
      }
      let out: Uint8Array | null = null;
      try {
        out = decompressRoot(block, b.uncompressedBytes);
      } catch (e) {
        expect(e).toBeInstanceOf(DecompressionError);
        expect((e as Error).message).toMatch(/^(xz stream: |the lzma decoder failed).* \(block 0 at byte 0 of \d+\)$/);
      }
      if (out) expect(Buffer.from(out).equals(Buffer.from(good)), `case ${k} at byte ${pos}`).toBe(true);
    }
    expect(silentBefore, 'damaged blocks jsroot alone decoded to wrong bytes (2 with this seed)').toBeGreaterThan(0);
  });

  it('names the mismatching check', () => {
    const b = realBlocks()[0]!;
    const block = rootBlockOf(b);
    const s = parseXzStream(b.data);
    const checkAt = 9 + s.blocks[0]!.checkAt;
    block[checkAt]! ^= 0xff;
    expect(failure(() => decompressRoot(block, b.uncompressedBytes))).toMatch(
      new RegExp(`^xz stream: block 0 CRC32 check mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} over its ${b.uncompressedBytes} decoded bytes\\): the block is damaged \\(block 0 at byte 0 of ${block.length}\\)$`),
    );
  });

  describe('a damaged copy of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-xz-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('fails the branch whose basket is damaged with a CorruptBasketError naming the check', async () => {
      const f = await openRootFile(LZMA_FILE);
      const tree = f.trees()[0]!;
      const branch = tree.branchList.find((x) => x.type.kind !== 'unsupported' && x.baskets.some((k) => !k.inMemory))!;
      const basket = branch.baskets[0]!;
      f.close();
      const walked = walkRecords(LZMA_FILE);
      const bytes = walked.bytes;
      const record = walked.records.find((r) => r.at === basket.seek)!;
      const data = record.payload.subarray(9);
      const s = parseXzStream(data);
      // one byte of the check (the data itself may make jsroot's decoder fail first)
      bytes[basket.seek + record.keylen + 9 + s.blocks[0]!.checkAt]! ^= 0x5a;
      const copy = join(dir, 'damaged-lzma.root');
      writeFileSync(copy, bytes);
      const g = await openRootFile(copy);
      try {
        await expect(g.readColumns(tree.name, [branch.name])).rejects.toThrow(CorruptBasketError);
        await expect(g.readColumns(tree.name, [branch.name])).rejects.toThrow(/xz stream: block 0 CRC32 check mismatch/);
      } finally {
        g.close();
      }
    });
  });
});

describe('xz check types', () => {
  it.each(Object.keys(VECTORS) as (keyof typeof VECTORS)[])('decodes a liblzma stream with check %s, and refuses it with the check damaged', (name) => {
    const stream = VECTORS[name];
    const out = decompressRoot(xzBlock(stream, PLAIN.length), PLAIN.length);
    expect(Buffer.from(out).equals(Buffer.from(PLAIN))).toBe(true);
    if (name === 'none') return;
    const bad = Uint8Array.from(stream);
    const at = parseXzStream(bad).blocks[0]!.checkAt;
    bad[at + 1]! ^= 0x01;
    expect(failure(() => decompressRoot(xzBlock(bad, PLAIN.length), PLAIN.length))).toMatch(
      new RegExp(`xz stream: block 0 ${name} check mismatch \\(stored [0-9a-fx]+, computed [0-9a-fx]+ over its 360 decoded bytes\\): the block is damaged \\(block 0 at byte 0 of \\d+\\)$`),
    );
  });

  it('refuses check types xz does not define, naming them', () => {
    const lzma2 = parseXzStream(VECTORS.CRC32);
    const b = lzma2.blocks[0]!;
    const data = VECTORS.CRC32.subarray(b.dataStart, b.dataEnd);
    for (const type of [0x02, 0x05, 0x0f]) {
      const checkBytes = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64][type]!;
      const stream = buildXz(type, data, PLAIN.length, new Uint8Array(checkBytes));
      expect(failure(() => decompressRoot(xzBlock(stream, PLAIN.length), PLAIN.length))).toMatch(
        new RegExp(`xz stream: integrity check type 0x${type.toString(16)} is not one xz defines \\(none, CRC32, CRC64, SHA-256\\): cannot verify the block \\(block 0 at byte 0 of \\d+\\)$`),
      );
    }
    // the builder itself makes streams we accept
    const ok = buildXz(1, data, PLAIN.length, Uint8Array.from(le32(zlibCrc32(PLAIN))));
    expect(Buffer.from(decompressRoot(xzBlock(ok, PLAIN.length), PLAIN.length)).equals(Buffer.from(PLAIN))).toBe(true);
  });

  it('names valid layouts the LZMA decoder cannot read as unsupported, not as damage', () => {
    const unsupported = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(UnsupportedCompressionError);
        return (e as Error).message;
      }
      throw new Error('expected an UnsupportedCompressionError, the call succeeded');
    };
    // an LZMA2 stream of one uncompressed chunk: control 1, size - 1 (big-endian), the bytes, end
    const stored = Uint8Array.from([0x01, (PLAIN.length - 1) >> 8, (PLAIN.length - 1) & 0xff, ...PLAIN, 0x00]);
    const s1 = buildXz(1, stored, PLAIN.length, Uint8Array.from(le32(zlibCrc32(PLAIN))));
    expect(unsupported(() => decompressRoot(xzBlock(s1, PLAIN.length), PLAIN.length))).toMatch(
      /xz stream: 1 LZMA2 chunk\(s\), the first stored uncompressed: not supported by the LZMA decoder \(jsroot's\), which reads one LZMA chunk/,
    );
    // two LZMA chunks (the second continues the first's state: control 0x80)
    const v = parseXzStream(VECTORS.CRC32).blocks[0]!;
    const first = VECTORS.CRC32.subarray(v.dataStart, v.dataEnd - 1); // without the end marker
    const second = [0x80, 0x00, 0x09, 0x00, 0x03, 1, 2, 3, 4];
    const s2 = buildXz(1, Uint8Array.from([...first, ...second, 0x00]), PLAIN.length + 10, new Uint8Array(4));
    expect(unsupported(() => decompressRoot(xzBlock(s2, PLAIN.length + 10), PLAIN.length + 10))).toMatch(
      /^xz stream: 2 LZMA2 chunk\(s\): not supported by the LZMA decoder \(jsroot's\), which reads one LZMA chunk \(up to 64 KiB compressed, 2 MiB uncompressed\) \(block 0 at byte 0 of \d+\)$/,
    );
    // damage is not "unsupported"
    const bad = Uint8Array.from(VECTORS.CRC32);
    bad[v.checkAt]! ^= 1;
    expect(() => decompressRoot(xzBlock(bad, PLAIN.length), PLAIN.length)).toThrow(DecompressionError);
    expect(() => decompressRoot(xzBlock(bad, PLAIN.length), PLAIN.length)).not.toThrow(UnsupportedCompressionError);
  });

  it('checks the container: header, block header, index and footer CRCs, and sizes', () => {
    const stream = VECTORS.CRC32;
    const s = parseXzStream(stream);
    const n = stream.length;
    const cases: [number, RegExp][] = [
      [0, /no xz stream header magic/],
      [7, /stream header CRC32 mismatch/],
      [13, /block 0 header CRC32 mismatch/],
      [s.blocks[0]!.checkAt + 5, /index CRC32 mismatch|no index indicator/],
      [n - 7, /stream footer CRC32 mismatch/],
      [n - 1, /no stream footer magic/],
    ];
    for (const [at, message] of cases) {
      const bad = Uint8Array.from(stream);
      bad[at]! ^= 0x04;
      expect(failure(() => decompressRoot(xzBlock(bad, PLAIN.length), PLAIN.length)), `byte ${at}`).toMatch(message);
    }
    // the ROOT header's size disagreeing with the index
    expect(failure(() => decompressRoot(xzBlock(stream, PLAIN.length - 1), PLAIN.length - 1))).toMatch(
      /the index says 360 uncompressed bytes, the ROOT block header 359/,
    );
    expect(failure(() => decompressRoot(xzBlock(stream.subarray(0, n - 4), PLAIN.length), PLAIN.length))).toMatch(/no stream footer magic/);
  });
});
