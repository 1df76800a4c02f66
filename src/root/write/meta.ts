// Serialisation of the TTree metadata object: TTree v20 with its TBranch v13 /
// TBranchElement v10 hierarchy and TLeaf* v1 / TLeafElement v1 leaves, laid out
// member by member as ROOT's streamers write them.

import { ByteWriter } from './buffer.js';
import { ObjectBuffer, writeTNamed, writeTObject } from './objects.js';

/** The growable per-basket tables of a branch. */
export class BasketTable {
  bytes: number[] = [];
  entry: number[] = [];
  seek: number[] = [];
  push(nbytes: number, firstEntry: number, seek: number): void {
    this.bytes.push(nbytes);
    this.entry.push(firstEntry);
    this.seek.push(seek);
  }
  get count(): number {
    return this.bytes.length;
  }
}

export interface LeafMeta {
  readonly className: string; // TLeafF, TLeafElement, TLeafC, ...
  readonly name: string;
  readonly title: string;
  readonly lenType: number;
  readonly isUnsigned: boolean;
  /** TLeafElement only. */
  readonly elementId?: number;
  readonly elementType?: number;
  /** TLeafC: longest string written so far (ROOT keeps it in fMaximum). */
  maximum?: number;
}

export interface ElementMeta {
  readonly className: string;
  readonly parentName: string;
  readonly checksum: number;
  readonly classVersion: number;
  readonly id: number;
  readonly type: number;
  readonly streamerType: number;
}

export class BranchMeta {
  readonly baskets = new BasketTable();
  readonly children: BranchMeta[] = [];
  entries = 0;
  /** Entries stored in this branch's own baskets (0 for a split object's top branch). */
  entryNumber = 0;
  totBytes = 0;
  zipBytes = 0;

  constructor(
    readonly name: string,
    readonly title: string,
    readonly leaf: LeafMeta,
    readonly compress: number,
    readonly basketSize: number,
    readonly entryOffsetLen: number,
    readonly splitLevel: number,
    /** Present for TBranchElement, absent for a plain TBranch. */
    readonly element?: ElementMeta,
  ) {}
}

export interface TreeMeta {
  readonly name: string;
  readonly title: string;
  readonly entries: number;
  readonly totBytes: number;
  readonly zipBytes: number;
  readonly autoFlush: number;
  /** Inclusive last entry and cluster size of each range before the last (fClusterRangeEnd/fClusterSize). */
  readonly clusterRangeEnd: readonly number[];
  readonly clusterSize: readonly number[];
  readonly branches: readonly BranchMeta[];
}

const BITS_OBJECT = 0x03000000;
const BITS_BRANCH = 0x03400000;
const TIOFEATURES_CHECKSUM = 446770960;

function writeAttFill(w: ByteWriter): void {
  const at = w.beginVersioned(2);
  w.i16(0); // fFillColor
  w.i16(1001); // fFillStyle
  w.endCounted(at);
}

/** ROOT::TIOFeatures has no ClassDef, so ROOT writes version 0 followed by its checksum. */
function writeIOFeatures(w: ByteWriter): void {
  const at = w.pos;
  w.u32(0);
  w.i16(0);
  w.u32(TIOFEATURES_CHECKSUM);
  w.u8(0); // fIOBits
  w.endCounted(at);
}

/** An in-place TObjArray (member, not pointer): header then the element writer's output. */
function writeObjArray(w: ByteWriter, count: number, writeItems: () => void): void {
  const at = w.beginVersioned(3);
  writeTObject(w, BITS_OBJECT);
  w.tstring('');
  w.i32(count);
  w.i32(0); // fLowerBound
  writeItems();
  w.endCounted(at);
}

function writeLeaf(ob: ObjectBuffer, leaf: LeafMeta, refs: number[]): void {
  const w = ob.w;
  const objAt = ob.beginObject(leaf.className);
  refs.push(ob.objectRef(objAt));
  const at = w.beginVersioned(1);
  const base = w.beginVersioned(2); // TLeaf v2
  writeTNamed(w, leaf.name, leaf.title, BITS_OBJECT);
  w.i32(1); // fLen
  w.i32(leaf.lenType);
  w.i32(0); // fOffset
  w.u8(0); // fIsRange
  w.u8(leaf.isUnsigned ? 1 : 0);
  ob.nullPointer(); // fLeafCount
  w.endCounted(base);
  switch (leaf.className) {
    case 'TLeafElement':
      w.i32(leaf.elementId ?? -1);
      w.i32(leaf.elementType ?? -1);
      break;
    case 'TLeafO':
    case 'TLeafB':
      w.u8(0);
      w.u8(0);
      break;
    case 'TLeafS':
      w.i16(0);
      w.i16(0);
      break;
    case 'TLeafI':
      w.i32(0);
      w.i32(0);
      break;
    case 'TLeafC':
      w.i32(0);
      w.i32(leaf.maximum ?? 0);
      break;
    case 'TLeafL':
      w.i64(0);
      w.i64(0);
      break;
    case 'TLeafF':
      w.f32(0);
      w.f32(0);
      break;
    case 'TLeafD':
      w.f64(0);
      w.f64(0);
      break;
    default:
      throw new Error(`unknown leaf class ${leaf.className}`);
  }
  w.endCounted(at);
  w.endCounted(objAt);
}

