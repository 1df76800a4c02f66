import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteWriter } from '../../../src/root/write/buffer.js';
import {
  DIRECTORY_RECORD_BYTES,
  datimeCode,
  serializeFileHeader,
  serializeFreeSegments,
  writeDirectoryRecord,
  writeKeyHeader,
} from '../../../src/root/write/records.js';
import { classChecksum, userClass, vectorClass } from '../../../src/root/write/streamers.js';
import { STANDARD_CLASSES } from '../../../src/root/write/standard-streamers.js';
import { RootFileWriter, type ColumnChunk } from '../../../src/root/write/index.js';
import { open, readBranches } from './jsroot-read.js';

const BIG = 3_000_000_000; // past kStartBigFile (2e9) and 2^31

describe('records in the small and the big (64-bit seek) form', () => {
  it('keys switch to version 1004 and 64-bit seeks past kStartBigFile', () => {
    const small = new ByteWriter();
    writeKeyHeader(small, { className: 'TTree', name: 'T', title: 't', nbytes: 10, objlen: 20, datime: 1, cycle: 1, seekKey: 1000, seekPdir: 100 });
    const dvs = new DataView(small.bytes().buffer);
    expect(dvs.getInt16(4)).toBe(4);
    expect(dvs.getInt16(14)).toBe(small.pos); // fKeylen
    expect(dvs.getInt32(18)).toBe(1000);

    const big = new ByteWriter();
    writeKeyHeader(big, { className: 'TTree', name: 'T', title: 't', nbytes: 10, objlen: 20, datime: 1, cycle: 1, seekKey: BIG, seekPdir: 100 });
    const dv = new DataView(big.bytes().buffer);
    expect(dv.getInt16(4)).toBe(1004);
    expect(dv.getInt16(14)).toBe(big.pos);
    expect(big.pos).toBe(small.pos + 8);
    expect(Number(dv.getBigInt64(18))).toBe(BIG);
    expect(Number(dv.getBigInt64(26))).toBe(100);
  });

  it('the directory record keeps its size and goes to version 1005', () => {
    const d = { datimeC: 1, datimeM: 2, nbytesKeys: 3, nbytesName: 4, seekDir: 100, seekParent: 0, uuid: new Uint8Array(16).fill(1) };
    const s = new ByteWriter();
    writeDirectoryRecord(s, { ...d, seekKeys: 5000 });
    const b = new ByteWriter();
    writeDirectoryRecord(b, { ...d, seekKeys: BIG });
    expect(s.pos).toBe(DIRECTORY_RECORD_BYTES);
    expect(b.pos).toBe(DIRECTORY_RECORD_BYTES);
    const dv = new DataView(b.bytes().buffer);
    expect(dv.getInt16(0)).toBe(1005);
    expect(Number(dv.getBigInt64(18))).toBe(100);
    expect(Number(dv.getBigInt64(34))).toBe(BIG);
  });

  it('the file header goes to fVersion+1000000, fUnits 8 and 64-bit fEND/fSeekFree/fSeekInfo', () => {
    const h = serializeFileHeader({ end: BIG + 500, seekFree: BIG + 400, nbytesFree: 100, nfree: 1, nbytesName: 60, compress: 101, seekInfo: BIG, nbytesInfo: 300, uuid: new Uint8Array(16) });
    const dv = new DataView(h.buffer);
    expect(h.length).toBe(100);
    expect(dv.getInt32(4)).toBe(1062400);
    expect(Number(dv.getBigInt64(12))).toBe(BIG + 500);
    expect(Number(dv.getBigInt64(20))).toBe(BIG + 400);
    expect(dv.getUint8(40)).toBe(8);
    expect(dv.getInt32(41)).toBe(101);
    expect(Number(dv.getBigInt64(45))).toBe(BIG);
    expect(dv.getInt32(53)).toBe(300);
  });

  it('free segments switch to version 1001 with 64-bit bounds', () => {
    const s = new DataView(serializeFreeSegments(5000).buffer);
    expect(s.getInt16(0)).toBe(1);
    expect(s.getInt32(2)).toBe(5000);
    expect(s.getInt32(6)).toBe(2000000000);
    const b = new DataView(serializeFreeSegments(BIG).buffer);
    expect(b.getInt16(0)).toBe(1001);
    expect(Number(b.getBigInt64(2))).toBe(BIG);
    expect(Number(b.getBigInt64(10))).toBe(4000000000);
  });

  it('datime packs like TDatime', () => {
    expect(datimeCode(new Date(Date.UTC(2017, 6, 1, 7, 18, 25)))).toBe(((2017 - 1995) << 26) | (7 << 22) | (1 << 17) | (7 << 12) | (18 << 6) | 25);
  });
});

