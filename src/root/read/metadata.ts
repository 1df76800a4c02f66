// jsroot metadata -> typed TreeInfo/BranchInfo. jsroot reads the file directory,
// the streamer infos and the TTree objects; everything here narrows its plain
// records into the reader's own vocabulary, deciding each branch's on-disk
// layout from the file (leaf classes, streamer types, class names).
import type { JsrootFile, JsrootList, JsrootNamed } from 'jsroot/io';
import type { ColumnType, NumericType } from '../write/types.js';
import { CorruptFileError, type ErrorPlace } from './errors.js';
import { MIN_BASKET_BYTES } from './checks.js';
import { describePacked, elementFactorOf, packedFloatOf, type PackedFloat, type PackedFloatType } from './packedFloat.js';

/** Where one basket's bytes are. */
export interface BasketInfo {
  /** Position of the basket's TKey in the file (0 for an in-memory basket). */
  readonly seek: number;
  /** Bytes of key + compressed data on disk (0 for an in-memory basket). */
  readonly bytes: number;
  readonly entryStart: number;
  readonly entries: number;
  /**
   * Baskets that were never flushed to their own key but saved inside the TTree
   * (the TBranch's fBaskets): their bytes, already uncompressed, without the key.
   */
  readonly inMemory?: { data: Uint8Array; offsets: Int32Array | null };
}

/** How entries are laid out in a basket; decided once from the metadata. */
export type Layout =
  /**
   * `count` elements of fixed size per entry, no header (scalars, fixed arrays); with
   * `packed`, Double32_t/Float16_t stored in fewer bytes, read into `elem` (float64/float32).
   */
  | { form: 'fixed'; elem: NumericType; count: number; packed?: PackedFloat }
  /** counted array (`x[n]`): per entry `header` bytes then n elements; n from the count branch. */
  | { form: 'counted'; elem: NumericType; header: 0 | 1; countBranch: string | null; packed?: PackedFloat }
  /** std::vector<T> streamed object-wise: bytecount+version (6 bytes), int32 size, elements. */
  | { form: 'stlVector'; elem: NumericType }
  /** std::vector<std::string|TString>: bytecount+version, int32 size, then each string. */
  | { form: 'stlVectorString' }
  /** one string per entry (TLeafC, TString, std::string), with `header` bytes before it. */
  | { form: 'string'; header: 0 | 6 };

export type BranchType = ColumnType | { kind: 'unsupported'; reason: string };

export interface BranchInfo {
  /** The branch's fName: for split objects ROOT stores the full dotted name, e.g. `ss.x_cm`. */
  readonly name: string;
  /** Names from the top-level branch down, joined with '/'. */
  readonly path: string;
  readonly className: 'TBranch' | 'TBranchElement' | string;
  readonly title: string;
  readonly type: BranchType;
  readonly layout: Layout | null;
  /** Leaf type in ROOT's words, e.g. `TLeafF`, `vector<string>`, for `inspect`. */
  readonly rootType: string;
  readonly entries: number;
  readonly baskets: readonly BasketInfo[];
  /** The branch's fCompress setting (algorithm*100 + level), -1 when inherited. */
  readonly compress: number;
  readonly entryOffsetLen: number;
  readonly subBranches: readonly string[];
}

export interface TreeInfo {
  readonly name: string;
  readonly title: string;
  readonly cycle: number;
  readonly entries: number;
  /** Every branch, by full name (fName) and also by '/'-joined path. */
  readonly branches: ReadonlyMap<string, BranchInfo>;
  /** Branches in file order (each once). */
  readonly branchList: readonly BranchInfo[];
  /** Entry numbers where clusters start, ascending, beginning with 0; ends with `entries`. */
  readonly clusterBoundaries: readonly number[];
  readonly autoFlush: number;
}

// --- small narrowing helpers over jsroot's plain records
function num(o: JsrootNamed, k: string, dflt = 0): number {
  const v = o[k];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return dflt;
}
function str(o: JsrootNamed, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}
function list(o: JsrootNamed, k: string): JsrootNamed[] {
  const v = o[k] as JsrootList | null | undefined;
  if (!v || !Array.isArray(v.arr)) return [];
  return v.arr.filter((x): x is JsrootNamed => x !== null && typeof x === 'object');
}
function rawList(o: JsrootNamed, k: string): (JsrootNamed | null)[] {
  const v = o[k] as JsrootList | null | undefined;
  return v && Array.isArray(v.arr) ? v.arr : [];
}
function numArray(o: JsrootNamed, k: string): ArrayLike<number> {
  const v = o[k];
  if (v && typeof v === 'object' && 'length' in v) return v as ArrayLike<number>;
  return [];
}

