// A damaged file's structure (header, directories, keys, streamer infos, TTree
// records) is refused at open with a typed error naming the record, never read on;
// a good one of every writer opens, trees in subdirectories and TNtuples included.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openRootFile } from '../../../src/root/read/reader.js';
import { CorruptFileError, RootReadError, TruncatedFileError } from '../../../src/root/read/errors.js';
import { readFileStructure, type ObjectKey } from '../../../src/root/read/structure.js';
import { FileSource } from '../../../src/root/read/source.js';
import { simulate, SIMULATE_DEFAULTS } from '../../../src/simulate/simulate.js';

const REAL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');
const tmp = mkdtempSync(join(tmpdir(), 'mssi-structure-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small LZ file with uncompressed metadata and baskets: every field can be hit directly. */
let plain: string;
let keys: ObjectKey[];
beforeAll(async () => {
  const [file] = await simulate({
    ...SIMULATE_DEFAULTS,
    outDir: join(tmp, 'plain'),
    sources: ['K40_DomePMTs'],
    events: 300,
    compression: { algorithm: 'none', level: 0 },
  });
  plain = file!.path;
  const source = new FileSource(plain);
  keys = [...readFileStructure(source).keys];
  source.close();
});

let copies = 0;
/** A copy of `path` with `bytes` written at `at` (or cut to `truncateTo` bytes). */
function damaged(path: string, edit: { at?: number; bytes?: number[]; truncateTo?: number }): string {
  let b = readFileSync(path);
  if (edit.bytes && edit.at !== undefined) Buffer.from(edit.bytes).copy(b, edit.at);
  if (edit.truncateTo !== undefined) b = b.subarray(0, edit.truncateTo);
  const out = join(tmp, `damaged-${copies++}.root`);
  writeFileSync(out, b);
  return out;
}

const i32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

async function openError(path: string): Promise<RootReadError> {
  const err = await openRootFile(path).then(
    (f) => {
      f.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err, `${path} should not open`).toBeInstanceOf(RootReadError);
  const e = err as RootReadError;
  // the file is named first, and no raw JavaScript internals leak into the message
  expect(e.message.startsWith(`${path}`)).toBe(true);
  expect(e.message).not.toMatch(/DataView|undefined|Invalid typed array|BigInt|is not a function|NaN/);
  return e;
}

describe('a truncated file', () => {
  it('says so with both sizes, wherever it was cut', async () => {
    const size = readFileSync(plain).length;
    for (const cut of [60, 200, 4096, Math.floor(size / 2), size - 1000, size - 1]) {
      const e = await openError(damaged(plain, { truncateTo: cut }));
      expect(e).toBeInstanceOf(TruncatedFileError);
      expect(e.message).toContain(`truncated: the file has ${cut} bytes, its header says ${size}`);
    }
  });

  it('too short for its own header is truncated too; a file without the magic is not ROOT', async () => {
    expect((await openError(damaged(plain, { truncateTo: 20 }))).message).toMatch(/truncated: the file has 20 bytes, its header says 45 \(too short for its own header\)/);
    expect((await openError(damaged(plain, { at: 0, bytes: [0x52] }))).message).toMatch(/file header: not a ROOT file: it starts with 52 6f 6f 74, a ROOT file with 'root' \(72 6f 6f 74\)/);
  });
});

describe('a damaged file header', () => {
  it('fNbytesInfo flipped negative names the streamer infos and both fields', async () => {
    const e = await openError(damaged(plain, { at: 41, bytes: [0xff, 0xff, 0xff, 0xfb] }));
    expect(e).toBeInstanceOf(CorruptFileError);
    expect(e.message).toMatch(/file header: damaged file: the streamer infos \(fSeekInfo \d+, fNbytesInfo -5\) lie outside the file's \d+ bytes/);
  });

  it('fBEGIN, fNbytesName and fUnits out of range are named', async () => {
    expect((await openError(damaged(plain, { at: 8, bytes: i32(0x7fffffff) }))).message).toMatch(/file header: damaged file: fBEGIN is 2147483647/);
    expect((await openError(damaged(plain, { at: 28, bytes: i32(-1) }))).message).toMatch(/fNbytesName is -1/);
    expect((await openError(damaged(plain, { at: 32, bytes: [7] }))).message).toMatch(/fUnits is 7, expected 4 or 8/);
  });
});

describe('a damaged keys list or key', () => {
  /** Where the top directory's keys list is: its record follows the TFile key and name. */
  function keysListAt(path: string): number {
    const b = readFileSync(path);
    const begin = b.readInt32BE(8);
    const nbytesName = b.readInt32BE(28);
    const dir = begin + nbytesName;
    const big = b.readInt16BE(dir) > 1000;
    return big ? Number(b.readBigInt64BE(dir + 2 + 4 + 4 + 4 + 4 + 8 + 8)) : b.readInt32BE(dir + 2 + 4 + 4 + 4 + 4 + 4 + 4);
  }

  it('a number of keys that cannot fit is refused', async () => {
    const at = keysListAt(plain);
    const keylen = readFileSync(plain).readInt16BE(at + 14);
    const e = await openError(damaged(plain, { at: at + keylen, bytes: i32(0x00ffffff) }));
    expect(e.message).toMatch(/keys list of the top directory \(at byte \d+\): damaged file: it says it holds 16777215 keys, which do not fit in its \d+ bytes/);
  });

  it("a key pointing past the end, a garbage class name and a key that contradicts its own header are named", async () => {
    const tree = keys.find((k) => k.name === 'Scatters')!;
    const at = keysListAt(plain);
    const b = readFileSync(plain);
    const keylen = b.readInt16BE(at + 14);
    // the first key of the list follows the list's own key and the count
    const first = at + keylen + 4;
    const firstName = keys[0]!;
    const seekOffset = first + 18; // nbytes, version, objlen, datime, keylen, cycle
    let e = await openError(damaged(plain, { at: seekOffset, bytes: i32(b.length - 10) }));
    expect(e.message).toMatch(new RegExp(`key #1 of \\d+ \\('${firstName.name};1', TTree\\) in the keys list of the top directory \\(at byte \\d+\\): damaged file: it says its object is \\d+ bytes at byte \\d+, outside the file's ${b.length} bytes`));

    const classAt = first + (b.readInt16BE(first + 4) > 1000 ? 34 : 26) + 1; // the class name's first character
    e = await openError(damaged(plain, { at: classAt, bytes: [0x01, 0xfe] }));
    expect(e.message).toMatch(/its class name '\\x01\\xfe.*' is not a class name/);

    // the TTree's own key, at its seek, says a different size than the keys list
    e = await openError(damaged(plain, { at: tree.seekKey, bytes: i32(tree.nbytes + 8) }));
    expect(e.message).toContain(`TTree 'Scatters;1' (key at byte ${tree.seekKey}, ${tree.nbytes} bytes): damaged file: its key at byte ${tree.seekKey} says nbytes ${tree.nbytes + 8}, the keys list says ${tree.nbytes}`);
  });
});

describe('a damaged TTree record', () => {
  it('fails with what jsroot found, and jsroot prints nothing', async () => {
    const tree = keys.find((k) => k.name === 'Scatters')!;
    // the TTree's byte count, the first 4 bytes of its payload
    const path = damaged(plain, { at: tree.seekKey + tree.keylen, bytes: i32(0x40000100) });
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    try {
      const e = await openError(path);
      expect(e).toBeInstanceOf(CorruptFileError);
      expect(e.message).toMatch(
        /TTree 'Scatters;1' \(key at byte \d+, \d+ bytes\): damaged file: its contents do not read as a TTree: a TTree \(class version \d+\) inside it is 254 bytes by its byte count, but its streamer read \d+/,
      );
      for (const s of spies) expect(s).not.toHaveBeenCalled();
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe('good files of other writers', () => {
  it('lists trees in subdirectories by path and reads them', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-nesteddirs.root'));
    try {
      expect(rf.trees().map((t) => `${t.name}:${t.entries}`).sort()).toEqual(['one/tree:4', 'one/two/tree:100', 'three/tree:100']);
      const t = rf.tree('one/two/tree');
      const columns = await rf.readColumns(t, [t.branchList[0]!.name]);
      expect(columns.size).toBe(1);
    } finally {
      rf.close();
    }
  });

  it('lists a TNtuple as a tree and reads its float leaves', async () => {
    const rf = await openRootFile(join(REAL, 'uproot-hepdata-example.root'));
    try {
      const t = rf.tree('ntuple');
      expect(t.entries).toBe(75000);
      const px = (await rf.readColumns(t, ['px'])).get('px')!;
      expect(px.kind === 'scalar' && px.values.length).toBe(75000);
    } finally {
      rf.close();
    }
  });

  it('a copy with a TDirectory that loops back on itself is refused, not followed forever', async () => {
    const path = join(tmp, 'nested.root');
    copyFileSync(join(REAL, 'uproot-nesteddirs.root'), path);
    const source = new FileSource(path);
    const structure = readFileStructure(source);
    source.close();
    // point directory one/'s keys list at the top directory's keys list
    const dir = structure.keys.find((k) => k.path === 'one')!;
    const record = dir.seekKey + dir.keylen;
    const b = readFileSync(path);
    const big = b.readInt16BE(record) > 1000;
    const topDir = b.readInt32BE(8) + b.readInt32BE(28);
    const topBig = b.readInt16BE(topDir) > 1000;
    const topSeekKeys = topBig ? Number(b.readBigInt64BE(topDir + 34)) : b.readInt32BE(topDir + 26);
    const topNbytesKeys = b.readInt32BE(topDir + 10);
    const patched = big
      ? damaged(path, { at: record + 34, bytes: [...i32(0), ...i32(topSeekKeys)] })
      : damaged(damaged(path, { at: record + 26, bytes: i32(topSeekKeys) }), { at: record + 10, bytes: i32(topNbytesKeys) });
    expect((await openError(patched)).message).toMatch(/the directories loop back on themselves/);
  });
});