describe('class checksums', () => {
  it('reproduce the checksums ROOT stored for TObject, TNamed, vector<int> and vector<string>', () => {
    for (const name of ['TObject', 'TNamed', 'TAttLine', 'TLeafElement']) {
      const c = STANDARD_CLASSES.find((x) => x.name === name);
      expect(c && classChecksum(c.name, c.elements), name).toBe(c?.checksum);
    }
    expect(vectorClass({ kind: 'vector', type: 'int32' }).checksum).toBe(9976712);
    expect(vectorClass({ kind: 'vectorString' }).checksum).toBe(269382332);
    const u = userClass('RQ::X', 1, [{ name: 'a', type: { kind: 'scalar', type: 'float32' } }]);
    expect(u.elements.map((e) => e.name)).toEqual(['TObject', 'a']);
  });
});

describe('a file larger than 2 GB (sparse)', () => {
  it('puts baskets and metadata past 2^31 and jsroot still reads every value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-big-'));
    const path = join(dir, 'big.root');
    const w = RootFileWriter.open(
      path,
      { compression: { algorithm: 'zlib', level: 1 }, basketSize: 4000, datime: new Date(Date.UTC(2024, 0, 1)), uuid: new Uint8Array(16) },
      { seekGap: 2 ** 31 + 12345 },
    );
    const t = w.tree({
      name: 'Scatters',
      title: '',
      branches: [
        { kind: 'object', name: 'ss', className: 'RQ::SingleScatters', classVersion: 1, members: [
          { name: 'x_cm', type: { kind: 'scalar', type: 'float32' } },
          { name: 'volumeName', type: { kind: 'vectorString' } },
        ] },
      ],
    });
    const n = 3000;
    const x = Float32Array.from({ length: n }, (_, i) => i / 4);
    const offsets = Int32Array.from({ length: n + 1 }, (_, i) => i);
    t.writeCluster(n, new Map<string, ColumnChunk>([
      ['ss.x_cm', { kind: 'scalar', values: x }],
      ['ss.volumeName', { kind: 'vectorString', offsets, indices: Uint32Array.from({ length: n }, (_, i) => i % 2), dictionary: ['LXe', 'Skin'] }],
    ]));
    w.close();
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(2 ** 31);
    const head = new Uint8Array(100);
    const fd = openSync(path, 'r');
    readSync(fd, head, 0, 100, 0);
    closeSync(fd);
    const dv = new DataView(head.buffer);
    expect(dv.getInt32(4)).toBe(1062400);
    expect(Number(dv.getBigInt64(12))).toBe(size);
    const f = await open(path);
    expect(f.fKeys.map((k) => k.fName)).toEqual(['Scatters', 'StreamerInfo']);
    const got = await readBranches(f, 'Scatters', ['ss.x_cm', 'ss.volumeName']);
    expect(got.get('ss.x_cm')).toEqual(Array.from(x));
    expect(got.get('ss.volumeName')).toEqual(Array.from({ length: n }, (_, i) => [i % 2 ? 'Skin' : 'LXe']));
    rmSync(dir, { recursive: true, force: true });
  });
});
