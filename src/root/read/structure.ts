// The file's own structure, read and checked before any of it is trusted: the
// file header, the directories and their keys lists, the streamer-info key.
// Every size, count and offset is checked against the record it lies in and the
// file's size before it is used, so a damaged or truncated file fails here with
// a message that names the record, instead of misleading jsroot or us later.
// Layout as in ROOT's TFile::Init / TDirectoryFile::ReadKeys / TKey::ReadKeyBuffer
// (and uproot5's reading.py).

import type { ByteSource } from './source.js';
import { CorruptFileError, printable, RootReadError, TruncatedFileError, type ErrorPlace } from './errors.js';

/** ROOT's TBufferFile limit: no object, and so no key, is larger. */
export const MAX_OBJECT_BYTES = 0x3fffffff;

export interface FileHeader {
  readonly version: number;
  readonly begin: number;
  readonly end: number;
  readonly nbytesName: number;
  readonly units: number;
  readonly compress: number;
  readonly seekInfo: number;
  readonly nbytesInfo: number;
}

export interface KeyHeader {
  readonly nbytes: number;
  readonly version: number;
  readonly objlen: number;
  readonly keylen: number;
  readonly cycle: number;
  readonly seekKey: number;
  readonly seekPdir: number;
  readonly className: string;
  readonly name: string;
  readonly title: string;
  /** Bytes the header's fields take (fKeylen may count more: a TBasket's own members). */
  readonly headerBytes: number;
}

/** A key of some directory, with its path from the top directory ("dir/sub/name"). */
export interface ObjectKey extends KeyHeader {
  readonly path: string;
}

export interface FileStructure {
  readonly header: FileHeader;
  /** Every key of every directory (directories' own keys included), in file order per directory. */
  readonly keys: readonly ObjectKey[];
  /** The streamer-info key, or null when the file has none (fSeekInfo 0). */
  readonly streamerKey: KeyHeader | null;
}

/** Classes whose objects are directories of keys. */
const DIRECTORY_CLASSES = new Set(['TDirectory', 'TDirectoryFile']);
/** Deeper nesting than this is taken as damage (a directory pointing at an ancestor). */
const MAX_DIRECTORY_DEPTH = 64;
/** Fixed part of a key header with 32-bit seeks: nbytes, version, objlen, datime, keylen, cycle, 2 seeks. */
const KEY_FIXED_BYTES = 26;
/** A class name as ROOT writes them (templates, namespaces, pointers); some writers leave a keys list's own key without one. */
const CLASS_NAME = /^([A-Za-z_][A-Za-z0-9_:<>,* ]*)?$/;

/** Bounds-checked big-endian reads over one record; errors name the record and the byte. */
export class RecordCursor {
  at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    /** File offset of bytes[0], for messages. */
    private readonly fileOffset: number,
    private readonly place: ErrorPlace,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  private need(n: number, what: string): DataView {
    if (this.at + n > this.bytes.length) {
      throw new CorruptFileError(
        this.place,
        `${what} at byte ${this.fileOffset + this.at} runs past the end of the record (${this.bytes.length} bytes from byte ${this.fileOffset})`,
      );
    }
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, n);
    this.at += n;
    return view;
  }

  u8(what: string): number {
    return this.need(1, what).getUint8(0);
  }
  i16(what: string): number {
    return this.need(2, what).getInt16(0);
  }
  i32(what: string): number {
    return this.need(4, what).getInt32(0);
  }
  u32(what: string): number {
    return this.need(4, what).getUint32(0);
  }
  /** A 64-bit seek or size: must be a non-negative safe integer. */
  i64(what: string): number {
    const v = this.need(8, what).getBigInt64(0);
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CorruptFileError(this.place, `${what} is ${v}, not a position in a file`);
    }
    return Number(v);
  }
  /** A TString: one length byte (255: then a 4-byte length), then the bytes. */
  tstring(what: string): string {
    let n = this.u8(`length of ${what}`);
    if (n === 255) n = this.u32(`long length of ${what}`);
    const view = this.need(n, `${what} (${n} bytes)`);
    return new TextDecoder('latin1').decode(view);
  }
  skip(n: number, what: string): void {
    this.need(n, what);
  }
}

