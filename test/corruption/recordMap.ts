// A map of every record of a ROOT file and of the fields inside it, parsed
// from the bytes alone (ROOT's TFile/TKey/TDirectory/TBasket layouts, as
// uproot5's reading.py and models/TBasket.py read them), so the corpus can
// aim a mutation at a named field. It shares no code with src/root/read: a
// mistake in the reader must not hide a mistake here.

/** The kinds of record the corpus aims at. */
export type RecordKind = 'header' | 'topdir' | 'keyslist' | 'streamer' | 'tree' | 'basket' | 'freesegments' | 'other';

/** One numeric field: where it is, how wide, and what it holds in the good file. */
export interface Field {
  /** `record.field`, e.g. `basket.key.fObjlen` (the kind of the mutation). */
  readonly name: string;
  readonly offset: number;
  /** 1, 2, 4 or 8 bytes, big-endian. */
  readonly width: 1 | 2 | 4 | 8;
  readonly value: number;
  /** Seeks and sizes: values pointing elsewhere in the file are interesting. */
  readonly role: 'seek' | 'size' | 'count' | 'version' | 'other';
}

/** A byte range of a record that is not a numeric field (strings, payloads). */
export interface Span {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

export interface KeyRecord {
  readonly kind: RecordKind;
  readonly seek: number;
  readonly nbytes: number;
  readonly keylen: number;
  readonly objlen: number;
  readonly className: string;
  readonly name: string;
  readonly title: string;
  /** The TKey header fields (and, for a basket, the TBasket fields after it). */
  readonly fields: Field[];
  /** Class, name and title strings of the key. */
  readonly strings: Span[];
  /** [seek + keylen, seek + nbytes): the (possibly compressed) object. */
  readonly payload: Span;
  /** The 9-byte block headers (and lz4 checksums) inside the payload. */
  readonly blocks: Field[];
  /** True when the payload is stored raw (fObjlen == fNbytes - fKeylen). */
  readonly raw: boolean;
  /** The first block's algorithm ("ZL", "L4", "ZS", ...), or "raw". */
  readonly algorithm: string;
}

export interface BasketRecord extends KeyRecord {
  readonly kind: 'basket';
  readonly fLast: number;
  readonly fNevBuf: number;
  /** Whether the basket carries an entry-offset table after its data, at fLast - fKeylen of the object. */
  readonly hasOffsets: boolean;
}

export interface RecordMap {
  readonly size: number;
  readonly bigHeader: boolean;
  readonly header: Field[];
  readonly fBEGIN: number;
  readonly fEND: number;
  readonly seekInfo: number;
  readonly seekFree: number;
  readonly seekKeys: number;
  /** Every key in the file, in file order (the walk from fBEGIN to fEND). */
  readonly records: KeyRecord[];
  readonly topdir: KeyRecord;
  /** TDirectory fields of the top directory (after its key and names). */
  readonly topdirFields: Field[];
  readonly keyslist: KeyRecord;
  /** The key headers inside the keys list (as fields), and their strings. */
  readonly keyslistEntries: { fields: Field[]; strings: Span[]; seekKey: number; className: string; name: string }[];
  readonly streamer: KeyRecord | null;
  readonly trees: KeyRecord[];
  readonly baskets: BasketRecord[];
  readonly freesegments: KeyRecord | null;
}

class Cursor {
  private readonly v: DataView;
  constructor(
    private readonly b: Uint8Array,
    public at: number,
  ) {
    this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  private need(n: number): void {
    if (this.at < 0 || this.at + n > this.b.length) throw new Error(`record map: read of ${n} bytes at ${this.at} past the end (${this.b.length})`);
  }
  field(name: string, width: 1 | 2 | 4 | 8, role: Field['role'], signed = true): Field {
    this.need(width);
    const o = this.at;
    let value: number;
    if (width === 1) value = this.v.getUint8(o);
    else if (width === 2) value = signed ? this.v.getInt16(o) : this.v.getUint16(o);
    else if (width === 4) value = signed ? this.v.getInt32(o) : this.v.getUint32(o);
    else value = Number(this.v.getBigInt64(o));
    this.at += width;
    return { name, offset: o, width, value, role };
  }
  tstring(name: string): { span: Span; text: string } {
    this.need(1);
    const start = this.at;
    let n = this.b[this.at++]!;
    if (n === 255) {
      this.need(4);
      n = this.v.getInt32(this.at);
      this.at += 4;
    }
    this.need(n);
    const text = Buffer.from(this.b.subarray(this.at, this.at + n)).toString('latin1');
    this.at += n;
    return { span: { name, offset: start, length: this.at - start }, text };
  }
}

export function parseKey(b: Uint8Array, seek: number, prefix: string, kind: RecordKind): KeyRecord {
  const c = new Cursor(b, seek);
  const fields: Field[] = [];
  const nb = c.field(`${prefix}.key.fNbytes`, 4, 'size');
  const ver = c.field(`${prefix}.key.fVersion`, 2, 'version');
  const objlen = c.field(`${prefix}.key.fObjlen`, 4, 'size');
  const datime = c.field(`${prefix}.key.fDatime`, 4, 'other', false);
  const keylen = c.field(`${prefix}.key.fKeylen`, 2, 'size');
  const cycle = c.field(`${prefix}.key.fCycle`, 2, 'count');
  const big = ver.value > 1000;
  const seekKey = c.field(`${prefix}.key.fSeekKey`, big ? 8 : 4, 'seek');
  const seekPdir = c.field(`${prefix}.key.fSeekPdir`, big ? 8 : 4, 'seek');
  fields.push(nb, ver, objlen, datime, keylen, cycle, seekKey, seekPdir);
  const cls = c.tstring(`${prefix}.key.fClassName`);
  const name = c.tstring(`${prefix}.key.fName`);
  const title = c.tstring(`${prefix}.key.fTitle`);
  const payloadStart = seek + keylen.value;
  const payload: Span = { name: `${prefix}.payload`, offset: payloadStart, length: nb.value - keylen.value };
  const raw = objlen.value === nb.value - keylen.value;
  const blocks: Field[] = [];
  let algorithm = 'raw';
  if (!raw) {
    let at = payloadStart;
    const end = seek + nb.value;
    let written = 0;
    while (at + 9 <= end && written < objlen.value) {
      const magic = String.fromCharCode(b[at]!, b[at + 1]!);
      if (blocks.length === 0) algorithm = magic;
      const csize = b[at + 3]! | (b[at + 4]! << 8) | (b[at + 5]! << 16);
      const usize = b[at + 6]! | (b[at + 7]! << 8) | (b[at + 8]! << 16);
      // The 3-byte little-endian sizes are mutated as bytes (the field list is big-endian).
      blocks.push({ name: `${prefix}.block.magic`, offset: at, width: 2, value: (b[at]! << 8) | b[at + 1]!, role: 'other' });
      blocks.push({ name: `${prefix}.block.method`, offset: at + 2, width: 1, value: b[at + 2]!, role: 'other' });
      blocks.push({ name: `${prefix}.block.csize`, offset: at + 3, width: 1, value: csize & 0xff, role: 'size' });
      blocks.push({ name: `${prefix}.block.csize.high`, offset: at + 5, width: 1, value: csize >>> 16, role: 'size' });
      blocks.push({ name: `${prefix}.block.usize`, offset: at + 6, width: 1, value: usize & 0xff, role: 'size' });
      blocks.push({ name: `${prefix}.block.usize.high`, offset: at + 8, width: 1, value: usize >>> 16, role: 'size' });
      if (magic === 'L4') blocks.push({ name: `${prefix}.block.lz4checksum`, offset: at + 9, width: 8, value: 0, role: 'other' });
      at += 9 + csize;
      written += usize;
    }
  }
  const rec: KeyRecord = {
    kind,
    seek,
    nbytes: nb.value,
    keylen: keylen.value,
    objlen: objlen.value,
    className: cls.text,
    name: name.text,
    title: title.text,
    fields,
    strings: [cls.span, name.span, title.span],
    payload,
    blocks,
    raw,
    algorithm,
  };
  if (kind !== 'basket') return rec;
  // TBasket members follow the key's strings, inside fKeylen.
  const bv = c.field('basket.header.fVersion', 2, 'version');
  const bufsize = c.field('basket.header.fBufferSize', 4, 'size');
  const nevbufsize = c.field('basket.header.fNevBufSize', 4, 'size');
  const nevbuf = c.field('basket.header.fNevBuf', 4, 'count');
  const last = c.field('basket.header.fLast', 4, 'size');
  const flag = c.field('basket.header.flag', 1, 'other');
  fields.push(bv, bufsize, nevbufsize, nevbuf, last, flag);
  const dataEnd = last.value - keylen.value;
  const hasOffsets = dataEnd >= 0 && dataEnd + 4 < objlen.value;
  const basket: BasketRecord = { ...rec, kind: 'basket', fLast: last.value, fNevBuf: nevbuf.value, hasOffsets };
  return basket;
}

function kindOf(cls: string, name: string, seek: number, m: { fBEGIN: number; seekInfo: number; seekFree: number; seekKeys: number }): RecordKind {
  if (seek === m.fBEGIN) return 'topdir';
  if (seek === m.seekKeys) return 'keyslist';
  if (seek === m.seekInfo) return 'streamer';
  if (seek === m.seekFree) return 'freesegments';
  if (cls === 'TBasket') return 'basket';
  if (cls === 'TTree' || cls === 'TNtuple') return 'tree';
  void name;
  return 'other';
}

/** Parses the header, walks every key from fBEGIN to fEND, and names each record. */
export function mapRecords(b: Uint8Array): RecordMap {
  if (Buffer.from(b.subarray(0, 4)).toString('latin1') !== 'root') throw new Error('record map: not a ROOT file');
  const c = new Cursor(b, 0);
  const header: Field[] = [];
  header.push({ name: 'header.magic', offset: 0, width: 4, value: 0x726f6f74, role: 'other' });
  c.at = 4;
  const version = c.field('header.fVersion', 4, 'version');
  const big = version.value >= 1000000;
  const fBEGIN = c.field('header.fBEGIN', 4, 'seek');
  const fEND = c.field('header.fEND', big ? 8 : 4, 'seek');
  const seekFree = c.field('header.fSeekFree', big ? 8 : 4, 'seek');
  const nbytesFree = c.field('header.fNbytesFree', 4, 'size');
  const nfree = c.field('header.nfree', 4, 'count');
  const nbytesName = c.field('header.fNbytesName', 4, 'size');
  const units = c.field('header.fUnits', 1, 'size');
  const compress = c.field('header.fCompress', 4, 'other');
  const seekInfo = c.field('header.fSeekInfo', big ? 8 : 4, 'seek');
  const nbytesInfo = c.field('header.fNbytesInfo', 4, 'size');
  const uuidVersion = c.field('header.fUUID.version', 2, 'version');
  const uuid = c.field('header.fUUID', 8, 'other');
  header.push(version, fBEGIN, fEND, seekFree, nbytesFree, nfree, nbytesName, units, compress, seekInfo, nbytesInfo, uuidVersion, uuid);

  // The top directory: TKey, then its name and title, then (at fBEGIN + fNbytesName) the TDirectory.
  const topdir = parseKey(b, fBEGIN.value, 'topdir', 'topdir');
  const d = new Cursor(b, fBEGIN.value + nbytesName.value);
  const dver = d.field('topdir.dir.fVersion', 2, 'version');
  const dbig = dver.value > 1000;
  const topdirFields: Field[] = [
    dver,
    d.field('topdir.dir.fDatimeC', 4, 'other', false),
    d.field('topdir.dir.fDatimeM', 4, 'other', false),
    d.field('topdir.dir.fNbytesKeys', 4, 'size'),
    d.field('topdir.dir.fNbytesName', 4, 'size'),
    d.field('topdir.dir.fSeekDir', dbig ? 8 : 4, 'seek'),
    d.field('topdir.dir.fSeekParent', dbig ? 8 : 4, 'seek'),
    d.field('topdir.dir.fSeekKeys', dbig ? 8 : 4, 'seek'),
    d.field('topdir.dir.fUUID.version', 2, 'version'),
  ];
  const seekKeys = topdirFields[7]!.value;
  const where = { fBEGIN: fBEGIN.value, seekInfo: seekInfo.value, seekFree: seekFree.value, seekKeys };

  const records: KeyRecord[] = [];
  let at = fBEGIN.value;
  while (at + 4 <= fEND.value && at + 4 <= b.length) {
    const n = new DataView(b.buffer, b.byteOffset + at, 4).getInt32(0);
    if (n < 0) {
      at += -n; // a gap (a freed record)
      continue;
    }
    if (n === 0) throw new Error(`record map: key of 0 bytes at ${at}`);
    const probe = parseKey(b, at, 'probe', 'other');
    const kind = kindOf(probe.className, probe.name, at, where);
    const prefix = kind === 'other' ? 'other' : kind;
    records.push(at === fBEGIN.value ? topdir : parseKey(b, at, prefix, kind));
    at += n;
  }
  const keyslist = records.find((r) => r.kind === 'keyslist');
  if (!keyslist) throw new Error('record map: no keys list');
  // The keys list: its key, an int32 count, then one key header per key.
  const kc = new Cursor(b, keyslist.seek + keyslist.keylen);
  const nkeys = kc.field('keyslist.nkeys', 4, 'count');
  keyslist.fields.push(nkeys);
  const keyslistEntries: RecordMap['keyslistEntries'] = [];
  for (let i = 0; i < nkeys.value; i++) {
    const e = parseKey(b, kc.at, 'keyslist.entry', 'other');
    keyslistEntries.push({ fields: e.fields, strings: e.strings, seekKey: e.fields[6]!.value, className: e.className, name: e.name });
    kc.at = e.strings[2]!.offset + e.strings[2]!.length;
  }
  return {
    size: b.length,
    bigHeader: big,
    header,
    fBEGIN: fBEGIN.value,
    fEND: fEND.value,
    seekInfo: seekInfo.value,
    seekFree: seekFree.value,
    seekKeys,
    records,
    topdir,
    topdirFields,
    keyslist,
    keyslistEntries,
    streamer: records.find((r) => r.kind === 'streamer') ?? null,
    trees: records.filter((r) => r.kind === 'tree'),
    baskets: records.filter((r): r is BasketRecord => r.kind === 'basket'),
    freesegments: records.find((r) => r.kind === 'freesegments') ?? null,
  };
}