// ROOT's TStreamerElement type codes (TVirtualStreamerInfo::EReadWrite).
const kOffsetL = 20;
const kOffsetP = 40;
const kTString = 65;
const kSTL = 300;
const kSTLstring = 365;

const BASIC_CODES: Record<number, NumericType> = {
  1: 'int8',
  2: 'int16',
  3: 'int32',
  4: 'int64',
  5: 'float32',
  6: 'int32', // kCounter
  8: 'float64',
  11: 'uint8',
  12: 'uint16',
  13: 'uint32',
  14: 'uint64',
  15: 'uint32', // kBits
  16: 'int64',
  17: 'uint64',
  18: 'bool',
};

const CXX_NAMES: Record<string, NumericType> = {
  bool: 'bool',
  Bool_t: 'bool',
  char: 'int8',
  Char_t: 'int8',
  'signed char': 'int8',
  'unsigned char': 'uint8',
  UChar_t: 'uint8',
  short: 'int16',
  Short_t: 'int16',
  'unsigned short': 'uint16',
  UShort_t: 'uint16',
  int: 'int32',
  Int_t: 'int32',
  'unsigned int': 'uint32',
  unsigned: 'uint32',
  UInt_t: 'uint32',
  long: 'int64',
  Long_t: 'int64',
  'long long': 'int64',
  Long64_t: 'int64',
  'unsigned long': 'uint64',
  ULong_t: 'uint64',
  'unsigned long long': 'uint64',
  ULong64_t: 'uint64',
  float: 'float32',
  Float_t: 'float32',
  double: 'float64',
  Double_t: 'float64',
  int8_t: 'int8',
  uint8_t: 'uint8',
  int16_t: 'int16',
  uint16_t: 'uint16',
  int32_t: 'int32',
  uint32_t: 'uint32',
  int64_t: 'int64',
  uint64_t: 'uint64',
};

function normalizeTypeName(t: string): string {
  return t
    .replace(/std::/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([<>,*])\s*/g, '$1')
    .trim();
}

interface Decided {
  type: BranchType;
  layout: Layout | null;
  rootType: string;
}

function unsupported(reason: string, rootType: string): Decided {
  return { type: { kind: 'unsupported', reason }, layout: null, rootType };
}

/**
 * ROOT::VecOps::RVec<T> (also spelt ROOT::RVec<T>) is streamed exactly like std::vector<T>
 * (uproot reads both with AsVectorLike): its element type, or null for another class.
 */
function vectorLikeElement(t: string): { inner: string; what: string } | null {
  const v = /^vector<(.+)>$/.exec(t);
  if (v) return { inner: v[1]!, what: 'std::vector' };
  const r = /^(?:ROOT::)?(?:VecOps::)?RVec<(.+)>$/.exec(t);
  if (r) return { inner: r[1]!, what: 'ROOT::RVec' };
  return null;
}

/** Class names of containers, decided here (never "write it split": they cannot be split that way). */
const CONTAINER_CLASS = /^(std::)?(vector|set|multiset|map|multimap|list|deque|unordered_\w+)<|^(ROOT::)?(VecOps::)?RVec</;

/** Layout of an STL/string class name (a top-level TBranchElement or a kSTL member). */
function decideClassName(typeName: string, stringHeader: 0 | 6): Decided {
  const t = normalizeTypeName(typeName);
  if (t === 'string') return { type: { kind: 'string' }, layout: { form: 'string', header: stringHeader }, rootType: t };
  if (t === 'TString') return { type: { kind: 'string' }, layout: { form: 'string', header: 0 }, rootType: t };
  const m = vectorLikeElement(t);
  if (m) {
    const { inner, what } = m;
    if (inner === 'string' || inner === 'TString') {
      return { type: { kind: 'vectorString' }, layout: { form: 'stlVectorString' }, rootType: t };
    }
    const elem = CXX_NAMES[inner];
    if (elem) return { type: { kind: 'vector', type: elem }, layout: { form: 'stlVector', elem }, rootType: t };
    return unsupported(`${what} of '${inner}' (only vectors of numbers and strings are decoded)`, t);
  }
  if (/^(set|multiset|map|multimap|list|deque|unordered_\w+)</.test(t)) {
    return unsupported(`STL container '${t}' (only std::vector of numbers or strings is decoded)`, t);
  }
  return unsupported(`type '${t}' is not a number, string or std::vector of them`, t);
}

