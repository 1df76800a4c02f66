// describeTree on tree records shaped as jsroot reads them, for the layouts no
// small real file shows: every basket saved inside the TBranch (fBasketSeek 0,
// fWriteBasket > 0, as ROOT 6.04 left whole trees; uproot-issue60.root is 1.4 MB),
// never-filled branches (uproot-issue327.root, 335 kB), and split objects holding
// ROOT::RVec or Double32_t members (uproot-issue187.root, 1.2 MB).
import { describe, expect, it } from 'vitest';
import type { JsrootFile, JsrootNamed, JsrootStreamerInfo } from 'jsroot/io';
import { describeTree } from '../../../src/root/read/metadata.js';
import { readBasket } from '../../../src/root/read/basket.js';
import { checkedColumnBuilder } from '../../../src/root/read/interpret.js';
import { CorruptFileError, UnsupportedBranchError } from '../../../src/root/read/errors.js';
import { openRootFile } from '../../../src/root/read/reader.js';
import type { ByteSource } from '../../../src/root/read/source.js';

const list = (arr: (JsrootNamed | null)[]) => ({ _typename: 'TObjArray', arr });
const noFile = { findStreamerInfo: () => null } as unknown as JsrootFile;
const noBytes: ByteSource = {
  path: 'synthetic.root',
  size: 0,
  read: () => {
    throw new Error('nothing is read from the file');
  },
  readInto: () => {
    throw new Error('nothing is read from the file');
  },
  close: () => undefined,
};

function leaf(cls: string, extra: Record<string, unknown> = {}): JsrootNamed {
  return { _typename: cls, fName: 'x', fTitle: 'x', fLen: 1, fIsUnsigned: false, fLeafCount: null, ...extra };
}

/** A TBasket saved in the TBranch record: its entries' bytes after a key of `keylen` bytes. */
function savedBasket(values: number[], keylen = 60, nbytes = 0): JsrootNamed {
  const dv = new DataView(new ArrayBuffer(8 * values.length));
  values.forEach((v, i) => dv.setFloat64(8 * i, v));
  return { _typename: 'TBasket', fNevBuf: values.length, fKeylen: keylen, fNbytes: nbytes, fLast: keylen + dv.byteLength, fBufferRef: { arr: dv } };
}

function branch(fields: Record<string, unknown>): JsrootNamed {
  return {
    _typename: 'TBranch',
    fName: 'x',
    fTitle: 'x/D',
    fLeaves: list([leaf('TLeafD')]),
    fBranches: list([]),
    fBaskets: list([]),
    fBasketSeek: [0],
    fBasketBytes: [0],
    fBasketEntry: [0],
    fWriteBasket: 0,
    ...fields,
  };
}

function tree(entries: number, ...branches: JsrootNamed[]): JsrootNamed {
  return { _typename: 'TTree', fName: 't', fTitle: '', fEntries: entries, fBranches: list(branches), fAutoFlush: 0 };
}

