import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RootFileWriter, RootWriteError, RootWriteSpecError, th2dObject, type TreeSpec, type WriteOptions } from '../../../src/root/write/index.js';
import { HISTOGRAM_CLASSES, TH2D_CLASSES } from '../../../src/root/write/histogram-streamers.js';
import { classChecksum } from '../../../src/root/write/streamers.js';
import { openRootFile } from '../../../src/root/read/reader.js';
import { readFileStructure } from '../../../src/root/read/structure.js';
import { FileSource } from '../../../src/root/read/source.js';
import { inspectRootFile } from '../../../src/root/read/inspect.js';
import { th2dSpec } from './th2dFixtures.js';
import { firstDifference, readHistograms } from './jsrootHistogram.js';
import { readBranches } from './jsroot-read.js';

const dir = mkdtempSync(join(tmpdir(), 'mssi-th2d-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: WriteOptions = {
  compression: { algorithm: 'zlib', level: 1 },
  basketSize: 4096,
  datime: new Date(Date.UTC(2024, 4, 6, 7, 8, 9)),
  uuid: Uint8Array.from({ length: 16 }, (_, i) => i * 3),
};

const SPECS = [th2dSpec('h_odd', 7, 5, 1), th2dSpec('h_column', 1, 9, 2), th2dSpec('h_one', 1, 1, 3), th2dSpec('h_wide', 121, 3, 4, '')];

describe('TH2D streamers', () => {
  it('carry the class versions of ROOT 6 (TH1.h, TH2.h, TAxis.h, TAttAxis.h ClassDefs)', () => {
    const versions = Object.fromEntries(TH2D_CLASSES.map((c) => [c.name, c.version]));
    expect(versions).toEqual({
      TH2D: 4,
      TH2: 5,
      TH1: 8,
      TNamed: 1,
      TObject: 1,
      TAttLine: 2,
      TAttFill: 2,
      TAttMarker: 2,
      TAxis: 10,
      TAttAxis: 4,
      THashList: 0,
      TList: 5,
      TSeqCollection: 0,
      TCollection: 3,
      TString: 2,
    });
    // every base element names the version and checksum of the record it points to
    const byName = new Map(TH2D_CLASSES.map((c) => [c.name, c]));
    for (const c of TH2D_CLASSES) {
      for (const el of c.elements.filter((e) => e.kind === 'base' && e.name !== 'TArrayD')) {
        expect([c.name, el.name, el.baseVersion, el.baseChecksum]).toEqual([c.name, el.name, byName.get(el.name)?.version, byName.get(el.name)?.checksum]);
      }
    }
  });

  it("member names and types reproduce ROOT's checksums (TStreamerInfo::GetCheckSum) of TH2D, TH2, TAxis, TAttAxis", () => {
    // TH1 (enum members, a counted array) and THashList need parts of the algorithm the writer does not implement.
    for (const name of ['TH2D', 'TH2', 'TAxis', 'TAttAxis']) {
      const c = HISTOGRAM_CLASSES.find((k) => k.name === name);
      expect(c && classChecksum(c.name, c.elements), name).toBe(c?.checksum);
    }
  });
});

describe('RootFileWriter.writeObject: TH2D', () => {
  const path = join(dir, 'hists.root');
  const w = RootFileWriter.open(path, OPTIONS);
  for (const s of SPECS) w.writeObject(th2dObject(s));
  w.close();

  it('jsroot reads every histogram back bin for bin, with its axes, titles, entries and sums', async () => {
    const back = await readHistograms(path);
    expect(back.complaints).toEqual([]);
    expect(back.keys.map((k) => `${k.fName};${k.fCycle}:${k.fClassName}:${k.fTitle}`)).toEqual([
      ...SPECS.map((s) => `${s.name};1:TH2D:${s.title}`),
      'StreamerInfo;1:TList:Doubly linked list',
    ]);
    for (const s of SPECS) {
      const h = back.hists.get(s.name);
      expect(h?._typename).toBe('TH2D');
      if (!h) continue;
      expect([h.fName, h.fTitle, h.fEntries, h.fNcells]).toEqual([s.name, s.title, s.entries, s.values.length]);
      expect(firstDifference(h.fArray, s.values), `${s.name} values`).toBeNull();
      expect(firstDifference(h.fSumw2, s.sumw2), `${s.name} sumw2`).toBeNull();
      for (const [axis, want, name] of [[h.fXaxis, s.x, 'xaxis'], [h.fYaxis, s.y, 'yaxis']] as const) {
        expect([axis.fName, axis.fTitle, axis.fNbins, axis.fXmin, axis.fXmax, axis.fXbins.length]).toEqual([name, want.title, want.count, want.low, want.high, 0]);
      }
      expect([h.fZaxis.fName, h.fZaxis.fNbins, h.fZaxis.fXmin, h.fZaxis.fXmax]).toEqual(['zaxis', 1, 0, 1]);
      const st = s.stats;
      expect([h.fTsumw, h.fTsumw2, h.fTsumwx, h.fTsumwx2, h.fTsumwy, h.fTsumwy2, h.fTsumwxy]).toEqual([
        st.tsumw, st.tsumw2, st.tsumwx, st.tsumwx2, st.tsumwy, st.tsumwy2, st.tsumwxy,
      ]);
      // the values ROOT's constructor leaves: no fixed range, bar width 1000, an empty fFunctions list
      expect([h.fMaximum, h.fMinimum, h.fBarWidth, h.fScalefactor, h.fStatOverflows, h.fBufferSize]).toEqual([-1111, -1111, 1000, 1, 2, 0]);
      expect([h.fFunctions._typename, h.fFunctions.arr.length]).toEqual(['TList', 0]);
    }
  });

  it("the file's StreamerInfo list holds TH2D and its bases' and members' classes, at ROOT's versions, and no tree classes", async () => {
    const back = await readHistograms(path);
    expect([...back.infos.values()].map((i) => `${i.fName} v${i.fClassVersion} ${i.fCheckSum}`)).toEqual(TH2D_CLASSES.map((c) => `${c.name} v${c.version} ${c.checksum}`));
    expect(back.infos.has('TTree')).toBe(false);
  });

  it("the project's reader lists the keys and opens the file (no trees)", async () => {
    const source = new FileSource(path);
    try {
      const keys = readFileStructure(source).keys.map((k) => `${k.path};${k.cycle}:${k.className}`);
      expect(keys).toEqual(SPECS.map((s) => `${s.name};1:TH2D`));
    } finally {
      source.close();
    }
    const f = await openRootFile(path);
    expect(f.trees()).toEqual([]);
    f.close();
    expect((await inspectRootFile(path)).trees).toEqual([]);
  });
});

describe('TH2D byte layout', () => {
  it('nests TH2D v4 > TH2 v5 > TH1 v8 with byte counts that end where ROOT ends each part', () => {
    const path = join(dir, 'raw.root');
    const s = th2dSpec('h_raw', 3, 2, 9);
    const w = RootFileWriter.open(path, { ...OPTIONS, compression: { algorithm: 'none', level: 0 } });
    w.writeObject(th2dObject(s));
    w.close();
    const bytes = readFileSync(path);
    const source = new FileSource(path);
    const key = readFileStructure(source).keys[0];
    source.close();
    expect(key?.className).toBe('TH2D');
    if (!key) return;
    const payload = bytes.subarray(key.seekKey + key.keylen, key.seekKey + key.nbytes);
    const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const counted = (at: number): { end: number; version: number } => {
      const bc = dv.getUint32(at);
      expect(bc & 0x40000000).toBe(0x40000000);
      return { end: at + 4 + (bc & ~0x40000000), version: dv.getInt16(at + 4) };
    };
    const th2d = counted(0);
    const th2 = counted(6);
    const th1 = counted(12);
    const tnamed = counted(18);
    expect([th2d.version, th2.version, th1.version, tnamed.version]).toEqual([4, 5, 8, 1]);
    expect(th2d.end).toBe(payload.length);
    // after TH2: TArrayD's fN and the contents
    expect(th2.end).toBe(payload.length - 4 - 8 * s.values.length);
    expect(dv.getInt32(th2.end)).toBe(s.values.length);
    // after TH1: TH2's fScalefactor, fTsumwy, fTsumwy2, fTsumwxy
    expect(th1.end).toBe(th2.end - 32);
    expect(dv.getFloat64(th1.end)).toBe(1);
    expect(dv.getFloat64(th1.end + 8)).toBe(s.stats.tsumwy);
  });
});

describe('RootFileWriter.writeObject: with trees, and its errors', () => {
  it('a file with a tree and a histogram reads back whole, with both classes in its StreamerInfo list', async () => {
    const path = join(dir, 'mixed.root');
    const spec: TreeSpec = { name: 'T', title: 'a tree', branches: [{ kind: 'leaf', name: 'x', type: { kind: 'scalar', type: 'float64' } }] };
    const w = RootFileWriter.open(path, OPTIONS);
    const t = w.tree(spec);
    t.writeCluster(3, new Map([['x', { kind: 'scalar', values: Float64Array.from([1, 2, 3]) }]]));
    const h = th2dSpec('h', 2, 3, 5);
    w.writeObject(th2dObject(h));
    w.close();
    const back = await readHistograms(path);
    expect(back.complaints).toEqual([]);
    expect(back.keys.map((k) => k.fName)).toEqual(['h', 'T', 'StreamerInfo']);
    expect(firstDifference(back.hists.get('h')?.fArray ?? [], h.values)).toBeNull();
    expect((await readBranches(back.file, 'T', ['x'])).get('x')).toEqual([1, 2, 3]);
    for (const c of ['TH2D', 'TH1', 'TAxis', 'TTree', 'TBranch', 'TNamed']) expect(back.infos.has(c), c).toBe(true);
  });

  it('refuses two objects of one name, a tree of an object name, and cells that do not fit the axes', () => {
    const path = join(dir, 'bad.root');
    const w = RootFileWriter.open(path, OPTIONS);
    w.writeObject(th2dObject(th2dSpec('h', 2, 2, 1)));
    expect(() => w.writeObject(th2dObject(th2dSpec('h', 2, 2, 1)))).toThrow(/two objects named 'h'/);
    expect(() => w.tree({ name: 'h', title: '', branches: [] })).toThrow(RootWriteError);
    w.abort();
    const s = th2dSpec('h_short', 2, 2, 1);
    expect(() => th2dObject({ ...s, values: s.values.subarray(1) })).toThrow(RootWriteSpecError);
    expect(() => th2dObject({ ...s, values: s.values.subarray(1) })).toThrow("TH2D 'h_short': expected 16 cells of values (flow bins included), got 15");
    expect(() => th2dObject({ ...s, x: { ...s.x, count: 0 } })).toThrow(/x axis: bin count must be a positive integer/);
    expect(() => th2dObject({ ...s, y: { ...s.y, low: 5, high: 5 } })).toThrow(/y axis: expected finite low < high/);
  });
});
