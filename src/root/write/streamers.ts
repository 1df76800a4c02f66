// TStreamerInfo records: descriptions of every class whose objects the file holds,
// for ROOT's own classes (standard-streamers.ts) and for the user classes of split
// branches, generated from their MemberSpecs.

import { ByteWriter } from './buffer.js';
import { ObjectBuffer, writeTNamed, writeTObject } from './objects.js';
import type { ColumnType, NumericType } from './types.js';

export type ElementKind =
  | 'base'
  | 'basic'
  | 'basicPointer'
  | 'object'
  | 'objectPointer'
  | 'objectAny'
  | 'string'
  | 'stl'
  | 'stlString';

export interface ElementDef {
  readonly kind: ElementKind;
  readonly name: string;
  readonly title: string;
  /** TVirtualStreamerInfo type code (kFloat=5, kSTL=500, kBase=0, kTObject=66, ...). */
  readonly type: number;
  readonly size: number;
  readonly typeName: string;
  readonly baseVersion?: number;
  /** ROOT keeps a base class's checksum in fMaxIndex[1]. */
  readonly baseChecksum?: number;
  readonly countVersion?: number;
  readonly countName?: string;
  readonly countClass?: string;
  readonly stlType?: number;
  readonly ctype?: number;
}

export interface ClassDef {
  readonly name: string;
  readonly version: number;
  readonly checksum: number;
  readonly elements: readonly ElementDef[];
}

/** The C++ facts about each NumericType that streamers and leaves need. */
export interface NumericInfo {
  /** TVirtualStreamerInfo basic type code. */
  readonly code: number;
  readonly size: number;
  /** Type name in a streamer element. */
  readonly cpp: string;
  /** ROOT typedef, as used in the title of an STL class's streamer. */
  readonly rootTypedef: string;
  /** Leaf type letter in a TBranch title (`x/F`). */
  readonly letter: string;
  /** TLeaf subclass for a flat branch. */
  readonly leafClass: string;
  readonly unsigned: boolean;
}

export const NUMERIC: Readonly<Record<NumericType, NumericInfo>> = {
  bool: { code: 18, size: 1, cpp: 'bool', rootTypedef: 'Bool_t', letter: 'O', leafClass: 'TLeafO', unsigned: false },
  int8: { code: 1, size: 1, cpp: 'char', rootTypedef: 'Char_t', letter: 'B', leafClass: 'TLeafB', unsigned: false },
  uint8: { code: 11, size: 1, cpp: 'unsigned char', rootTypedef: 'UChar_t', letter: 'b', leafClass: 'TLeafB', unsigned: true },
  int16: { code: 2, size: 2, cpp: 'short', rootTypedef: 'Short_t', letter: 'S', leafClass: 'TLeafS', unsigned: false },
  uint16: { code: 12, size: 2, cpp: 'unsigned short', rootTypedef: 'UShort_t', letter: 's', leafClass: 'TLeafS', unsigned: true },
  int32: { code: 3, size: 4, cpp: 'int', rootTypedef: 'Int_t', letter: 'I', leafClass: 'TLeafI', unsigned: false },
  uint32: { code: 13, size: 4, cpp: 'unsigned int', rootTypedef: 'UInt_t', letter: 'i', leafClass: 'TLeafI', unsigned: true },
  int64: { code: 16, size: 8, cpp: 'Long64_t', rootTypedef: 'Long64_t', letter: 'L', leafClass: 'TLeafL', unsigned: false },
  uint64: { code: 17, size: 8, cpp: 'ULong64_t', rootTypedef: 'ULong64_t', letter: 'l', leafClass: 'TLeafL', unsigned: true },
  float32: { code: 5, size: 4, cpp: 'float', rootTypedef: 'Float_t', letter: 'F', leafClass: 'TLeafF', unsigned: false },
  float64: { code: 8, size: 8, cpp: 'double', rootTypedef: 'Double_t', letter: 'D', leafClass: 'TLeafD', unsigned: false },
};

