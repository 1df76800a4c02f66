// Typed errors of the ROOT reader. Every message names the file and, where known,
// the tree and branch, and says what was expected and what was found.

export interface ErrorPlace {
  readonly file: string;
  readonly tree?: string;
  readonly branch?: string;
  /** The record within the file or branch, e.g. "file header", "key 'Scatters;1' at byte 4821", "basket 3 at byte 91234". */
  readonly record?: string;
}

function where(p: ErrorPlace): string {
  const parts = [p.file];
  if (p.tree !== undefined) parts.push(`tree '${p.tree}'`);
  if (p.branch !== undefined) parts.push(`branch '${p.branch}'`);
  if (p.record !== undefined) parts.push(p.record);
  return parts.join(', ');
}

/**
 * Text read from a (perhaps damaged) file, fit for a message: anything but printable
 * ASCII as \xNN escapes, cut to `max` characters.
 */
export function printable(text: string, max = 64): string {
  const clean = text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/** Base class: the file could not be read as ROOT data the way it was asked for. */
export class RootReadError extends Error {
  readonly file: string;
  readonly tree: string | undefined;
  readonly branch: string | undefined;
  record: string | undefined;
  /** The message without the place. */
  readonly detail: string;
  constructor(place: ErrorPlace, message: string, options?: { cause?: unknown }) {
    super(`${where(place)}: ${message}`, options);
    this.name = 'RootReadError';
    this.file = place.file;
    this.tree = place.tree;
    this.branch = place.branch;
    this.record = place.record;
    this.detail = message;
  }

  /** Names the record the error happened in, when the code that threw did not know it. */
  locate(record: string): this {
    if (this.record === undefined) {
      this.record = record;
      const place: ErrorPlace = { file: this.file, record, ...(this.tree !== undefined ? { tree: this.tree } : {}), ...(this.branch !== undefined ? { branch: this.branch } : {}) };
      this.message = `${where(place)}: ${this.detail}`;
    }
    return this;
  }
}

/** A branch whose layout this reader does not decode (an unsplit object, a map, ...). */
export class UnsupportedBranchError extends RootReadError {
  readonly reason: string;
  constructor(place: ErrorPlace, reason: string) {
    super(place, `unsupported branch: ${reason}`);
    this.name = 'UnsupportedBranchError';
    this.reason = reason;
  }
}

/** The bytes on disk contradict their own headers (truncated file, bad block, bad offsets). */
export class CorruptBasketError extends RootReadError {
  constructor(place: ErrorPlace, message: string, options?: { cause?: unknown }) {
    super(place, `corrupt data: ${message}`, options);
    this.name = 'CorruptBasketError';
  }
}

/** A tree or branch asked for by name is not in the file. */
export class MissingObjectError extends RootReadError {
  constructor(place: ErrorPlace, message: string) {
    super(place, message);
    this.name = 'MissingObjectError';
  }
}

/** The file's own structure (header, directories, keys, streamer infos, TTree records) contradicts itself or the file's size. */
export class CorruptFileError extends RootReadError {
  constructor(place: ErrorPlace, message: string, options?: { cause?: unknown }) {
    super(place, `damaged file: ${message}`, options);
    this.name = 'CorruptFileError';
  }
}

/** The file is shorter than its header says: a copy or a write that stopped early. */
export class TruncatedFileError extends RootReadError {
  readonly sizeBytes: number;
  readonly expectedBytes: number;
  constructor(place: ErrorPlace, sizeBytes: number, expectedBytes: number, detail?: string) {
    super(place, `truncated: the file has ${sizeBytes} bytes, its header says ${expectedBytes}${detail ? ` (${detail})` : ''}`);
    this.name = 'TruncatedFileError';
    this.sizeBytes = sizeBytes;
    this.expectedBytes = expectedBytes;
  }
}