const LEAF_CLASSES: Record<string, (unsigned: boolean) => NumericType> = {
  TLeafB: (u) => (u ? 'uint8' : 'int8'),
  TLeafS: (u) => (u ? 'uint16' : 'int16'),
  TLeafI: (u) => (u ? 'uint32' : 'int32'),
  TLeafL: (u) => (u ? 'uint64' : 'int64'),
  TLeafG: (u) => (u ? 'uint64' : 'int64'),
  TLeafF: () => 'float32',
  TLeafD: () => 'float64',
  TLeafO: () => 'bool',
};

function leafCountName(leaf: JsrootNamed): string | null {
  const lc = leaf['fLeafCount'];
  if (lc && typeof lc === 'object' && typeof (lc as JsrootNamed).fName === 'string') return (lc as JsrootNamed).fName!;
  return null;
}

/** Plain TBranch with one TLeaf. */
function decideLeafBranch(branch: JsrootNamed, leafToBranch: Map<string, string>): Decided {
  const leaves = list(branch, 'fLeaves');
  if (leaves.length !== 1) {
    return unsupported(`a leaf-list branch with ${leaves.length} leaves (only one leaf per branch is decoded)`, 'leaf list');
  }
  const leaf = leaves[0]!;
  const cls = leaf._typename;
  // jsroot leaves a leaf's members out when the file lacks its streamer (old go-hep files):
  // its length and signedness would be guesses
  if (typeof leaf['fLen'] !== 'number') {
    return unsupported(`the ${cls} record of the leaf could not be read (the file has no streamer info for it)`, cls);
  }
  if (cls === 'TLeafC') return { type: { kind: 'string' }, layout: { form: 'string', header: 0 }, rootType: cls };
  let elem: NumericType;
  let packed: PackedFloat | undefined;
  const packedType = PACKED_LEAF_CLASSES[cls];
  if (packedType) {
    const p = packedFloatOf(packedType, leaf.fTitle ?? '');
    if ('refused' in p) return unsupported(p.refused, cls);
    packed = p;
    elem = packedType === 'Double32_t' ? 'float64' : 'float32';
  } else {
    const make = LEAF_CLASSES[cls];
    if (!make) return unsupported(`leaf class ${cls} (${leaf.fTitle ?? ''}) is not decoded`, cls);
    elem = make(leaf['fIsUnsigned'] === true);
  }
  const extra = packed ? { packed } : {};
  const packing = packed ? ` (${describePacked(packed)})` : '';
  const count = leafCountName(leaf);
  const len = num(leaf, 'fLen', 1);
  if (count !== null) {
    if (len !== 1) return unsupported(`counted array of fixed arrays (${leaf.fTitle ?? ''})`, cls);
    return {
      type: { kind: 'vector', type: elem },
      layout: { form: 'counted', elem, header: 0, countBranch: leafToBranch.get(count) ?? count, ...extra },
      rootType: `${cls}[${count}]${packing}`,
    };
  }
  if (len > 1) {
    return { type: { kind: 'vector', type: elem }, layout: { form: 'fixed', elem, count: len, ...extra }, rootType: `${cls}[${len}]${packing}` };
  }
  return { type: { kind: 'scalar', type: elem }, layout: { form: 'fixed', elem, count: 1, ...extra }, rootType: `${cls}${packing}` };
}

const PACKED_LEAF_CLASSES: Record<string, PackedFloatType> = { TLeafD32: 'Double32_t', TLeafF16: 'Float16_t' };

