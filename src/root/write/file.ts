// RootFileWriter: the file-level layout. Header and top directory first (patched at
// close), then baskets streamed as clusters arrive and objects (histograms) as they
// are handed over, then at close the TTree keys, the StreamerInfo list, the keys list
// and the free-segments record.

import { closeSync, openSync, rmSync, writeSync, writevSync } from 'node:fs';
import { basename } from 'node:path';
import { ByteWriter, tstringSize } from './buffer.js';
import { compressionCode, compressPayload, validateCompression } from './compress.js';
import { RootWriteError, RootWriteStateError } from './errors.js';
import { serializeTree } from './meta.js';
import {
  DIRECTORY_RECORD_BYTES,
  datimeCode,
  isBigKey,
  kBEGIN,
  keyLength,
  serializeFileHeader,
  serializeFreeSegments,
  serializeKeysList,
  writeDirectoryRecord,
  writeKeyHeader,
  type KeyFields,
} from './records.js';
import { STANDARD_CLASSES } from './standard-streamers.js';
import { serializeStreamerList, type ClassDef } from './streamers.js';
import { TreeWriter, type BasketSink } from './tree.js';
import type { Compression, KeyedObject, TreeSpec, WriteOptions } from './types.js';

/** Test-only knobs; not part of the stable API. */
export interface WriterTestingOptions {
  /** Leaves a hole of this many bytes after the top directory (a sparse file), so seeks pass 2 GB cheaply. */
  readonly seekGap?: number;
}

/** TBasket's own header after the TKey fields: version, buffer size, nevbufsize, nevbuf, last, flag. */
const BASKET_HEADER_BYTES = 19;

const BASE_CLASSES = [
  'TObject',
  'TNamed',
  'TAttLine',
  'TAttFill',
  'TAttMarker',
  'ROOT::TIOFeatures',
  'TTree',
  'TLeaf',
  'TList',
  'TSeqCollection',
  'TCollection',
  'TString',
  'TObjArray',
  'TBranchRef',
  'TRefTable',
];

export class RootFileWriter implements BasketSink {
  readonly fileLabel: string;
  readonly compressCode: number;
  readonly basketSize: number;
  private fd: number | null;
  private end: number;
  private readonly trees: TreeWriter[] = [];
  /** Keys of the objects written by writeObject, and the streamers their classes need. */
  private readonly objectKeys: KeyFields[] = [];
  private readonly objectClasses: ClassDef[] = [];
  private readonly datime: number;
  private readonly fileName: string;
  private readonly title: string;
  private readonly compression: Compression;
  private readonly uuid: Uint8Array;
  private readonly header = new ByteWriter(256);

  private constructor(
    private readonly path: string,
    fd: number,
    options: WriteOptions,
    testing: WriterTestingOptions,
  ) {
    this.fd = fd;
    this.fileLabel = path;
    this.compression = options.compression;
    this.compressCode = compressionCode(options.compression);
    this.basketSize = options.basketSize;
    this.datime = datimeCode(options.datime);
    this.uuid = options.uuid;
    this.fileName = options.fileName ?? basename(path);
    this.title = options.title ?? '';
    this.end = kBEGIN + this.topDirectoryKeyBytes() + (testing.seekGap ?? 0);
    // Placeholders; the real header and directory are written by close().
    this.writeAt(new Uint8Array(this.end - (testing.seekGap ?? 0)), 0);
  }

  /**
   * Creates (truncates) `path` and starts a ROOT file there. The name recorded in the
   * file is `options.fileName`, else the path's basename (pass the final name when
   * writing to a temporary path, or output would depend on the temporary name).
   */
  static open(path: string, options: WriteOptions, testing: WriterTestingOptions = {}): RootFileWriter {
    validateCompression(options.compression, path);
    if (!Number.isInteger(options.basketSize) || options.basketSize < 1 || options.basketSize > 0x7fff0000) {
      throw new RootWriteError(`${path}: basketSize must be a positive integer, got ${options.basketSize}`, path);
    }
    if (!(options.uuid instanceof Uint8Array) || options.uuid.length !== 16) {
      throw new RootWriteError(`${path}: uuid must be 16 bytes`, path);
    }
    if (!(options.datime instanceof Date) || Number.isNaN(options.datime.getTime())) {
      throw new RootWriteError(`${path}: datime must be a valid Date`, path);
    }
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (e) {
      throw new RootWriteError(`${path}: cannot create file: ${(e as Error).message}`, path);
    }
    return new RootFileWriter(path, fd, options, testing);
  }