/** TVirtualStreamerInfo codes used by branches and leaves. */
export const kSTL = 300;
export const kSTLstring = 365;
export const kStreamer = 500;
export const kTObject = 66;
export const kUInt = 13;
export const kBits = 15;
export const kSTLvector = 1;
/** ctype of std::string inside an STL container (kObject). */
export const kObjectCtype = 61;

/** C++ class name of a vector column, spelled as ROOT normalises it. */
export function vectorClassName(t: ColumnType): string {
  if (t.kind === 'vector') return `vector<${NUMERIC[t.type].cpp}>`;
  if (t.kind === 'vectorString') return 'vector<string>';
  throw new Error(`not a vector type: ${t.kind}`);
}

/** TStreamerInfo::GetCheckSum's hash (id = id*3 + c over names, base checksums, member types), for the element kinds written here. */
export function classChecksum(name: string, elements: readonly ElementDef[]): number {
  let id = 0;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) id = (Math.imul(id, 3) + s.charCodeAt(i)) >>> 0;
  };
  mix(name);
  for (const el of elements) {
    if (el.kind !== 'base') continue;
    mix(el.name);
    id = (Math.imul(id, 3) + (el.baseChecksum ?? 0)) >>> 0;
  }
  for (const el of elements) {
    if (el.kind === 'base') continue;
    mix(el.name);
    mix(el.typeName);
  }
  return id;
}

const TOBJECT_CHECKSUM = 2417737773;

/** The streamer element describing one member of a user class. */
export function memberElement(name: string, type: ColumnType, title = ''): ElementDef {
  switch (type.kind) {
    case 'scalar': {
      const n = NUMERIC[type.type];
      return { kind: 'basic', name, title, type: n.code, size: n.size, typeName: n.cpp };
    }
    case 'string':
      return { kind: 'stlString', name, title, type: kStreamer, size: 32, typeName: 'string', stlType: kSTLstring, ctype: kSTLstring };
    case 'vector':
      return { kind: 'stl', name, title, type: kStreamer, size: 24, typeName: vectorClassName(type), stlType: kSTLvector, ctype: NUMERIC[type.type].code };
    case 'vectorString':
      return { kind: 'stl', name, title, type: kStreamer, size: 24, typeName: 'vector<string>', stlType: kSTLvector, ctype: kObjectCtype };
  }
}

/** A TObject-derived user class: TObject base first, then the members in order (element index = fID). */
export function userClass(name: string, version: number, members: readonly { name: string; type: ColumnType; title?: string }[]): ClassDef {
  const elements: ElementDef[] = [
    { kind: 'base', name: 'TObject', title: 'Basic ROOT object', type: kTObject, size: 0, typeName: 'BASE', baseVersion: 1, baseChecksum: TOBJECT_CHECKSUM },
    ...members.map((m) => memberElement(m.name, m.type, m.title ?? '')),
  ];
  return { name, version, checksum: classChecksum(name, elements), elements };
}

/** The pseudo-class ROOT writes for an STL container type such as `vector<int>`. */
export function vectorClass(type: ColumnType): ClassDef {
  const name = vectorClassName(type);
  const inner = type.kind === 'vector' ? NUMERIC[type.type].rootTypedef : 'string';
  const ctype = type.kind === 'vector' ? NUMERIC[type.type].code : kObjectCtype;
  const elements: ElementDef[] = [
    { kind: 'stl', name: 'This', title: `<${inner}> Used to call the proper TStreamerInfo case`, type: kStreamer, size: 0, typeName: name, stlType: kSTLvector, ctype },
  ];
  // An STL collection's checksum covers its name only (no members to hash).
  return { name, version: 6, checksum: classChecksum(name, []), elements };
}

