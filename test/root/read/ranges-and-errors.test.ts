// Entry ranges that cut through baskets, cluster splitting, inspect, and the
// errors a user gets for missing, unsupported or damaged data.
import { copyFileSync, mkdtempSync, openSync, readSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ColumnData } from '../../../src/root/read/columns.js';
import { basketsOverlapping, clusterRanges, openRootFile } from '../../../src/root/read/reader.js';
import type { BasketInfo } from '../../../src/root/read/metadata.js';
import { CorruptBasketError, MissingObjectError, RootReadError, UnsupportedBranchError } from '../../../src/root/read/errors.js';
import { readBasket } from '../../../src/root/read/basket.js';
import { FileSource } from '../../../src/root/read/source.js';
import { inspectRootFile } from '../../../src/root/read/inspect.js';
import { lz4DecodeBlock } from '../../../src/root/read/compression.js';

const REAL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');
const tmp = mkdtempSync(join(tmpdir(), 'mssi-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Entries [a, b) of a column, as plain JS values per entry (strings resolved). */
function entries(c: ColumnData, a = 0, b?: number): unknown[] {
  const out: unknown[] = [];
  const n = c.kind === 'scalar' ? c.values.length : c.kind === 'string' ? c.indices.length : c.offsets.length - 1;
  const stop = b ?? n;
  for (let i = a; i < stop; i++) {
    switch (c.kind) {
      case 'scalar':
        out.push(c.values[i]);
        break;
      case 'string':
        out.push(c.dictionary[c.indices[i]!]);
        break;
      case 'vector':
        out.push(Array.from(c.values.subarray(c.offsets[i]!, c.offsets[i + 1]!) as ArrayLike<number | bigint>));
        break;
      case 'vectorString':
        out.push(Array.from(c.indices.subarray(c.offsets[i]!, c.offsets[i + 1]!), (k) => c.dictionary[k]));
        break;
      case 'vectorStringClass':
        out.push(Array.from(c.classes.subarray(c.offsets[i]!, c.offsets[i + 1]!)));
        break;
    }
  }
  return out;
}

describe('entry ranges', () => {
  const cases: [string, string][] = [
    ['uproot-sample-6.20.04-zlib.root', 'sample'],
    ['uproot-sample-5.30.00-zlib.root', 'sample'],
    ['uproot-small-dy-withoffsets.root', 'tree'],
    ['uproot-small-dy-nooffsets.root', 'tree'],
    ['uproot-HZZ-lz4.root', 'events'],
    ['uproot-small-evnt-tree-fullsplit.root', 'tree'],
    ['uproot-stl_containers.root', 'tree'],
    ['nanoAOD_2015_CMS_Open_Data_ttbar.root', 'Events'],
  ];
  for (const [file, treeName] of cases) {
    it(`${file}: every range read equals the slice of the full read`, async () => {
      const rf = await openRootFile(join(REAL, file));
      try {
        const tree = rf.tree(treeName);
        const names = tree.branchList.filter((b) => b.type.kind !== 'unsupported').map((b) => b.name);
        const full = await rf.readColumns(tree, names);
        const n = tree.entries;
        // cut points: basket boundaries +-1 and a few odd places
        const cuts = new Set<number>([0, 1, Math.floor(n / 3), Math.floor(n / 2) + 1, n - 1, n]);
        for (const b of tree.branchList) for (const k of b.baskets) [k.entryStart - 1, k.entryStart + 1].forEach((x) => cuts.add(x));
        const points = [...cuts].filter((x) => x >= 0 && x <= n).sort((x, y) => x - y);
        let crossing = 0;
        for (let i = 0; i + 1 < points.length; i += 2) {
          const a = points[i]!;
          const z = points[Math.min(points.length - 1, i + 3)]!;
          const part = await rf.readColumns(tree, names, a, z);
          for (const name of names) {
            expect(entries(part.get(name)!), `${name} [${a}, ${z})`).toEqual(entries(full.get(name)!, a, z));
          }
          const b0 = tree.branchList.find((b) => b.baskets.some((k) => k.entryStart > a && k.entryStart < z));
          if (b0) crossing++;
        }
        if (tree.branchList.some((b) => b.baskets.length > 1)) expect(crossing).toBeGreaterThan(0);
        // an empty range gives empty columns
        const none = await rf.readColumns(tree, names, 2, 2);
        for (const name of names) expect(entries(none.get(name)!)).toEqual([]);
      } finally {
        rf.close();
      }
    });
  }

  it.each([
    [join(REAL, 'uproot-stl_containers.root'), 'tree'],
    [join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/lz/SS_skim_K40_DomePMTs.root'), 'RQMCTruth'],
  ])('%s: vector<string> branches read by class, over ranges, are the classes of their strings', async (path, treeName) => {
    const rf = await openRootFile(path);
    try {
      const tree = rf.tree(treeName);
      const names = tree.branchList.filter((b) => b.type.kind === 'vectorString').map((b) => b.name);
      expect(names.length).toBeGreaterThan(0);
      const classify = (s: string) => s.length % 5;
      const byClass = { stringClasses: new Map(names.map((n) => [n, classify])) };
      const n = tree.entries;
      for (const [a, z] of [[0, n], [1, Math.floor(n / 2) + 1], [Math.floor(n / 3), n]] as const) {
        const strings = await rf.readColumns(tree, names, a, z);
        const classes = await rf.readColumns(tree, names, a, z, undefined, byClass);
        for (const name of names) {
          const got = classes.get(name)!;
          expect(got.kind).toBe('vectorStringClass');
          const want = entries(strings.get(name)!).map((e) => (e as string[]).map(classify));
          expect(entries(got), `${name} [${a}, ${z})`).toEqual(want);
        }
      }
      const other = tree.branchList.find((b) => b.subBranches.length === 0 && b.type.kind !== 'vectorString' && b.type.kind !== 'unsupported')!;
      await expect(rf.readColumns(tree, [other.name], 0, 1, undefined, { stringClasses: new Map([[other.name, classify]]) })).rejects.toThrow(
        /only a std::vector<std::string> branch can be read by class/,
      );
    } finally {
      rf.close();
    }
  });

  it('the offset-less file really has baskets without entry offsets (read through the count branch)', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-small-dy-nooffsets.root'));
    const src = new FileSource(join(REAL, 'uproot-small-dy-nooffsets.root'));
    try {
      const b = rf.tree('tree').branches.get('Jet_pt')!;
      expect(b.layout).toMatchObject({ form: 'counted', countBranch: 'nJet' });
      const raws = b.baskets.map((k) => readBasket(src, k, { file: 'x' }));
      expect(raws.some((r) => r.offsets === null)).toBe(true);
    } finally {
      src.close();
      rf.close();
    }
  });
});

describe('baskets of an entry range', () => {
  it('finds by bisection the same baskets with entries as a scan of every basket', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const baskets: BasketInfo[] = [];
      let at = 0;
      const count = rand(12);
      for (let i = 0; i < count; i++) {
        const entries = rand(4) === 0 ? 0 : 1 + rand(50);
        baskets.push({ seek: 100 * i, bytes: 10, entryStart: at, entries });
        at += entries;
      }
      for (let start = 0; start <= at + 1; start += 1 + rand(7)) {
        for (let stop = start; stop <= at + 2; stop += 1 + rand(9)) {
          // the reader skips baskets without entries wherever they are
          const scanned = baskets.filter((k) => k.entries > 0 && k.entryStart < stop && k.entryStart + k.entries > start);
          expect(basketsOverlapping(baskets, start, stop).filter((k) => k.entries > 0)).toEqual(scanned);
        }
      }
    }
  });
});