/** TBranchElement without sub-branches. */
function decideElementBranch(file: JsrootFile, branch: JsrootNamed, leafToBranch: Map<string, string>, topLevel: boolean): Decided {
  const brType = num(branch, 'fType');
  const id = num(branch, 'fID', -1);
  const stype = num(branch, 'fStreamerType', -1);
  const className = str(branch, 'fClassName');
  if (brType === 3 || brType === 31) return unsupported('member of a split TClonesArray', className);
  if (brType === 4 || brType === 41) return unsupported('member of a split STL collection of objects', className);
  if (id < 0) {
    // the whole object of class fClassName is streamed into this branch
    if (topLevel) {
      const d = decideClassName(className, 0);
      if (d.layout !== null || CONTAINER_CLASS.test(className)) return d;
      const info = file.findStreamerInfo(className);
      if (info) return unsupported(`unsplit object of class '${className}' (write it split, splitlevel > 0)`, className);
      return d;
    }
    return unsupported(`unsplit object of class '${className}'`, className);
  }
  const info = file.findStreamerInfo(className, num(branch, 'fClassVersion', -1)) ?? file.findStreamerInfo(className);
  const elements = info && info.fElements ? info.fElements.arr : [];
  const element = elements[id] ?? null;
  const typeName = element ? String(element['fTypeName'] ?? '') : '';
  const leaves = list(branch, 'fLeaves');
  const leaf = leaves[0];
  if (stype === kTString) return { type: { kind: 'string' }, layout: { form: 'string', header: 0 }, rootType: 'TString' };
  if (stype === kSTL || stype === kSTLstring) {
    if (!element) return unsupported(`STL member #${id} of '${className}' not found in the streamer infos`, 'STL');
    return decideClassName(typeName, 6);
  }
  const base = BASIC_CODES[stype];
  if (base) return { type: { kind: 'scalar', type: base }, layout: { form: 'fixed', elem: base, count: 1 }, rootType: typeName || `type ${stype}` };
  const fixed = BASIC_CODES[stype - kOffsetL];
  if (fixed && stype > kOffsetL && stype < kOffsetP) {
    const len = leaf ? num(leaf, 'fLen', 0) : num(element ?? { _typename: '' }, 'fArrayLength', 0);
    if (len <= 0) return unsupported(`fixed array with unknown length`, typeName);
    return { type: { kind: 'vector', type: fixed }, layout: { form: 'fixed', elem: fixed, count: len }, rootType: `${typeName}[${len}]` };
  }
  const counted = BASIC_CODES[stype - kOffsetP];
  if (counted && stype > kOffsetP && stype < kOffsetP + 20) {
    const count = leaf ? leafCountName(leaf) : null;
    // one "speed bump" byte precedes each entry's array in an object's member
    return {
      type: { kind: 'vector', type: counted },
      layout: { form: 'counted', elem: counted, header: 1, countBranch: count === null ? null : (leafToBranch.get(count) ?? count) },
      rootType: `${typeName}[${count ?? '?'}]`,
    };
  }
  const packedType = PACKED_CODES[stype % kOffsetL];
  if (packedType && stype < kOffsetP + kOffsetL) {
    return decidePackedMember(packedType, stype, element, leaf, leafToBranch);
  }
  return unsupported(`member '${element?.fName ?? id}' of type '${typeName || stype}' (streamer type ${stype})`, typeName);
}

// kDouble32 and kFloat16, alone, + kOffsetL (fixed array) or + kOffsetP (counted array)
const PACKED_CODES: Record<number, PackedFloatType> = { 9: 'Double32_t', 19: 'Float16_t' };

/**
 * A Double32_t/Float16_t member of a split object. Its packing is in the streamer
 * element's title; jsroot's reading of the same element (fFactor, fXmin, as ROOT
 * reads it) must agree, else ROOT itself would read the bytes another way.
 */