describe('baskets saved inside the TBranch record', () => {
  it('are read wherever they are, after the baskets written as keys (uproot\'s rule)', () => {
    // ROOT 6.04: fWriteBasket 2, no key at all, both baskets in fBaskets
    const t = describeTree(
      noFile,
      'synthetic.root',
      tree(5, branch({ fEntries: 5, fWriteBasket: 2, fBasketSeek: [0, 0, 0], fBasketBytes: [0, 0, 0], fBasketEntry: [0, 3, 5], fBaskets: list([savedBasket([1, 2, 3]), savedBasket([4, 5]), null]) })),
      1,
    );
    const b = t.branches.get('x')!;
    expect(b.type).toEqual({ kind: 'scalar', type: 'float64' });
    expect(b.baskets.map((k) => [k.entryStart, k.entries, k.seek, k.inMemory !== undefined])).toEqual([
      [0, 3, 0, true],
      [3, 2, 0, true],
    ]);
    const builder = checkedColumnBuilder(b.layout!, 5, { file: 'synthetic.root', branch: 'x' });
    for (const k of b.baskets) builder.add({ raw: readBasket(noBytes, k, { file: 'synthetic.root' }), from: 0, to: k.entries, entryStart: k.entryStart });
    const col = builder.finish();
    expect(col.kind === 'scalar' && Array.from(col.values as Float64Array)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the last basket, still in memory when the tree was saved, follows the keys', () => {
    const t = describeTree(
      noFile,
      'synthetic.root',
      tree(5, branch({ fEntries: 5, fWriteBasket: 1, fBasketSeek: [1000, 0], fBasketBytes: [90, 0], fBasketEntry: [0, 3], fBaskets: list([null, savedBasket([4, 5])]) })),
      1,
    );
    expect(t.branches.get('x')!.baskets.map((k) => [k.entryStart, k.entries, k.seek])).toEqual([
      [0, 3, 1000],
      [3, 2, 0],
    ]);
  });

  it("are ignored when the keys hold every entry (go-hep copies its keys' headers there)", () => {
    const t = describeTree(
      noFile,
      'synthetic.root',
      tree(5, branch({ fEntries: 5, fWriteBasket: 1, fBasketSeek: [327, 0], fBasketBytes: [84, 0], fBasketEntry: [0, 5], fBaskets: list([savedBasket([], 64, 84)]) })),
      1,
    );
    expect(t.branches.get('x')!.baskets.map((k) => [k.seek, k.bytes, k.entryStart, k.entries])).toEqual([[327, 84, 0, 5]]);
  });

  it('a saved basket that is only the header of a key elsewhere is an error naming it, when its entries are nowhere else', () => {
    const t = describeTree(
      noFile,
      'synthetic.root',
      tree(5, branch({ fEntries: 5, fWriteBasket: 1, fBasketSeek: [0, 0], fBasketBytes: [84, 0], fBasketEntry: [0, 5], fBaskets: list([{ ...savedBasket([]), fNevBuf: 5, fNbytes: 84, fKeylen: 64 }]) })),
      1,
    );
    const b = t.branches.get('x')!;
    expect(() => b.baskets).toThrow(CorruptFileError);
    expect(() => b.baskets).toThrow(/basket 0 saved in the TBranch record \(entries 0\.\.5\): damaged file: it is the header of a basket written elsewhere/);
  });
});

describe('branches whose entries the tree does not hold', () => {
  it('never filled: no basket in a tree with entries', () => {
    const t = describeTree(noFile, 'synthetic.root', tree(98, branch({ fEntries: 0 })), 1);
    expect(t.branches.get('x')!.type).toEqual({ kind: 'unsupported', reason: 'never filled: 0 baskets for 98 entries' });
  });

  it('filled in a tree that says it has 0 entries', () => {
    const t = describeTree(
      noFile,
      'synthetic.root',
      tree(0, branch({ fEntries: 2, fWriteBasket: 1, fBasketSeek: [461, 0], fBasketBytes: [157, 0], fBasketEntry: [0, 2] })),
      1,
    );
    const type = t.branches.get('x')!.type;
    expect(type.kind).toBe('unsupported');
    expect(type.kind === 'unsupported' && type.reason).toMatch(/the tree has 0 entries but this branch holds 2 /);
  });

  it('an empty branch of an empty tree is readable (0 entries)', () => {
    const t = describeTree(noFile, 'synthetic.root', tree(0, branch({ fEntries: 0 })), 1);
    expect(t.branches.get('x')!.type).toEqual({ kind: 'scalar', type: 'float64' });
  });
});

describe('leaves jsroot could not read', () => {
  it('are refused, not guessed (a TLeafI without its streamer info has no length or signedness)', () => {
    const t = describeTree(noFile, 'synthetic.root', tree(5, branch({ fEntries: 5, fWriteBasket: 1, fBasketSeek: [100], fBasketBytes: [80], fBasketEntry: [0, 5], fLeaves: list([{ _typename: 'TLeafI' }]) })), 1);
    const type = t.branches.get('x')!.type;
    expect(type.kind === 'unsupported' && type.reason).toMatch(/TLeafI record of the leaf could not be read/);
  });
});

/** A file whose streamer infos hold one class, `cls`, with these elements. */
function fileWith(cls: string, elements: Record<string, unknown>[]): JsrootFile {
  const info = { _typename: 'TStreamerInfo', fName: cls, fClassVersion: 1, fElements: { _typename: 'TObjArray', arr: elements } } as unknown as JsrootStreamerInfo;
  return { findStreamerInfo: (name: string) => (name === cls ? info : null) } as unknown as JsrootFile;
}

function element(fields: Record<string, unknown>): JsrootNamed {
  return {
    _typename: 'TBranchElement',
    fName: 'ev.m',
    fTitle: 'm',
    fType: 0,
    fClassName: 'Ev',
    fClassVersion: 1,
    fLeaves: list([{ _typename: 'TLeafElement', fName: 'ev.m', fLen: 1, fLeafCount: null }]),
    fBranches: list([]),
    fBaskets: list([]),
    fEntries: 5,
    fWriteBasket: 1,
    fBasketSeek: [100],
    fBasketBytes: [80],
    fBasketEntry: [0, 5],
    ...fields,
  };
}

describe('ROOT::RVec<T>: streamed as std::vector<T>', () => {
  it('a top-level RVec branch', () => {
    const file = fileWith('ROOT::VecOps::RVec<float>', []);
    const t = describeTree(file, 'synthetic.root', tree(5, element({ fName: 'MC_px', fClassName: 'ROOT::VecOps::RVec<float>', fID: -1, fStreamerType: -1 })), 1);
    const b = t.branches.get('MC_px')!;
    expect(b.type).toEqual({ kind: 'vector', type: 'float32' });
    expect(b.layout).toEqual({ form: 'stlVector', elem: 'float32' });
  });

  it('an RVec member of a split object, and an RVec of a type it does not decode', () => {
    const file = fileWith('Ev', [
      { _typename: 'TStreamerSTL', fName: 'm', fTitle: '', fType: 300, fTypeName: 'ROOT::RVec<double>' },
      { _typename: 'TStreamerSTL', fName: 'n', fTitle: '', fType: 300, fTypeName: 'ROOT::VecOps::RVec<TLorentzVector>' },
    ]);
    const t = describeTree(file, 'synthetic.root', tree(5, element({ fID: 0, fStreamerType: 300 }), element({ fName: 'ev.n', fID: 1, fStreamerType: 300 })), 1);
    expect(t.branches.get('ev.m')!.layout).toEqual({ form: 'stlVector', elem: 'float64' });
    const n = t.branches.get('ev.n')!.type;
    expect(n.kind === 'unsupported' && n.reason).toMatch(/ROOT::RVec of 'TLorentzVector'/);
    expect(n.kind === 'unsupported' && n.reason).not.toMatch(/write it split/);
  });
});

describe('Double32_t members of a split object', () => {
  const member = (fields: Record<string, unknown>) => ({ _typename: 'TStreamerBasicType', fName: 'm', fType: 9, fTypeName: 'Double32_t', ...fields });

  it('take their packing from the element title, checked against the element as ROOT reads it', () => {
    const file = fileWith('Ev', [member({ fTitle: 'momentum [0,8,8]', fFactor: 32, fXmin: 0 })]);
    const b = describeTree(file, 'synthetic.root', tree(5, element({ fID: 0, fStreamerType: 9 })), 1).branches.get('ev.m')!;
    expect(b.type).toEqual({ kind: 'scalar', type: 'float64' });
    expect(b.layout).toEqual({ form: 'fixed', elem: 'float64', count: 1, packed: { encoding: 'scaled', low: 0, high: 8, nbits: 8 } });
  });

  it('are refused when the element holds no range though the title has one (ROOT would read a float)', () => {
    const file = fileWith('Ev', [member({ fTitle: '[0,8,8]', fFactor: 0, fXmin: 0 })]);
    const b = describeTree(file, 'synthetic.root', tree(5, element({ fID: 0, fStreamerType: 9 })), 1).branches.get('ev.m')!;
    expect(b.type.kind === 'unsupported' && b.type.reason).toMatch(/title '\[0,8,8\]' and its streamer element \(factor 0, xmin 0\) disagree/);
  });

  it('fixed and counted arrays of Float16_t', () => {
    const file = fileWith('Ev', [
      member({ fName: 'a', fType: 39, fTypeName: 'Float16_t', fTitle: '[0,0,10]', fFactor: 0, fXmin: 10, fArrayLength: 3 }),
      member({ fName: 'c', fType: 59, fTypeName: 'Float16_t', fTitle: '[n] no range', fFactor: 0, fXmin: 0 }),
    ]);
    const counted = element({ fName: 'ev.c', fID: 1, fStreamerType: 59, fLeaves: list([{ _typename: 'TLeafElement', fName: 'ev.c', fLen: 1, fLeafCount: { _typename: 'TLeafElement', fName: 'ev.n' } }]) });
    const t = describeTree(file, 'synthetic.root', tree(5, element({ fName: 'ev.a', fID: 0, fStreamerType: 39, fLeaves: list([{ _typename: 'TLeafElement', fLen: 3 }]) }), counted), 1);
    expect(t.branches.get('ev.a')!.layout).toEqual({ form: 'fixed', elem: 'float32', count: 3, packed: { encoding: 'truncated', nbits: 10 } });
    expect(t.branches.get('ev.c')!.layout).toEqual({ form: 'counted', elem: 'float32', header: 1, countBranch: 'ev.n', packed: { encoding: 'truncated', nbits: 12 } });
  });
});

describe('on real files', () => {
  it('reading a branch of a tree that says 0 entries names the tree, the branch and both counts', async () => {
    const rf = await openRootFile(new URL('../../../fixtures/real/string-example.root', import.meta.url).pathname);
    try {
      const read = rf.readColumns('Refs', ['Params']);
      await expect(read).rejects.toBeInstanceOf(UnsupportedBranchError);
      await expect(read).rejects.toThrow(/string-example\.root, tree 'Refs', branch 'Params': .*the tree has 0 entries but this branch holds 2 /);
      // the branches that hold nothing read as the tree's 0 entries
      const empty = await rf.readColumns('Refs', ['Links']);
      expect(empty.get('Links')).toMatchObject({ kind: 'string', indices: new Uint32Array(0) });
    } finally {
      rf.close();
    }
  });
});