/** Reads and checks the header, every directory and keys list, and the streamer-info key. */
export function readFileStructure(source: ByteSource): FileStructure {
  const file = source.path;
  const header = readHeader(source);
  const keys: ObjectKey[] = [];
  const reader = new StructureReader(source, header);
  reader.fileKey();
  const top = reader.directoryAt(header.begin + header.nbytesName, { file, record: `top directory (at byte ${header.begin + header.nbytesName})` });
  reader.readKeysList(top, '', 0, keys);
  return { header, keys, streamerKey: reader.streamerKey() };
}

function readHeader(source: ByteSource): FileHeader {
  const file = source.path;
  const place = { file, record: 'file header' };
  const size = source.size;
  if (size < 4) throw new RootReadError(place, `not a ROOT file: it has ${size} bytes`);
  const magic = source.read(0, 4);
  if (magic[0] !== 0x72 || magic[1] !== 0x6f || magic[2] !== 0x6f || magic[3] !== 0x74) {
    const hex = [...magic].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new RootReadError(place, `not a ROOT file: it starts with ${hex}, a ROOT file with 'root' (72 6f 6f 74)`);
  }
  // The big form is the longest: 4 + 4 + 4 + 8 + 8 + 4 + 4 + 4 + 1 + 4 + 8 + 4 bytes.
  const want = Math.min(size, 57);
  const c = new RecordCursor(source.read(0, want), 0, place);
  c.skip(4, 'magic');
  const version = c.i32('fVersion');
  const big = version >= 1000000;
  if (size < (big ? 57 : 45)) {
    throw new TruncatedFileError({ file }, size, big ? 57 : 45, 'too short for its own header');
  }
  const begin = c.i32('fBEGIN');
  const end = big ? c.i64('fEND') : c.u32('fEND');
  if (big) c.i64('fSeekFree');
  else c.u32('fSeekFree');
  c.i32('fNbytesFree');
  c.i32('nfree');
  const nbytesName = c.i32('fNbytesName');
  const units = c.u8('fUnits');
  const compress = c.i32('fCompress');
  const seekInfo = big ? c.i64('fSeekInfo') : c.u32('fSeekInfo');
  const nbytesInfo = c.i32('fNbytesInfo');

  if (version <= 0) throw new CorruptFileError(place, `fVersion is ${version}, expected a ROOT version`);
  if (end > size) throw new TruncatedFileError({ file }, size, end);
  if (begin < (big ? 57 : 45) || begin >= end) {
    throw new CorruptFileError(place, `fBEGIN is ${begin}: the top directory cannot start there in a file of ${end} bytes`);
  }
  if (units !== 4 && units !== 8) throw new CorruptFileError(place, `fUnits is ${units}, expected 4 or 8`);
  if (nbytesName <= 0 || begin + nbytesName >= end) {
    throw new CorruptFileError(place, `fNbytesName is ${nbytesName}: the top directory's record would lie outside the file's ${end} bytes`);
  }
  if (seekInfo !== 0 || nbytesInfo !== 0) {
    if (seekInfo < begin || nbytesInfo <= 0 || seekInfo + nbytesInfo > end) {
      throw new CorruptFileError(
        place,
        `the streamer infos (fSeekInfo ${seekInfo}, fNbytesInfo ${nbytesInfo}) lie outside the file's ${end} bytes`,
      );
    }
  }
  return { version, begin, end, nbytesName, units, compress, seekInfo, nbytesInfo };
}

interface DirectoryRecord {
  readonly seekKeys: number;
  readonly nbytesKeys: number;
  readonly place: ErrorPlace;
}

class StructureReader {
  private readonly file: string;
  private readonly visited = new Set<number>();

  constructor(
    private readonly source: ByteSource,
    private readonly header: FileHeader,
  ) {
    this.file = source.path;
  }

