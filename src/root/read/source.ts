// Sources of bytes: positional reads from a local file. Nothing here knows ROOT.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly path: string;
  readonly size: number;
  /** Exactly `length` bytes at `position`; throws RangeError when the file is shorter. */
  read(position: number, length: number): Uint8Array;
  close(): void;
}

/**
 * A file read with pread(2) on one descriptor. Synchronous on purpose: a basket
 * is one small read followed by CPU-bound decoding in a worker, and the async
 * fs API costs a thread-pool round trip per call.
 */
export class FileSource implements ByteSource {
  readonly path: string;
  readonly size: number;
  private fd: number | null;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(position: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error(`${this.path}: read after close`);
    if (position < 0 || length < 0 || position + length > this.size) {
      throw new RangeError(
        `${this.path}: read of ${length} bytes at ${position} goes past the end of the file (${this.size} bytes)`,
      );
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, position + done);
      if (n === 0) throw new RangeError(`${this.path}: unexpected end of file at ${position + done}`);
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