function decidePackedMember(
  type: PackedFloatType,
  stype: number,
  element: JsrootNamed | null,
  leaf: JsrootNamed | undefined,
  leafToBranch: Map<string, string>,
): Decided {
  if (!element) return unsupported(`${type} member not found in the streamer infos`, type);
  const title = element.fTitle ?? '';
  const p = packedFloatOf(type, title);
  if ('refused' in p) return unsupported(p.refused, type);
  const want = elementFactorOf(p);
  const factor = num(element, 'fFactor');
  const xmin = num(element, 'fXmin');
  const agrees =
    p.encoding === 'scaled'
      ? factor === want.factor && xmin === want.xmin
      : factor === 0 && (Math.round(xmin) === want.xmin || (xmin === 0 && type === 'Float16_t' && want.xmin === 12));
  if (!agrees) {
    return unsupported(
      `${type} member '${element.fName ?? ''}': its title '${title}' and its streamer element (factor ${factor}, xmin ${xmin}) disagree on the packing`,
      type,
    );
  }
  const elem: NumericType = type === 'Double32_t' ? 'float64' : 'float32';
  const rootType = `${type} (${describePacked(p)})`;
  if (stype < kOffsetL) return { type: { kind: 'scalar', type: elem }, layout: { form: 'fixed', elem, count: 1, packed: p }, rootType };
  if (stype < kOffsetP) {
    const len = leaf ? num(leaf, 'fLen', 0) : num(element, 'fArrayLength', 0);
    if (len <= 0) return unsupported(`fixed array with unknown length`, type);
    return { type: { kind: 'vector', type: elem }, layout: { form: 'fixed', elem, count: len, packed: p }, rootType: `${type}[${len}] (${describePacked(p)})` };
  }
  const count = leaf ? leafCountName(leaf) : null;
  return {
    type: { kind: 'vector', type: elem },
    // one "speed bump" byte precedes each entry's array in an object's member
    layout: { form: 'counted', elem, header: 1, countBranch: count === null ? null : (leafToBranch.get(count) ?? count), packed: p },
    rootType: `${type}[${count ?? '?'}] (${describePacked(p)})`,
  };
}

/**
 * Where a branch's baskets are, as uproot's TBranch finds them (behaviors/TBranch.py):
 * first the baskets written as keys, fBasketSeek[0..fWriteBasket) up to the first 0;
 * then, when those do not hold all fEntries, the baskets saved inside the TBranch
 * record (fBaskets, from index `keyed` on) in their order: the last basket of a tree
 * saved before it was closed, or every basket (ROOT 6.04 left whole trees there,
 * fBasketSeek all 0). go-hep writes copies of its keys' headers into fBaskets; with
 * the keys holding every entry, they are not read.
 */
function basketPlan(branch: JsrootNamed): { keyed: number; keyedEnd: number; embedded: JsrootNamed[] } {
  const writeBasket = num(branch, 'fWriteBasket');
  const seeks = numArray(branch, 'fBasketSeek');
  const starts = numArray(branch, 'fBasketEntry');
  const entries = num(branch, 'fEntries');
  let keyed = 0;
  while (keyed < writeBasket && keyed < seeks.length && Number(seeks[keyed]) !== 0) keyed++;
  // fBasketEntry may stop at the last key's start (ROOT reads such files): its end is then fEntries
  const keyedEnd = keyed === 0 ? 0 : Number(starts[keyed] ?? entries);
  // fBaskets[i] is basket number i: those past the keys, in order
  const embedded =
    keyedEnd >= entries
      ? []
      : rawList(branch, 'fBaskets')
          .slice(keyed)
          .filter((b): b is JsrootNamed => b !== null && b._typename === 'TBasket' && num(b, 'fNevBuf') > 0);
  return { keyed, keyedEnd, embedded };
}

/** How many baskets hold the branch's entries (no basket is read or copied). */
function basketCount(branch: JsrootNamed): number {
  const plan = basketPlan(branch);
  return plan.keyed + plan.embedded.length;
}

