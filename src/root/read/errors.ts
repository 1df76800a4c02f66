// Typed errors of the ROOT reader. Every message names the file and, where known,
// the tree and branch, and says what was expected and what was found.

export interface ErrorPlace {
  readonly file: string;
  readonly tree?: string;
  readonly branch?: string;
}

function where(p: ErrorPlace): string {
  const parts = [p.file];
  if (p.tree !== undefined) parts.push(`tree '${p.tree}'`);
  if (p.branch !== undefined) parts.push(`branch '${p.branch}'`);
  return parts.join(', ');
}

/** Base class: the file could not be read as ROOT data the way it was asked for. */
export class RootReadError extends Error {
  readonly file: string;
  readonly tree: string | undefined;
  readonly branch: string | undefined;
  constructor(place: ErrorPlace, message: string, options?: { cause?: unknown }) {
    super(`${where(place)}: ${message}`, options);
    this.name = 'RootReadError';
    this.file = place.file;
    this.tree = place.tree;
    this.branch = place.branch;
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