describe('cluster ranges', () => {
  it('cover the tree exactly, in order, cut at cluster starts', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-small-dy-withoffsets.root'));
    const t = rf.tree('tree');
    expect(t.autoFlush).toBe(200);
    expect(t.clusterBoundaries).toEqual([0, 200, 400, 501]);
    expect(clusterRanges(t, 1)).toEqual([
      { start: 0, stop: 200 },
      { start: 200, stop: 400 },
      { start: 400, stop: 501 },
    ]);
    expect(clusterRanges(t, 300)).toEqual([
      { start: 0, stop: 400 },
      { start: 400, stop: 501 },
    ]);
    expect(clusterRanges(t, 10_000)).toEqual([{ start: 0, stop: 501 }]);
    rf.close();
  });

  it('fall back to entries where every branch starts a basket when flushed by bytes', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-sample-6.20.04-zlib.root'));
    const t = rf.tree('sample');
    for (const x of t.clusterBoundaries.slice(1, -1)) {
      for (const b of t.branchList) expect(b.baskets.some((k) => k.entryStart === x)).toBe(true);
    }
    const r = clusterRanges(t, 1);
    expect(r[0]!.start).toBe(0);
    expect(r[r.length - 1]!.stop).toBe(t.entries);
    for (let i = 1; i < r.length; i++) expect(r[i]!.start).toBe(r[i - 1]!.stop);
    rf.close();
  });

  it('are empty for an empty tree', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-empty.root'));
    expect(clusterRanges(rf.tree('tree'), 100)).toEqual([]);
    rf.close();
  });
});

