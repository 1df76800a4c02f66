// A branch's basket table, from its TBranch record, checked before the branch is
// read: the baskets tile the branch's entries from 0 without gaps or overlaps, lie
// inside the file, and hold as many entries as the branch and its tree say. A table
// that does not add up is refused here rather than read into a wrong count.

import type { BranchInfo, TreeInfo } from './metadata.js';
import { CorruptFileError, RootReadError, type ErrorPlace } from './errors.js';
import type { FileHeader } from './structure.js';

/** The smallest basket on disk: a key header (26 bytes + 3 strings) and the basket's own 19 bytes. */
export const MIN_BASKET_BYTES = 26 + 3 + 19;

export function checkBasketTable(tree: TreeInfo, branch: BranchInfo, header: Pick<FileHeader, 'begin' | 'end'>, place: ErrorPlace): void {
  // (A branch never filled, or filled in a tree of 0 entries, is refused by its description: metadata.ts checkFilled.)
  const baskets = branch.baskets;
  let next = 0;
  for (let i = 0; i < baskets.length; i++) {
    const k = baskets[i]!;
    const record = `basket ${i} of ${baskets.length} in the branch's basket table`;
    if (!Number.isSafeInteger(k.entries) || k.entries < 0 || k.entryStart !== next) {
      throw new CorruptFileError(
        { ...place, record },
        `it says it holds entries ${k.entryStart}..${k.entryStart + k.entries}, but the baskets before it end at entry ${next}`,
      );
    }
    next = k.entryStart + k.entries;
    if (k.inMemory || k.entries === 0) continue;
    if (!Number.isSafeInteger(k.seek) || !Number.isSafeInteger(k.bytes) || k.seek < header.begin || k.bytes < MIN_BASKET_BYTES || k.seek + k.bytes > header.end) {
      throw new CorruptFileError(
        { ...place, record },
        `it says it is ${k.bytes} bytes at byte ${k.seek}, which is not inside the file's records (bytes ${header.begin}..${header.end})`,
      );
    }
  }
  if (next !== branch.entries) {
    throw new CorruptFileError(place, `its baskets hold ${next} entries, its fEntries says ${branch.entries}`);
  }
  if (branch.entries !== tree.entries) {
    throw new RootReadError(
      place,
      `the branch holds ${branch.entries} entries but its tree says it has ${tree.entries}; which one is right cannot be told, so it is not read`,
    );
  }
}