function basketsOf(branch: JsrootNamed, place: { file: string; tree: string; branch: string }): BasketInfo[] {
  const { keyed, keyedEnd, embedded } = basketPlan(branch);
  const writeBasket = num(branch, 'fWriteBasket');
  const seeks = numArray(branch, 'fBasketSeek');
  const bytes = numArray(branch, 'fBasketBytes');
  const starts = numArray(branch, 'fBasketEntry');
  if (!Number.isSafeInteger(writeBasket) || writeBasket < 0 || writeBasket > Math.min(seeks.length, bytes.length, starts.length)) {
    throw new CorruptFileError(
      place,
      `fWriteBasket ${writeBasket} does not fit its basket tables (fBasketSeek ${seeks.length}, fBasketBytes ${bytes.length}, fBasketEntry ${starts.length} long)`,
    );
  }
  const out: BasketInfo[] = [];
  for (let i = 0; i < keyed; i++) {
    const s = Number(starts[i] ?? 0);
    const e = i + 1 < keyed ? Number(starts[i + 1] ?? s) : keyedEnd;
    out.push({ seek: Number(seeks[i] ?? 0), bytes: Number(bytes[i] ?? 0), entryStart: s, entries: e - s });
  }
  let at = keyedEnd;
  embedded.forEach((b, i) => {
    const nev = num(b, 'fNevBuf');
    const keylen = num(b, 'fKeylen');
    const nbytes = num(b, 'fNbytes');
    const here = { ...place, record: `basket ${i} saved in the TBranch record (entries ${at}..${at + nev})` };
    if (nbytes > keylen) {
      // a saved basket has no key of its own; this one describes a key elsewhere
      throw new CorruptFileError(here, `it is the header of a basket written elsewhere (fNbytes ${nbytes} > fKeylen ${keylen}), and no basket key holds these entries`);
    }
    const ref = b['fBufferRef'] as { arr?: DataView } | undefined;
    const dv = ref?.arr;
    const border = num(b, 'fLast') - keylen;
    // jsroot leaves out the buffer when it holds no bytes (every entry empty)
    const have = dv ? dv.byteLength : 0;
    if (border < 0 || border > have) {
      throw new CorruptFileError(here, `fLast-fKeylen=${border} outside its ${have}-byte buffer`);
    }
    const data = dv ? new Uint8Array(dv.buffer, dv.byteOffset, border).slice() : new Uint8Array(0);
    let offsets: Int32Array | null = null;
    const eo = b['fEntryOffset'];
    if (eo && typeof eo === 'object' && 'length' in eo && (eo as ArrayLike<number>).length >= nev) {
      const raw = eo as ArrayLike<number>;
      offsets = new Int32Array(nev + 1);
      for (let k = 0; k < nev; k++) offsets[k] = Number(raw[k]) - keylen;
      offsets[nev] = border;
    }
    out.push({ seek: 0, bytes: 0, entryStart: at, entries: nev, inMemory: { data, offsets } });
    at += nev;
  });
  return out;
}

/** Builds the tree's branch table. */
export function describeTree(file: JsrootFile, filePath: string, tree: JsrootNamed, cycle: number, name?: string): TreeInfo {
  /** A tree in a subdirectory is named by its path, "dir/tree". */
  const treeName = name ?? tree.fName ?? '';
  const entries = num(tree, 'fEntries');
  if (!Number.isSafeInteger(entries) || entries < 0) {
    throw new CorruptFileError({ file: filePath, tree: treeName }, `fEntries ${entries} is not a number of entries`);
  }
  const leafToBranch = new Map<string, string>();
  const all: { b: JsrootNamed; path: string; top: boolean }[] = [];
  const walk = (brs: JsrootNamed[], prefix: string, top: boolean) => {
    for (const b of brs) {
      const name = b.fName ?? '';
      const path = prefix ? `${prefix}/${name}` : name;
      all.push({ b, path, top });
      for (const l of list(b, 'fLeaves')) if (l.fName && !leafToBranch.has(l.fName)) leafToBranch.set(l.fName, name);
      walk(list(b, 'fBranches'), path, false);
    }
  };
  walk(list(tree, 'fBranches'), '', true);

  const branches = new Map<string, BranchInfo>();
  const branchList: BranchInfo[] = [];
  for (const { b, path, top } of all) {
    const name = b.fName ?? '';
    const place = { file: filePath, tree: treeName, branch: name };
    const subs = list(b, 'fBranches');
    let d: Decided;
    if (subs.length > 0) {
      d = unsupported(`split object '${str(b, 'fClassName') || name}': read its sub-branches`, str(b, 'fClassName') || 'split');
    } else if (b._typename === 'TBranchElement') {
      d = decideElementBranch(file, b, leafToBranch, top);
    } else if (b._typename === 'TBranch') {
      d = decideLeafBranch(b, leafToBranch);
    } else {
      d = unsupported(`branch class ${b._typename}`, b._typename);
    }
    if (d.layout !== null) d = checkFilled(d, b, entries);
    // Baskets are listed when first asked for: a task reads a few of a tree's branches,
    // and LZ trees have hundreds.
    let baskets: BasketInfo[] | undefined;
    const info: BranchInfo = {
      name,
      path,
      className: b._typename,
      title: b.fTitle ?? '',
      type: d.type,
      layout: d.layout,
      rootType: d.rootType,
      entries: num(b, 'fEntries'),
      get baskets() {
        return (baskets ??= basketsOf(b, place));
      },
      compress: num(b, 'fCompress', -1),
      entryOffsetLen: num(b, 'fEntryOffsetLen'),
      subBranches: subs.map((s) => s.fName ?? ''),
    };
    branchList.push(info);
    if (!branches.has(name)) branches.set(name, info);
    if (!branches.has(path)) branches.set(path, info);
  }
  return {
    name: treeName,
    title: tree.fTitle ?? '',
    cycle,
    entries,
    branches,
    branchList,
    clusterBoundaries: clusterBoundaries(tree, entries, branchList, { file: filePath, tree: treeName }, file.fEND),
    autoFlush: num(tree, 'fAutoFlush'),
  };
}