function writeBranch(ob: ObjectBuffer, b: BranchMeta, refs: number[]): void {
  const w = ob.w;
  const objAt = ob.beginObject(b.element ? 'TBranchElement' : 'TBranch');
  const outer = b.element ? w.beginVersioned(10) : -1;
  const at = w.beginVersioned(13);
  writeTNamed(w, b.name, b.title, BITS_BRANCH);
  writeAttFill(w);
  const nb = b.baskets.count;
  w.i32(b.compress);
  w.i32(b.basketSize);
  w.i32(b.entryOffsetLen);
  w.i32(nb); // fWriteBasket
  w.i64(b.entryNumber);
  writeIOFeatures(w);
  w.i32(0); // fOffset
  const maxBaskets = nb + 1;
  w.i32(maxBaskets);
  w.i32(b.splitLevel);
  w.i64(b.entries);
  w.i64(0); // fFirstEntry
  w.i64(b.totBytes);
  w.i64(b.zipBytes);
  writeObjArray(w, b.children.length, () => {
    for (const c of b.children) writeBranch(ob, c, refs);
  });
  writeObjArray(w, 1, () => writeLeaf(ob, b.leaf, refs));
  writeObjArray(w, 0, () => undefined); // fBaskets: all on disk
  // Basic pointer arrays: 1-byte "present" flag, then fMaxBaskets values; the slot
  // after the last basket holds the entry count, as ROOT leaves it.
  w.u8(1);
  for (let i = 0; i < nb; i++) w.i32(b.baskets.bytes[i] ?? 0);
  w.i32(0);
  w.u8(1);
  for (let i = 0; i < nb; i++) w.i64(b.baskets.entry[i] ?? 0);
  w.i64(b.entryNumber);
  w.u8(1);
  for (let i = 0; i < nb; i++) w.i64(b.baskets.seek[i] ?? 0);
  w.i64(0);
  w.tstring(''); // fFileName
  w.endCounted(at);
  if (b.element) {
    const e = b.element;
    w.tstring(e.className);
    w.tstring(e.parentName);
    w.tstring(''); // fClonesName
    w.u32(e.checksum);
    w.i16(e.classVersion);
    w.i32(e.id);
    w.i32(e.type);
    w.i32(e.streamerType);
    w.i32(0); // fMaximum
    ob.nullPointer(); // fBranchCount
    ob.nullPointer(); // fBranchCount2
    w.endCounted(outer);
  }
  w.endCounted(objAt);
}

/** The uncompressed payload of a TTree key whose header is `keylen` bytes long. */
export function serializeTree(t: TreeMeta, keylen: number): Uint8Array {
  const ob = new ObjectBuffer(keylen, 8192);
  const w = ob.w;
  const at = w.beginVersioned(20);
  writeTNamed(w, t.name, t.title, BITS_OBJECT);
  let a = w.beginVersioned(2); // TAttLine
  w.i16(602);
  w.i16(1);
  w.i16(1);
  w.endCounted(a);
  writeAttFill(w);
  a = w.beginVersioned(2); // TAttMarker
  w.i16(1);
  w.i16(1);
  w.f32(1);
  w.endCounted(a);
  w.i64(t.entries);
  w.i64(t.totBytes);
  w.i64(t.zipBytes);
  w.i64(0); // fSavedBytes
  w.i64(t.zipBytes); // fFlushedBytes
  w.f64(1); // fWeight
  w.i32(0); // fTimerInterval
  w.i32(25); // fScanField
  w.i32(0); // fUpdate
  w.i32(1000); // fDefaultEntryOffsetLen
  w.i32(t.clusterRangeEnd.length); // fNClusterRange
  w.i64(1000000000000); // fMaxEntries
  w.i64(1000000000000); // fMaxEntryLoop
  w.i64(0); // fMaxVirtualSize
  w.i64(-300000000); // fAutoSave
  w.i64(t.autoFlush);
  w.i64(1000000); // fEstimate
  for (const arr of [t.clusterRangeEnd, t.clusterSize]) {
    if (arr.length === 0) {
      w.u8(0);
    } else {
      w.u8(1);
      for (const v of arr) w.i64(v);
    }
  }
  writeIOFeatures(w);
  const leafRefs: number[] = [];
  writeObjArray(w, t.branches.length, () => {
    for (const b of t.branches) writeBranch(ob, b, leafRefs);
  });
  // fLeaves: references to the leaves already written inside the branches.
  writeObjArray(w, leafRefs.length, () => {
    for (const r of leafRefs) w.u32(r);
  });
  ob.nullPointer(); // fAliases
  w.i32(0); // fIndexValues (TArrayD, empty)
  w.i32(0); // fIndex (TArrayI, empty)
  ob.nullPointer(); // fTreeIndex
  ob.nullPointer(); // fFriends
  ob.nullPointer(); // fUserInfo
  ob.nullPointer(); // fBranchRef
  w.endCounted(at);
  return w.toUint8Array();
}
