// Values jsroot parsed out of a damaged TTree record are checked before they drive a
// loop or an allocation: a huge fEntries, fWriteBasket or cluster table fails at once.
import { describe, expect, it } from 'vitest';
import type { JsrootFile, JsrootNamed } from 'jsroot/io';
import { describeTree } from '../../../src/root/read/metadata.js';
import { CorruptFileError } from '../../../src/root/read/errors.js';

const file = { fEND: 1_000_000, findStreamerInfo: () => null } as unknown as JsrootFile;

/** A TTree record as jsroot gives it: one flat float branch with one basket. */
function tree(overrides: Record<string, unknown> = {}, branch: Record<string, unknown> = {}): JsrootNamed {
  return {
    _typename: 'TTree',
    fName: 't',
    fEntries: 10,
    fAutoFlush: 0,
    fNClusterRange: 0,
    fClusterRangeEnd: [],
    fClusterSize: [],
    fBranches: {
      _typename: 'TObjArray',
      arr: [
        {
          _typename: 'TBranch',
          fName: 'x',
          fEntries: 10,
          fWriteBasket: 1,
          fBasketSeek: [1000, 0],
          fBasketBytes: [100, 0],
          fBasketEntry: [0, 10],
          fBaskets: { _typename: 'TObjArray', arr: [] },
          fLeaves: { _typename: 'TObjArray', arr: [{ _typename: 'TLeafF', fName: 'x', fLen: 1 }] },
          fBranches: { _typename: 'TObjArray', arr: [] },
          ...branch,
        },
      ],
    },
    ...overrides,
  };
}

describe('describeTree on damaged values', () => {
  it('a good record describes its one cluster', () => {
    expect(describeTree(file, 'f.root', tree(), 1).clusterBoundaries).toEqual([0, 10]);
  });

  it('refuses an fEntries that is not a count', () => {
    for (const fEntries of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => describeTree(file, 'f.root', tree({ fEntries }), 1)).toThrow(CorruptFileError);
    }
  });

  it('stops at once on cluster sizes that would make billions of clusters', () => {
    expect(() => describeTree(file, 'f.root', tree({ fEntries: 1e15, fAutoFlush: 1 }), 1)).toThrow(
      /f\.root, tree 't': damaged file: its cluster sizes \(fAutoFlush 1, 0 cluster ranges\) make more clusters than its 1000000-byte file has room for/,
    );
    expect(() =>
      describeTree(file, 'f.root', tree({ fEntries: 1e15, fNClusterRange: 1, fClusterRangeEnd: [1e15], fClusterSize: [1] }), 1),
    ).toThrow(/make more clusters than/);
    // a cluster range whose end is far past the entries does not loop to it
    expect(describeTree(file, 'f.root', tree({ fNClusterRange: 1, fClusterRangeEnd: [2 ** 52], fClusterSize: [5] }), 1).clusterBoundaries).toEqual([0, 5, 10]);
  });

  it('refuses an fWriteBasket larger than its basket tables', () => {
    // (the baskets are listed at open here: without fAutoFlush, clusters come from them)
    expect(() => describeTree(file, 'f.root', tree({}, { fWriteBasket: 2_000_000_000 }), 1).branches.get('x')!.baskets).toThrow(/fWriteBasket 2000000000 does not fit its basket tables \(fBasketSeek 2, fBasketBytes 2, fBasketEntry 2 long\)/);
  });
});
