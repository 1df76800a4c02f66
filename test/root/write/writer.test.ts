import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadZstdEncoder,
  RootFileWriter,
  RootWriteError,
  RootWriteSpecError,
  type ColumnChunk,
  type Compression,
  type TreeSpec,
  type WriteOptions,
} from '../../../src/root/write/index.js';
import { chunksFor, expectedValue, fullSpec, Rng } from './fixtures.js';
import { open, readBranches } from './jsroot-read.js';

const dir = mkdtempSync(join(tmpdir(), 'mssi-write-'));
let counter = 0;
const tmp = (name: string): string => join(dir, `${counter++}-${name}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(compression: Compression, basketSize = 200): WriteOptions {
  return {
    compression,
    basketSize,
    datime: new Date(Date.UTC(2024, 4, 6, 7, 8, 9)),
    uuid: Uint8Array.from({ length: 16 }, (_, i) => i * 7),
    title: 'mssi test file',
  };
}

const CLUSTERS = [40, 40, 17];

/** Writes `spec` in CLUSTERS and returns the chunks written, per branch, concatenated per cluster. */
function writeFile(path: string, opts: WriteOptions, specs: readonly TreeSpec[], seekGap = 0): Map<string, ColumnChunk[]>[] {
  const w = RootFileWriter.open(path, opts, { seekGap });
  const trees = specs.map((s) => w.tree(s));
  const written = specs.map(() => new Map<string, ColumnChunk[]>());
  const rng = new Rng(12345);
  for (const n of CLUSTERS) {
    // Interleave trees cluster by cluster, as `simulate` does.
    trees.forEach((t, k) => {
      const chunks = chunksFor(specs[k] as TreeSpec, n, rng);
      t.writeCluster(n, chunks);
      for (const [name, c] of chunks) {
        const list = written[k]?.get(name) ?? [];
        list.push(c);
        written[k]?.set(name, list);
      }
    });
  }
  w.close();
  return written;
}

/** jsroot turns string bytes into chars one byte each (latin1); the writer stores UTF-8 bytes, as ROOT does. */
const asJsrootString = (v: unknown): unknown =>
  typeof v === 'string' ? Buffer.from(v, 'utf8').toString('latin1') : Array.isArray(v) ? v.map(asJsrootString) : v;

function expectedColumn(chunks: readonly ColumnChunk[]): unknown[] {
  const out: unknown[] = [];
  for (const c of chunks) {
    const n = c.kind === 'scalar' ? c.values.length : c.kind === 'string' ? c.indices.length : c.offsets.length - 1;
    for (let i = 0; i < n; i++) out.push(asJsrootString(expectedValue(c, i)));
  }
  return out;
}

function normalise(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalise);
  return v;
}

async function checkAllValues(path: string, spec: TreeSpec, written: Map<string, ColumnChunk[]>): Promise<void> {
  const f = await open(path);
  const names = [...written.keys()];
  const got = await readBranches(f, spec.name, names);
  for (const name of names) {
    const want = expectedColumn(written.get(name) ?? []);
    const have = (got.get(name) ?? []).map(normalise);
    expect(have.length, name).toBe(want.length);
    expect(have, name).toEqual(want);
  }
}

interface JsBranch {
  fName: string;
  fWriteBasket: number;
  fBasketEntry: number[];
  fBasketSeek: number[];
  fEntries: number;
  fBranches: { arr: JsBranch[] };
}

function allBranches(list: JsBranch[]): JsBranch[] {
  return list.flatMap((b) => [b, ...allBranches(b.fBranches.arr)]);
}

describe('RootFileWriter: values read back by jsroot', () => {
  const cases: Compression[] = [
    { algorithm: 'none', level: 0 },
    { algorithm: 'zlib', level: 1 },
    { algorithm: 'zlib', level: 9 },
    { algorithm: 'lz4', level: 4 },
    { algorithm: 'zstd', level: 5 },
  ];
  beforeAll(() => loadZstdEncoder());
  for (const c of cases) {
    it(`every column type, flat and split, ${c.algorithm}${c.level ? `-${c.level}` : ''}`, async () => {
      const spec = fullSpec();
      const path = tmp(`all-${c.algorithm}.root`);
      const [written] = writeFile(path, options(c), [spec]);
      await checkAllValues(path, spec, written as Map<string, ColumnChunk[]>);

      const f = await open(path);
      const tree = (await f.readObject('T')) as unknown as { fEntries: number; fBranches: { arr: JsBranch[] }; fAutoFlush: number; fNClusterRange: number };
      expect(tree.fEntries).toBe(97);
      expect(tree.fAutoFlush).toBe(40);
      expect(tree.fNClusterRange).toBe(0);
      const clusterStarts = [0, 40, 80];
      for (const b of allBranches(tree.fBranches.arr)) {
        if (b.fName === 'obj.') continue; // the split object's top branch holds no data itself
        // Several baskets per cluster for the larger columns; every cluster start begins a basket.
        const starts = b.fBasketEntry.slice(0, b.fWriteBasket);
        for (const s of clusterStarts) expect(starts, b.fName).toContain(s);
        expect(b.fBasketEntry[b.fWriteBasket], b.fName).toBe(97);
      }
      const x = allBranches(tree.fBranches.arr).find((b) => b.fName === 'flat_s_float64');
      expect(x?.fWriteBasket).toBeGreaterThan(3);
      // Compressible baskets really are compressed, with the algorithm's block magic
      // (zstd leaves blocks under 101 bytes raw: jsroot's zstd decoder refuses them).
      const bytes = readFileSync(path);
      let compressed = 0;
      for (const b of allBranches(tree.fBranches.arr)) {
        for (let k = 0; k < b.fWriteBasket; k++) {
          const seek = Number(b.fBasketSeek[k]);
          const keylen = bytes.readInt16BE(seek + 14);
          const nbytes = bytes.readInt32BE(seek);
          const objlen = bytes.readInt32BE(seek + 6);
          if (nbytes === keylen + objlen) continue;
          compressed++;
          expect(c.algorithm, b.fName).not.toBe('none');
          const magic = bytes.subarray(seek + keylen, seek + keylen + 2).toString('latin1');
          expect(magic, b.fName).toBe({ zlib: 'ZL', lz4: 'L4', zstd: 'ZS', none: '' }[c.algorithm]);
        }
      }
      if (c.algorithm !== 'none') expect(compressed).toBeGreaterThan(10);
    });
  }

  it('several trees in one file, written interleaved', async () => {
    const a = fullSpec('Scatters');
    const b: TreeSpec = {
      name: 'RQMCTruth',
      title: 'truth',
      branches: [
        {
          kind: 'object',
          name: 'mcTruthVertices',
          className: 'RQ::MCTruthVertices',
          classVersion: 1,
          members: [
            { name: 'nRQMCTruthVertices', type: { kind: 'scalar', type: 'int32' } },
            { name: 'volumeName', type: { kind: 'vectorString' } },
            { name: 'detectedS1Photons', type: { kind: 'vector', type: 'int32' } },
          ],
        },
        { kind: 'object', name: 'mcTruthEvent', className: 'RQ::MCTruthEvent', classVersion: 1, members: [{ name: 'eventWeight', type: { kind: 'scalar', type: 'float64' } }] },
      ],
    };
    const path = tmp('two-trees.root');
    const [wa, wb] = writeFile(path, options({ algorithm: 'zlib', level: 6 }, 1000), [a, b]);
    await checkAllValues(path, a, wa as Map<string, ColumnChunk[]>);
    await checkAllValues(path, b, wb as Map<string, ColumnChunk[]>);
    const f = await open(path);
    expect(f.fKeys.map((k) => `${k.fName}:${k.fClassName}`)).toEqual(['Scatters:TTree', 'RQMCTruth:TTree', 'StreamerInfo:TList']);
  });

  it('the TObject base of a split class becomes fUniqueID / fBits sub-branches, as ROOT writes it', async () => {
    const spec = fullSpec();
    const path = tmp('tobject.root');
    writeFile(path, options({ algorithm: 'zlib', level: 1 }), [spec]);
    const f = await open(path);
    const got = await readBranches(f, 'T', ['obj.fUniqueID', 'obj.fBits']);
    expect(got.get('obj.fUniqueID')).toEqual(new Array(97).fill(0));
    expect(got.get('obj.fBits')?.length).toBe(97);
  });
});

describe('RootFileWriter: file structure', () => {
  it('header, directory, keys and StreamerInfo parse back', async () => {
    const spec = fullSpec();
    const path = tmp('structure.root');
    writeFile(path, options({ algorithm: 'zlib', level: 1 }), [spec]);
    const bytes = readFileSync(path);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('root');
    expect(dv.getInt32(4)).toBe(62400);
    expect(dv.getInt32(8)).toBe(100);
    const fEND = dv.getInt32(12);
    expect(fEND).toBe(statSync(path).size);
    const seekFree = dv.getInt32(16);
    const nbytesFree = dv.getInt32(20);
    expect(seekFree + nbytesFree).toBe(fEND);
    expect(dv.getInt32(24)).toBe(1); // nfree
    expect(dv.getUint8(32)).toBe(4); // fUnits
    expect(dv.getInt32(33)).toBe(101); // zlib level 1
    // The free list: one segment [fEND, kStartBigFile].
    const freeKeylen = dv.getInt16(seekFree + 14);
    expect(dv.getInt16(seekFree + freeKeylen)).toBe(1);
    expect(dv.getInt32(seekFree + freeKeylen + 2)).toBe(fEND);
    expect(dv.getInt32(seekFree + freeKeylen + 6)).toBe(2000000000);

    const f = (await open(path)) as unknown as {
      fKeys: { fName: string }[];
      fSeekKeys: number;
      fNbytesName: number;
      fStreamerInfos: { arr: { fName: string; fClassVersion: number; fCheckSum: number; fElements: { arr: { fName: string; fType: number; fTypeName: string }[] } }[] };
    };
    expect(f.fKeys.map((k) => k.fName)).toEqual(['T', 'StreamerInfo']);
    const infos = new Map(f.fStreamerInfos.arr.map((s) => [s.fName, s]));
    for (const cls of ['TTree', 'TBranch', 'TBranchElement', 'TLeafElement', 'TLeaf', 'TLeafO', 'TLeafB', 'TLeafS', 'TLeafI', 'TLeafL', 'TLeafF', 'TLeafD', 'TLeafC', 'TNamed', 'TObject', 'TAttLine', 'TAttFill', 'TAttMarker', 'TObjArray', 'TList', 'TString', 'ROOT::TIOFeatures', 'RQ::Everything', 'vector<int>', 'vector<float>', 'vector<string>']) {
      expect(infos.has(cls), cls).toBe(true);
    }
    expect(infos.get('TTree')?.fClassVersion).toBe(20);
    expect(infos.get('TBranch')?.fClassVersion).toBe(13);
    const user = infos.get('RQ::Everything');
    expect(user?.fClassVersion).toBe(2);
    const els = user?.fElements.arr ?? [];
    expect(els[0]?.fName).toBe('TObject');
    expect(els.find((e) => e.fName === 's_float32')?.fType).toBe(5);
    expect(els.find((e) => e.fName === 's_float64')?.fType).toBe(8);
    expect(els.find((e) => e.fName === 'str')?.fTypeName).toBe('string');
    expect(els.find((e) => e.fName === 'v_float32')?.fTypeName).toBe('vector<float>');
    expect(els.find((e) => e.fName === 'vstr')?.fTypeName).toBe('vector<string>');
  });

  it('identical input and options give byte-identical files', () => {
    const spec = fullSpec();
    const a = tmp('same-a.root');
    const b = tmp('same-b.root');
    writeFile(a, { ...options({ algorithm: 'zlib', level: 1 }), fileName: 'same.root' }, [spec]);
    writeFile(b, { ...options({ algorithm: 'zlib', level: 1 }), fileName: 'same.root' }, [spec]);
    expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
    const c = tmp('same-c.root');
    writeFile(c, { ...options({ algorithm: 'zlib', level: 1 }), fileName: 'same.root', uuid: new Uint8Array(16).fill(9) }, [spec]);
    expect(Buffer.compare(readFileSync(a), readFileSync(c))).not.toBe(0);
  });

  it('varying cluster sizes are described by cluster ranges', async () => {
    const spec: TreeSpec = { name: 'C', title: '', branches: [{ kind: 'leaf', name: 'i', type: { kind: 'scalar', type: 'int32' } }] };
    const path = tmp('clusters.root');
    const w = RootFileWriter.open(path, options({ algorithm: 'none', level: 0 }, 1 << 20));
    const t = w.tree(spec);
    let next = 0;
    for (const n of [10, 10, 5, 20, 20, 3]) {
      t.writeCluster(n, new Map([['i', { kind: 'scalar', values: Int32Array.from({ length: n }, () => next++) }]]));
    }
    w.close();
    const f = await open(path);
    const tree = (await f.readObject('C')) as unknown as { fAutoFlush: number; fNClusterRange: number; fClusterRangeEnd: number[]; fClusterSize: number[] };
    expect(tree.fAutoFlush).toBe(20);
    expect(tree.fNClusterRange).toBe(2);
    expect(Array.from(tree.fClusterRangeEnd).map(Number)).toEqual([19, 24]);
    expect(Array.from(tree.fClusterSize).map(Number)).toEqual([10, 5]);
    const got = await readBranches(f, 'C', ['i']);
    expect(got.get('i')).toEqual(Array.from({ length: 68 }, (_, i) => i));
  });
});

describe('RootFileWriter: errors', () => {
  const spec: TreeSpec = {
    name: 'E',
    title: '',
    branches: [
      { kind: 'leaf', name: 'a', type: { kind: 'scalar', type: 'float32' } },
      { kind: 'object', name: 'ss', className: 'RQ::S', classVersion: 1, members: [{ name: 'v', type: { kind: 'vector', type: 'int32' } }] },
    ],
  };
  const good = (): Map<string, ColumnChunk> =>
    new Map<string, ColumnChunk>([
      ['a', { kind: 'scalar', values: new Float32Array(2) }],
      ['ss.v', { kind: 'vector', offsets: new Int32Array([0, 1, 1]), values: new Int32Array(1) }],
    ]);

  it('names the file and branch of a missing or mistyped column', () => {
    const path = tmp('err.root');
    const w = RootFileWriter.open(path, options({ algorithm: 'zlib', level: 1 }));
    const t = w.tree(spec);
    const missing = good();
    missing.delete('ss.v');
    expect(() => t.writeCluster(2, missing)).toThrow(RootWriteSpecError);
    expect(() => t.writeCluster(2, missing)).toThrow(/err\.root.*'ss\.v'.*missing/);
    const wrongType = good();
    wrongType.set('a', { kind: 'scalar', values: new Float64Array(2) });
    expect(() => t.writeCluster(2, wrongType)).toThrow(/'a'.*Float32Array/);
    const badOffsets = good();
    badOffsets.set('ss.v', { kind: 'vector', offsets: new Int32Array([0, 5, 1]), values: new Int32Array(1) });
    expect(() => t.writeCluster(2, badOffsets)).toThrow(/'ss\.v'/);
    const unknown = good();
    unknown.set('nope', { kind: 'scalar', values: new Float32Array(2) });
    expect(() => t.writeCluster(2, unknown)).toThrow(/'nope'/);
    t.writeCluster(2, good());
    w.close();
    expect(() => t.writeCluster(2, good())).toThrow(RootWriteError);
    expect(() => w.close()).toThrow(RootWriteError);
  });

  it('rejects bad options and abort() removes the file', () => {
    expect(() => RootFileWriter.open(tmp('x.root'), { ...options({ algorithm: 'zlib', level: 1 }), uuid: new Uint8Array(3) })).toThrow(/uuid/);
    expect(() => RootFileWriter.open(tmp('x.root'), options({ algorithm: 'zlib', level: 0 }))).toThrow(/level/);
    expect(() => RootFileWriter.open(tmp('x.root'), options({ algorithm: 'zlib', level: 1 }, 0))).toThrow(/basketSize/);
    const path = tmp('aborted.root');
    const w = RootFileWriter.open(path, options({ algorithm: 'zlib', level: 1 }));
    w.tree(spec).writeCluster(2, good());
    expect(existsSync(path)).toBe(true);
    w.abort();
    expect(existsSync(path)).toBe(false);
  });
});