  /** `length` bytes at `position`, or an error saying which record would lie outside the file. */
  bytes(position: number, length: number, place: ErrorPlace, what: string): Uint8Array {
    if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0) {
      throw new CorruptFileError(place, `${what}: ${length} bytes at byte ${position} is not a place in a file`);
    }
    if (position + length > this.source.size) {
      throw new CorruptFileError(
        place,
        `${what} (${length} bytes at byte ${position}) ends past the end of the file (${this.source.size} bytes)`,
      );
    }
    return this.source.read(position, length);
  }

  /** The TFile's own key at fBEGIN, which names the file (parsed for its sizes only). */
  fileKey(): void {
    const { begin, nbytesName } = this.header;
    const place = { file: this.file, record: `top directory's key (at byte ${begin})` };
    const c = new RecordCursor(this.bytes(begin, nbytesName, place, 'the key'), begin, place);
    this.keyHeader(c, place, '');
  }

  /** A TDirectory record (as streamed after a directory's key, or after the TFile's key and name). */
  directoryAt(position: number, place: ErrorPlace): DirectoryRecord {
    const available = Math.min(this.source.size - position, 2 + 4 + 4 + 4 + 4 + 8 + 8 + 8);
    const c = new RecordCursor(this.bytes(position, Math.max(0, available), place, 'the directory record'), position, place);
    const version = c.i16('directory fVersion');
    const big = version > 1000;
    c.u32('fDatimeC');
    c.u32('fDatimeM');
    const nbytesKeys = c.i32('fNbytesKeys');
    c.i32('fNbytesName');
    if (big) {
      c.i64('fSeekDir');
      c.i64('fSeekParent');
    } else {
      c.i32('fSeekDir');
      c.i32('fSeekParent');
    }
    const seekKeys = big ? c.i64('fSeekKeys') : c.i32('fSeekKeys');
    return { seekKeys, nbytesKeys, place };
  }

  /** Reads a directory's keys list; subdirectories are read too (their keys get "dir/" paths). */
  readKeysList(dir: DirectoryRecord, prefix: string, depth: number, out: ObjectKey[]): void {
    const { seekKeys, nbytesKeys } = dir;
    if (seekKeys === 0 && nbytesKeys === 0 && prefix !== '') return; // an empty subdirectory
    const place = { file: this.file, record: `keys list of ${prefix === '' ? 'the top directory' : `directory '${printable(prefix.slice(0, -1))}'`} (at byte ${seekKeys})` };
    if (seekKeys <= 0) {
      throw new CorruptFileError(dir.place, `fSeekKeys is ${seekKeys}: the directory has no keys list (the file was not closed properly?)`);
    }
    if (nbytesKeys <= 0) throw new CorruptFileError(dir.place, `fNbytesKeys is ${nbytesKeys}, expected the keys list's size`);
    if (this.visited.has(seekKeys) || depth > MAX_DIRECTORY_DEPTH) {
      throw new CorruptFileError(place, 'the directories loop back on themselves');
    }
    this.visited.add(seekKeys);
    const c = new RecordCursor(this.bytes(seekKeys, nbytesKeys, place, 'the keys list'), seekKeys, place);
    const own = this.keyHeader(c, place, 'the keys list\'s own key');
    c.at = own.keylen;
    const nkeys = c.i32('number of keys');
    if (nkeys < 0 || nkeys * KEY_FIXED_BYTES > c.length - c.at) {
      throw new CorruptFileError(place, `it says it holds ${nkeys} keys, which do not fit in its ${nbytesKeys} bytes`);
    }
    for (let i = 0; i < nkeys; i++) {
      const what = `key #${i + 1} of ${nkeys}`;
      const start = c.at;
      const k = this.keyHeader(c, place, what);
      c.at = start + k.headerBytes;
      const keyPlace = { file: this.file, record: `${what} ('${printable(prefix + k.name)};${k.cycle}', ${printable(k.className)}) in the ${place.record}` };
      this.checkObjectKey(k, keyPlace);
      const key = { ...k, path: prefix + k.name };
      out.push(key);
      if (DIRECTORY_CLASSES.has(k.className)) this.readSubdirectory(key, depth, out);
    }
  }

  private readSubdirectory(key: ObjectKey, depth: number, out: ObjectKey[]): void {
    const place = { file: this.file, record: `directory '${printable(key.path)}' (key at byte ${key.seekKey})` };
    this.checkKeyAtSeek(key, place);
    if (key.objlen !== key.nbytes - key.keylen) {
      throw new CorruptFileError(place, `its record is ${key.objlen} bytes uncompressed but ${key.nbytes - key.keylen} on disk; directory records are never compressed`);
    }
    const dir = this.directoryAt(key.seekKey + key.keylen, place);
    this.readKeysList(dir, `${key.path}/`, depth + 1, out);
  }

  /** The streamer-info key at fSeekInfo, checked against the header's fNbytesInfo. */
  streamerKey(): KeyHeader | null {
    const { seekInfo, nbytesInfo } = this.header;
    if (seekInfo === 0) return null;
    const place = { file: this.file, record: `streamer-info key (at byte ${seekInfo})` };
    const c = new RecordCursor(this.bytes(seekInfo, nbytesInfo, place, 'the streamer infos'), seekInfo, place);
    const k = this.keyHeader(c, place, '');
    this.checkObjectKey(k, place);
    if (k.nbytes !== nbytesInfo || k.seekKey !== seekInfo) {
      throw new CorruptFileError(
        place,
        `its key says ${k.nbytes} bytes at byte ${k.seekKey}, the file header says ${nbytesInfo} bytes at byte ${seekInfo}`,
      );
    }
    return k;
  }

  /**
   * The key of an object as written at its own position must be the one the keys list
   * holds: ROOT writes the same header in both places. A mismatch is damage in one of them.
   */
  checkKeyAtSeek(k: KeyHeader, place: ErrorPlace): void {
    const c = new RecordCursor(this.bytes(k.seekKey, k.keylen, place, 'its key'), k.seekKey, place);
    const there = this.keyHeader(c, place, 'its key');
    const fields: (keyof KeyHeader)[] = ['nbytes', 'objlen', 'keylen', 'cycle', 'seekKey', 'className', 'name'];
    for (const f of fields) {
      // ROOT 5 wrote a TDirectoryFile's own key as "TDirectory"
      if (f === 'className' && DIRECTORY_CLASSES.has(there.className) && DIRECTORY_CLASSES.has(k.className)) continue;
      if (there[f] !== k[f]) {
        throw new CorruptFileError(
          place,
          `its key at byte ${k.seekKey} says ${f} ${printable(String(there[f]))}, the keys list says ${printable(String(k[f]))}`,
        );
      }
    }
  }

  /** Parses a key header at the cursor and checks the sizes it gives; `what` names it within the record ('' for the record's own key). */
  keyHeader(c: RecordCursor, place: ErrorPlace, what: string): KeyHeader {
    const of = (field: string) => (what ? `${what}: ${field}` : field);
    const start = c.at;
    const nbytes = c.i32(of('fNbytes'));
    const version = c.i16(of('fVersion'));
    const objlen = c.i32(of('fObjlen'));
    c.u32(of('fDatime'));
    const keylen = c.i16(of('fKeylen'));
    const cycle = c.i16(of('fCycle'));
    const big = version > 1000;
    const seekKey = big ? c.i64(of('fSeekKey')) : c.i32(of('fSeekKey'));
    const seekPdir = big ? c.i64(of('fSeekPdir')) : c.i32(of('fSeekPdir'));
    const className = c.tstring(of('class name'));
    const name = c.tstring(of('name'));
    const title = c.tstring(of('title'));
    const headerBytes = c.at - start;
    if (!CLASS_NAME.test(className)) {
      throw new CorruptFileError(place, `${of(`its class name '${printable(className)}'`)} is not a class name`);
    }
    // fKeylen may be a little shorter than the header read here: ROOT 5 counted a
    // TDirectoryFile's key with the class name "TDirectory" it had when it was sized.
    if (keylen < KEY_FIXED_BYTES + 3 || nbytes < keylen) {
      throw new CorruptFileError(place, `${of(`fKeylen ${keylen} and fNbytes ${nbytes}`)} do not fit a key header (at least ${KEY_FIXED_BYTES + 3} bytes)`);
    }
    if (objlen < 0 || objlen > MAX_OBJECT_BYTES) {
      throw new CorruptFileError(place, `${of(`fObjlen ${objlen}`)} is not an object size (0 to ${MAX_OBJECT_BYTES} bytes)`);
    }
    return { nbytes, version, objlen, keylen, cycle, seekKey, seekPdir, className, name, title, headerBytes };
  }

  /** A key of a keys list must point at itself inside the file, after the header. */
  checkObjectKey(k: KeyHeader, place: ErrorPlace): void {
    if (k.seekKey < this.header.begin || k.seekKey + k.nbytes > this.source.size) {
      throw new CorruptFileError(
        place,
        `it says its object is ${k.nbytes} bytes at byte ${k.seekKey}, outside the file's ${this.source.size} bytes`,
      );
    }
    if (k.objlen === 0 && k.nbytes > k.keylen) {
      throw new CorruptFileError(place, `fObjlen is 0 but ${k.nbytes - k.keylen} bytes follow the key`);
    }
  }
}

/** The key's own header, as written at its seek, checked against the keys list (for the objects read). */
export function checkKeyAtItsSeek(source: ByteSource, header: FileHeader, key: KeyHeader, place: ErrorPlace): void {
  new StructureReader(source, header).checkKeyAtSeek(key, place);
}