/**
 * A branch whose entries the tree does not hold is refused, whatever its type:
 * - never filled (no basket, while the tree has entries): ROOT would give default values;
 * - filled (TBranch::Fill) in a tree that says it has 0 entries (TTree::SetEntries never
 *   called): read as the tree's 0 entries, its data would vanish without a word, and
 *   a count of 0 events would be reported (and cached) for a file that holds some.
 */
function checkFilled(d: Decided, b: JsrootNamed, treeEntries: number): Decided {
  const branchEntries = num(b, 'fEntries');
  if (treeEntries > 0 && basketCount(b) === 0) {
    return unsupported(`never filled: 0 baskets for ${treeEntries} entries`, d.rootType);
  }
  if (treeEntries === 0 && branchEntries > 0) {
    return unsupported(
      `the tree has 0 entries but this branch holds ${branchEntries} (filled with TBranch::Fill, TTree::SetEntries never called?); read as 0 entries it would lose them`,
      d.rootType,
    );
  }
  return d;
}

/**
 * Cluster starts from fClusterRangeEnd/fClusterSize and fAutoFlush (as
 * TTree::GetClusterIterator does). When the tree has no entry-based cluster
 * size (fAutoFlush <= 0: flushed by bytes), the entries where every readable
 * branch starts a basket are used: splitting there never cuts a basket.
 */
function clusterBoundaries(tree: JsrootNamed, entries: number, branches: readonly BranchInfo[], place: ErrorPlace, fileBytes: number): number[] {
  if (entries <= 0) return [0];
  const out: number[] = [0];
  const nRanges = Math.min(num(tree, 'fNClusterRange'), numArray(tree, 'fClusterRangeEnd').length);
  const ends = numArray(tree, 'fClusterRangeEnd');
  const sizes = numArray(tree, 'fClusterSize');
  const autoFlush = num(tree, 'fAutoFlush');
  // Every cluster starts a basket of every branch: a file has room for only so many.
  const maxClusters = Math.ceil(fileBytes / MIN_BASKET_BYTES) + nRanges + 2;
  let start = 0;
  const push = (x: number) => {
    if (x > out[out.length - 1]! && x < entries) out.push(x);
    if (out.length > maxClusters) {
      throw new CorruptFileError(place, `its cluster sizes (fAutoFlush ${autoFlush}, ${nRanges} cluster ranges) make more clusters than its ${fileBytes}-byte file has room for`);
    }
  };
  for (let r = 0; r < nRanges; r++) {
    const last = Math.min(Number(ends[r] ?? -1), entries - 1); // inclusive
    let size = Number(sizes[r] ?? 0);
    if (!(size > 0)) size = autoFlush > 0 ? autoFlush : last + 1 - start;
    if (!(size > 0)) continue;
    for (let e = start + size; e <= last; e += size) push(e);
    start = Math.max(start, last + 1);
    push(start);
  }
  if (autoFlush > 0) {
    for (let e = start + autoFlush; e < entries; e += autoFlush) push(e);
  } else if (start < entries) {
    let common: Set<number> | null = null;
    for (const b of branches) {
      if (b.layout === null) continue;
      let baskets: readonly BasketInfo[];
      try {
        baskets = b.baskets;
      } catch {
        continue; // a branch whose baskets cannot be listed fails when it is read, not the tree
      }
      if (baskets.length === 0) continue;
      const starts = new Set(baskets.map((k) => k.entryStart).filter((s) => s > start));
      if (common === null) common = starts;
      else for (const s of common) if (!starts.has(s)) common.delete(s);
    }
    if (common) [...common].sort((a, b) => a - b).forEach(push);
  }
  out.push(entries);
  return out;
}