  /** Declares a tree; trees of one file may be written interleaved. */
  tree(spec: TreeSpec): TreeWriter {
    this.ensureOpen();
    if (this.trees.some((t) => t.name === spec.name)) {
      throw new RootWriteError(`${this.path}: tree '${spec.name}' declared twice`, this.path);
    }
    if (this.objectKeys.some((k) => k.name === spec.name)) {
      throw new RootWriteError(`${this.path}: tree '${spec.name}' has the name of an object already written`, this.path);
    }
    const t = new TreeWriter(spec, this);
    this.trees.push(t);
    return t;
  }

  /**
   * Writes `obj` (compressed as the file's baskets are) under a key of its own in the
   * top directory, now; its classes' streamers go into the StreamerInfo list at close.
   */
  writeObject(obj: KeyedObject): void {
    this.ensureOpen();
    if (this.objectKeys.some((k) => k.name === obj.name) || this.trees.some((t) => t.name === obj.name)) {
      throw new RootWriteError(`${this.path}: two objects named '${obj.name}'`, this.path);
    }
    this.objectKeys.push(this.appendKey(obj.className, obj.name, obj.title, (keylen) => obj.serialize(keylen), true));
    this.objectClasses.push(...obj.classes);
  }

  /** Bytes written so far (the current end of file). */
  get size(): number {
    return this.end;
  }

  private ensureOpen(): number {
    if (this.fd === null) throw new RootWriteStateError(`${this.path}: file is already closed`, this.path);
    return this.fd;
  }

  private writeAt(buf: Uint8Array, position: number): void {
    const fd = this.ensureOpen();
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
  }

  private topDirectoryKeyBytes(): number {
    return keyLength('TFile', this.fileName, this.title, false) + this.nameBytes() + DIRECTORY_RECORD_BYTES;
  }

  private nameBytes(): number {
    return tstringSize(this.fileName) + tstringSize(this.title);
  }

  /** @internal BasketSink: one TBasket key at the end of the file. */
  writeBasket(b: Parameters<BasketSink['writeBasket']>[0]): { seek: number; nbytes: number } {
    const fd = this.ensureOpen();
    const compressed = compressPayload(b.payload, this.compression, this.fileLabel);
    const body = compressed ?? b.payload;
    const seek = this.end;
    const nbytes = b.keylen + body.length;
    const h = this.header;
    h.reset();
    writeKeyHeader(h, {
      className: 'TBasket',
      name: b.branchName,
      title: b.treeName,
      nbytes,
      objlen: b.payload.length,
      datime: this.datime,
      cycle: 0,
      seekKey: seek,
      seekPdir: kBEGIN,
      big: true, // ROOT 6 writes basket keys in the 64-bit form
      extraKeyBytes: BASKET_HEADER_BYTES,
    });
    h.i16(3); // TBasket version
    h.i32(Math.max(this.basketSize, b.payload.length)); // fBufferSize
    h.i32(b.nevbufsize);
    h.i32(b.nevbuf);
    h.i32(b.last);
    h.u8(0); // flag: header only, entry offsets live in the payload
    if (h.pos !== b.keylen) throw new RootWriteError(`${this.path}: internal: basket key length mismatch`, this.path, b.branchName);
    const head = h.bytes();
    let done = writevSync(fd, [head, body], seek);
    if (done < nbytes) {
      const all = new Uint8Array(nbytes);
      all.set(head);
      all.set(body, head.length);
      while (done < nbytes) done += writeSync(fd, all, done, nbytes - done, seek + done);
    }
    this.end += nbytes;
    return { seek, nbytes };
  }

  /** Writes a key with a (possibly compressed) object payload at the end of the file. */
  private appendKey(
    className: string,
    name: string,
    title: string,
    makePayload: (keylen: number) => Uint8Array,
    compress: boolean,
  ): KeyFields {
    const seek = this.end;
    const big = isBigKey(seek, kBEGIN);
    const keylen = keyLength(className, name, title, big);
    const payload = makePayload(keylen);
    const body = (compress ? compressPayload(payload, this.compression, this.fileLabel) : null) ?? payload;
    const key: KeyFields = {
      className,
      name,
      title,
      nbytes: keylen + body.length,
      objlen: payload.length,
      datime: this.datime,
      cycle: 1,
      seekKey: seek,
      seekPdir: kBEGIN,
    };
    const w = new ByteWriter(key.nbytes);
    writeKeyHeader(w, key);
    w.bytesIn(body);
    this.writeAt(w.bytes(), seek);
    this.end += key.nbytes;
    return key;
  }

