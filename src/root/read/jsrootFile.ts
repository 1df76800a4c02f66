// jsroot reads the objects mssi needs from a file's metadata (streamer infos,
// TTrees) through this seam only: its reads go through our checked byte source
// (never past the file's end, never a negative length: jsroot's own Node file
// zero-fills short reads and allocates whatever a damaged size says), its console
// diagnostics are kept instead of printed, and whatever it throws becomes a typed
// error that names the record it was reading.

import { FileProxy, openFile, TBuffer, type JsrootFile, type JsrootNamed } from 'jsroot/io';
import type { ByteSource } from './source.js';
import { inflateMetadataNatively, jsrootsReadObjBuffer } from './jsrootInflate.js';
import { CorruptFileError, printable, RootReadError, type ErrorPlace } from './errors.js';

/** jsroot's view of our source: positional reads, checked against the file's size. */
export class SourceProxy extends FileProxy {
  constructor(private readonly source: ByteSource) {
    super();
  }

  override async openFile(): Promise<boolean> {
    return true;
  }

  override getFileName(): string {
    return this.source.path;
  }

  override getFileSize(): number {
    return this.source.size;
  }

  override async readBuffer(position: number, length: number): Promise<DataView> {
    const { size, path } = this.source;
    if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0 || position + length > size) {
      // jsroot's first read takes 400 bytes for the header, however short the file (checked before).
      if (position === 0 && length <= 400 && size > 0) {
        const padded = new Uint8Array(length);
        padded.set(this.source.read(0, Math.min(length, size)));
        return new DataView(padded.buffer);
      }
      throw new CorruptFileError({ file: path }, `a record asks for ${length} bytes at byte ${position}, outside the file's ${size} bytes`);
    }
    const bytes = this.source.read(position, length);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

/** What jsroot printed while it worked: diagnostics of damaged or unusual records. */
export type JsrootDiagnostics = string[];

const CONSOLE_METHODS = ['log', 'info', 'debug', 'warn', 'error'] as const;

/**
 * Runs `work` with jsroot's console output collected into `into` rather than printed
 * (stdout carries only the report). The process runs one such call at a time per file:
 * callers await it before the next.
 */
export async function collectingConsole<T>(into: JsrootDiagnostics, work: () => Promise<T>): Promise<T> {
  const saved = CONSOLE_METHODS.map((m) => console[m]);
  const collect = (...args: unknown[]) => {
    if (into.length < 20) into.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  for (const m of CONSOLE_METHODS) console[m] = collect;
  try {
    return await work();
  } finally {
    CONSOLE_METHODS.forEach((m, i) => (console[m] = saved[i]!));
  }
}

/**
 * jsroot's diagnostics that mean the record it read is damaged, in words; null when it
 * printed none. (On the 211 files of scikit-hep-testdata it prints none of these.)
 */
export function describeDiagnostics(messages: readonly string[]): string | null {
  // An object of a class jsroot has no streamer for is skipped whole ("got = 0"): not
  // damage, and the branches it describes are refused for what they lack (metadata.ts).
  const unknownClasses = new Set(messages.flatMap((m) => /^Not found streamer for (\S+) ver/.exec(m)?.[1] ?? []));
  for (const m of messages) {
    const mismatch = /Missmatch in (\S+?):(-?\d+) bytecount expected = (-?\d+)\s+got = (-?\d+)/.exec(m);
    if (mismatch && !(mismatch[4] === '0' && unknownClasses.has(mismatch[1]!))) {
      return `a ${printable(mismatch[1]!)} (class version ${mismatch[2]}) inside it is ${mismatch[3]} bytes by its byte count, but its streamer read ${mismatch[4]}`;
    }
    if (m.startsWith('Fail extract streamer infos')) return 'the list of streamer infos does not parse';
    if (m.startsWith('R__unzip')) return 'its compressed data does not decompress';
    if (m.startsWith('Did not found class with tag')) return 'it refers to an object class that is not in it';
  }
  return null;
}

/** Fails when jsroot's diagnostics say the record it read without an error is damaged anyway. */
function checkDiagnostics(messages: readonly string[], place: ErrorPlace, expected: string): void {
  const damage = describeDiagnostics(messages);
  if (damage !== null) throw new CorruptFileError(place, `its contents do not read as ${expected}: ${damage}`);
}

/** The error to report when jsroot failed on a record: ours as it is, anything else in words. */
export function asRecordError(err: unknown, place: ErrorPlace, expected: string, messages: readonly string[]): RootReadError {
  if (err instanceof RootReadError) {
    return err.record === undefined && place.record !== undefined
      ? new CorruptFileError({ ...place, ...(err.tree !== undefined ? { tree: err.tree } : {}) }, stripPlace(err), { cause: err })
      : err;
  }
  const hint = describeDiagnostics(messages);
  return new CorruptFileError(place, `its contents cannot be read as ${expected}${hint ? `: ${hint}` : ''}`, { cause: err });
}

/** The message of a RootReadError without its "file, ...: " prefix and "damaged file: ". */
function stripPlace(err: RootReadError): string {
  const prefix = `${err.file}: `;
  const text = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return text.replace(/^damaged file: /, '');
}

/**
 * Opens the file in jsroot over `source` (header, keys and streamer infos are read),
 * its metadata inflated by the reader's checked decompression (inflateNatively).
 */
export async function openJsrootFile(source: ByteSource, messages: JsrootDiagnostics, streamerRecord: string): Promise<JsrootFile> {
  const place = { file: source.path, record: streamerRecord };
  let jsfile: JsrootFile | undefined;
  try {
    inflateNatively();
    jsfile = await collectingConsole(messages, () => openFile(new SourceProxy(source)));
  } catch (err) {
    throw asRecordError(err, place, 'a list of streamer infos', messages);
  }
  if (!jsfile || !Array.isArray(jsfile.fKeys)) throw new CorruptFileError(place, 'jsroot could not read the file\'s keys');
  checkDiagnostics(messages, place, 'a list of streamer infos');
  return jsfile;
}

const jsrootReadTKey = TBuffer.prototype.readTKey;

/**
 * Has jsroot's TFile use the reader's decompression (inflateMetadataNatively) from
 * the first file on. jsroot exports no TFile class, and a TFile reads its first
 * compressed record (the streamer infos) while it opens; but it reads the file's own
 * key before that, through a TBuffer that knows its file: the first such read hands
 * over the TFile, and its class's inflate is replaced before it is ever used. So
 * jsroot never decompresses metadata itself (its zstd is not in mssi's bundle).
 */
function inflateNatively(): void {
  if (jsrootsReadObjBuffer() !== null || TBuffer.prototype.readTKey !== jsrootReadTKey) return;
  TBuffer.prototype.readTKey = function (this: TBuffer, ...args: unknown[]) {
    TBuffer.prototype.readTKey = jsrootReadTKey;
    if (this.fFile) inflateMetadataNatively(this.fFile);
    return jsrootReadTKey.apply(this, args);
  };
}

/** Reads one object (a TTree) with jsroot; any failure names the object's key. */
export async function readJsrootObject(
  jsfile: JsrootFile,
  path: string,
  cycle: number,
  place: ErrorPlace,
  expected: string,
  messages: JsrootDiagnostics,
): Promise<JsrootNamed> {
  let obj: JsrootNamed | undefined;
  messages.length = 0;
  try {
    obj = await collectingConsole(messages, () => jsfile.readObject(path, cycle));
  } catch (err) {
    throw asRecordError(err, place, expected, messages);
  }
  if (!obj || typeof obj !== 'object') throw new CorruptFileError(place, `its contents cannot be read as ${expected}`);
  checkDiagnostics(messages, place, expected);
  return obj;
}