describe('inspect', () => {
  it('describes trees, types, baskets and each compression', async () => {
    const want: Record<string, string> = {
      'uproot-HZZ-zlib.root': 'zlib',
      'uproot-HZZ-lz4.root': 'lz4',
      'uproot-HZZ-lzma.root': 'lzma',
      'uproot-HZZ-zstd.root': 'zstd',
      'uproot-HZZ-uncompressed.root': 'none',
    };
    for (const [file, algo] of Object.entries(want)) {
      const d = await inspectRootFile(join(REAL, file));
      expect(d.trees.map((t) => t.name)).toEqual(['events']);
      const t = d.trees[0]!;
      expect(t.entries).toBe(2421);
      const px = t.branches.find((b) => b.name === 'Jet_Px')!;
      expect(px.type).toEqual({ kind: 'vector', type: 'float32' });
      expect(px.baskets).toBeGreaterThan(0);
      expect(px.compression).toContain(algo);
    }
    const split = await inspectRootFile(join(REAL, 'uproot-small-evnt-tree-nosplit.root'));
    expect(split.trees[0]!.branches[0]).toMatchObject({ name: 'evt', type: null, unsupported: expect.stringMatching(/unsplit/) });
  });
});

describe('resources', () => {
  it('leaves no file descriptor open after close()', async () => {
    const { readdirSync } = await import('node:fs');
    const count = () => readdirSync('/proc/self/fd').length;
    const path = join(REAL, 'uproot-HZZ-zlib.root');
    (await openRootFile(path)).close(); // warm-up: lazily opened handles of the runtime
    const before = count();
    for (let i = 0; i < 20; i++) {
      const rf = await openRootFile(path);
      await rf.readColumns('events', ['Jet_Px']);
      rf.close();
    }
    expect(count()).toBeLessThanOrEqual(before + 1);
  });
});