  private streamerClasses(): ClassDef[] {
    const out: ClassDef[] = [];
    const seen = new Map<string, ClassDef>();
    const add = (c: ClassDef): void => {
      const prev = seen.get(c.name);
      if (prev) {
        if (prev.checksum !== c.checksum) {
          throw new RootWriteError(`${this.path}: class '${c.name}' is declared with different members in two places`, this.path);
        }
        return;
      }
      seen.set(c.name, c);
      out.push(c);
    };
    this.objectClasses.forEach(add);
    const records = new Set<string>();
    for (const t of this.trees) {
      t.classes.forEach(add);
      t.usedRecordClasses().forEach((c) => records.add(c));
    }
    // The tree classes only where the file holds trees (a file of histograms lists its own).
    for (const c of this.trees.length > 0 ? STANDARD_CLASSES : []) {
      const name = c.name;
      if (BASE_CLASSES.includes(name) || records.has(name) || (name === 'TBranch' && records.has('TBranchElement'))) add(c);
    }
    return out;
  }

  /** Writes the metadata, patches the header and closes the file. */
  close(): void {
    this.ensureOpen();
    try {
      const keys: KeyFields[] = [...this.objectKeys];
      for (const t of this.trees) {
        const meta = t.finish();
        keys.push(this.appendKey('TTree', meta.name, t.spec.title, (keylen) => serializeTree(meta, keylen), true));
      }
      const classes = this.streamerClasses();
      const info = this.appendKey(
        'TList',
        'StreamerInfo',
        'Doubly linked list',
        (keylen) => serializeStreamerList(classes, keylen),
        true,
      );
      // Like ROOT, the directory lists the trees and objects but not the StreamerInfo key (the header points to it).
      const keysList = this.appendKey('TFile', this.fileName, this.title, () => serializeKeysList(keys), false);

      // The free list names [fEND, infinity); its own size decides whether it needs 64-bit fields.
      const freeSeek = this.end;
      const freeKeylen = keyLength('TFile', this.fileName, this.title, isBigKey(freeSeek, kBEGIN));
      let freeEnd = freeSeek + freeKeylen + serializeFreeSegments(freeSeek).length;
      freeEnd = freeSeek + freeKeylen + serializeFreeSegments(freeEnd).length;
      const free = this.appendKey('TFile', this.fileName, this.title, () => serializeFreeSegments(freeEnd), false);
      if (this.end !== freeEnd) throw new RootWriteError(`${this.path}: internal: free-segment size mismatch`, this.path);

      const nbytesName = keyLength('TFile', this.fileName, this.title, false) + this.nameBytes();
      this.writeAt(
        serializeFileHeader({
          end: this.end,
          seekFree: free.seekKey,
          nbytesFree: free.nbytes,
          nfree: 1,
          nbytesName,
          compress: this.compressCode,
          seekInfo: info.seekKey,
          nbytesInfo: info.nbytes,
          uuid: this.uuid,
        }),
        0,
      );
      const w = new ByteWriter(256);
      const dirBytes = this.topDirectoryKeyBytes();
      const objlen = dirBytes - keyLength('TFile', this.fileName, this.title, false);
      writeKeyHeader(w, {
        className: 'TFile',
        name: this.fileName,
        title: this.title,
        nbytes: dirBytes,
        objlen,
        datime: this.datime,
        cycle: 1,
        seekKey: kBEGIN,
        seekPdir: 0,
      });
      w.tstring(this.fileName);
      w.tstring(this.title);
      writeDirectoryRecord(w, {
        datimeC: this.datime,
        datimeM: this.datime,
        nbytesKeys: keysList.nbytes,
        nbytesName,
        seekDir: kBEGIN,
        seekParent: 0,
        seekKeys: keysList.seekKey,
        uuid: this.uuid,
      });
      if (w.pos !== dirBytes) throw new RootWriteError(`${this.path}: internal: directory size mismatch`, this.path);
      this.writeAt(w.bytes(), kBEGIN);
    } finally {
      const fd = this.fd;
      this.fd = null;
      if (fd !== null) closeSync(fd);
    }
  }

  /** Closes and deletes the file (for failed or interrupted writes). */
  abort(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already closed by the OS; removing the file is what matters
      }
    }
    rmSync(this.path, { force: true });
  }
}