const ELEMENT_RECORD: Readonly<Record<ElementKind, { cls: string; version: number }>> = {
  base: { cls: 'TStreamerBase', version: 3 },
  basic: { cls: 'TStreamerBasicType', version: 2 },
  basicPointer: { cls: 'TStreamerBasicPointer', version: 2 },
  object: { cls: 'TStreamerObject', version: 2 },
  objectPointer: { cls: 'TStreamerObjectPointer', version: 2 },
  objectAny: { cls: 'TStreamerObjectAny', version: 2 },
  string: { cls: 'TStreamerString', version: 2 },
  stl: { cls: 'TStreamerSTL', version: 3 },
  stlString: { cls: 'TStreamerSTLstring', version: 2 },
};

// fBits as ROOT leaves them on streamed dictionary objects.
const BITS_INFO = 0x03010000;
const BITS_ELEMENT = 0x03000000;
const BITS_LIST = 0x02000000;

function writeElementBody(w: ByteWriter, el: ElementDef): void {
  const at = w.beginVersioned(4); // TStreamerElement v4
  writeTNamed(w, el.name, el.title, BITS_ELEMENT);
  w.i32(el.type);
  w.i32(el.size);
  w.i32(0); // fArrayLength
  w.i32(0); // fArrayDim
  w.i32(0); // fMaxIndex[0..4]
  w.u32(el.baseChecksum ?? 0);
  w.i32(0);
  w.i32(0);
  w.i32(0);
  w.tstring(el.typeName);
  w.endCounted(at);
}

function writeElement(ob: ObjectBuffer, el: ElementDef): void {
  const rec = ELEMENT_RECORD[el.kind];
  const w = ob.w;
  const objAt = ob.beginObject(rec.cls);
  if (el.kind === 'stlString') {
    // TStreamerSTLstring v2 wraps a whole TStreamerSTL v3 record.
    const outer = w.beginVersioned(2);
    const inner = w.beginVersioned(3);
    writeElementBody(w, el);
    w.i32(el.stlType ?? kSTLstring);
    w.i32(el.ctype ?? kSTLstring);
    w.endCounted(inner);
    w.endCounted(outer);
  } else {
    const at = w.beginVersioned(rec.version);
    writeElementBody(w, el);
    if (el.kind === 'base') w.i32(el.baseVersion ?? 0);
    if (el.kind === 'basicPointer') {
      w.i32(el.countVersion ?? 0);
      w.tstring(el.countName ?? '');
      w.tstring(el.countClass ?? '');
    }
    if (el.kind === 'stl') {
      w.i32(el.stlType ?? 0);
      w.i32(el.ctype ?? 0);
    }
    w.endCounted(at);
  }
  w.endCounted(objAt);
}

function writeStreamerInfo(ob: ObjectBuffer, cls: ClassDef): void {
  const w = ob.w;
  const objAt = ob.beginObject('TStreamerInfo');
  const at = w.beginVersioned(9);
  writeTNamed(w, cls.name, '', BITS_INFO);
  w.u32(cls.checksum);
  w.i32(cls.version);
  const arrAt = ob.beginObject('TObjArray');
  const arr = w.beginVersioned(3);
  writeTObject(w, BITS_LIST);
  w.tstring('');
  w.i32(cls.elements.length);
  w.i32(0); // fLowerBound
  for (const el of cls.elements) writeElement(ob, el);
  w.endCounted(arr);
  w.endCounted(arrAt);
  w.endCounted(at);
  w.endCounted(objAt);
}

/**
 * The uncompressed body of the "StreamerInfo" key: a TList of TStreamerInfo.
 * `keylen` is the length of the key header that precedes it, since ROOT's class
 * references are offsets from the start of the key.
 */
export function serializeStreamerList(classes: readonly ClassDef[], keylen: number): Uint8Array {
  const ob = new ObjectBuffer(keylen, 16 * 1024);
  const w = ob.w;
  const at = w.beginVersioned(5); // TList v5
  writeTObject(w, BITS_LIST);
  w.tstring('');
  w.i32(classes.length);
  for (const cls of classes) {
    writeStreamerInfo(ob, cls);
    w.u8(0); // empty option string
  }
  w.endCounted(at);
  return w.toUint8Array();
}