describe('errors', () => {
  it('names the file, tree and branch for a missing tree or branch', async () => {
    const path = join(REAL, 'uproot-HZZ-zlib.root');
    const rf = await openRootFile(path);
    expect(() => rf.tree('Scatters')).toThrow(MissingObjectError);
    expect(() => rf.tree('Scatters')).toThrow(/uproot-HZZ-zlib\.root.*tree 'Scatters'.*trees in the file: events/);
    await expect(rf.readColumns('events', ['ss.x_cm'])).rejects.toThrow(/tree 'events', branch 'ss\.x_cm': no such branch/);
    rf.close();
  });

  it('refuses an unsplit object branch with a reason', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-small-evnt-tree-nosplit.root'));
    const err = await rf.readColumns('tree', ['evt']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedBranchError);
    expect(String(err)).toMatch(/nosplit\.root, tree 'tree', branch 'evt': unsupported branch: unsplit object of class 'Event'/);
    rf.close();
  });

  it('rejects a file that is not ROOT', async () => {
    const p = join(tmp, 'not-root.root');
    copyFileSync(join(REAL, 'LICENSE'), p);
    await expect(openRootFile(p)).rejects.toBeInstanceOf(RootReadError);
    await expect(openRootFile(join(tmp, 'absent.root'))).rejects.toThrow(/absent\.root: cannot open/);
  });

  it('reports a damaged compressed basket, never wrong values', async () => {
    const src = join(REAL, 'uproot-HZZ-zlib.root');
    const p = join(tmp, 'damaged-zlib.root');
    copyFileSync(src, p);
    const rf0 = await openRootFile(src);
    const k = rf0.tree('events').branches.get('Jet_Px')!.baskets[0]!;
    rf0.close();
    // flip bytes in the middle of the compressed payload
    const fd = openSync(p, 'r+');
    const mid = k.seek + Math.floor(k.bytes / 2);
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, mid);
    for (let i = 0; i < 16; i++) buf[i] = buf[i]! ^ 0x5a;
    writeSync(fd, buf, 0, 16, mid);
    closeSync(fd);
    const rf = await openRootFile(p);
    const err = await rf.readColumns('events', ['Jet_Px']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptBasketError);
    expect(String(err)).toMatch(/damaged-zlib\.root, tree 'events', branch 'Jet_Px', basket at byte \d+ \(entries 0\.\.2421\): corrupt data: zlib/);
    // other branches still read
    await expect(rf.readColumns('events', ['NJet'])).resolves.toBeInstanceOf(Map);
    rf.close();
  });

  it('reports a damaged entry-offset table', async () => {
    const src = join(REAL, 'uproot-HZZ-uncompressed.root');
    const p = join(tmp, 'damaged-offsets.root');
    copyFileSync(src, p);
    const rf0 = await openRootFile(src);
    const k = rf0.tree('events').branches.get('Jet_Px')!.baskets[0]!;
    rf0.close();
    // the offset table is at the end of the (uncompressed) basket: scramble one entry offset
    const fd = openSync(p, 'r+');
    const at = k.seek + k.bytes - 40;
    writeSync(fd, Buffer.from([0x7f, 0xff, 0xff, 0x00]), 0, 4, at);
    closeSync(fd);
    const rf = await openRootFile(p);
    await expect(rf.readColumns('events', ['Jet_Px'])).rejects.toThrow(CorruptBasketError);
    rf.close();
  });

  it('reports a basket cut short by a truncated read', async () => {
    const path = join(REAL, 'uproot-HZZ-zlib.root');
    const rf = await openRootFile(path);
    const k = rf.tree('events').branches.get('Jet_Px')!.baskets[0]!;
    rf.close();
    const real = new FileSource(path);
    const short = {
      path,
      size: k.seek + 10,
      read: (pos: number, len: number) => {
        if (pos + len > k.seek + 10) throw new RangeError(`read of ${len} bytes at ${pos} goes past the end of the file`);
        return real.read(pos, len);
      },
      readInto: () => {
        throw new Error('not used by readBasket');
      },
      close: () => real.close(),
    };
    expect(() => readBasket(short, k, { file: path, tree: 'events', branch: 'Jet_Px' })).toThrow(/basket at byte \d+ \(entries 0\.\.\d+\): corrupt data: its \d+ bytes lie outside the file's \d+ bytes/);
    // the basket claims other entries than the branch: refused
    expect(() => readBasket(real, { ...k, entries: k.entries + 1 }, { file: path })).toThrow(/holds \d+ entries, the branch says/);
    real.close();
  });

  it('lz4 decoder refuses a bad match offset', () => {
    // token: 1 literal, match len 4; offset 9 > bytes written
    const src = new Uint8Array([0x10, 0x41, 0x09, 0x00, 0x00]);
    expect(() => lz4DecodeBlock(src, new Uint8Array(32))).toThrow(/bad match offset/);
    // a well-formed block: "abcd" then a match of 8 repeating it, then literal "z"
    const ok = new Uint8Array([0x44, 0x61, 0x62, 0x63, 0x64, 0x04, 0x00, 0x10, 0x7a]);
    const out = new Uint8Array(13);
    expect(lz4DecodeBlock(ok, out)).toBe(13);
    expect(Buffer.from(out).toString()).toBe('abcdabcdabcdz');
  });
});
