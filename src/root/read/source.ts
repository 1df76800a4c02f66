// Sources of bytes: positional reads from a local file. Nothing here knows ROOT.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly path: string;
  readonly size: number;
  /** Exactly `length` bytes at `position`; throws RangeError when the file is shorter. */
  read(position: number, length: number): Uint8Array;
  /** The same bytes, into `target` at `offset` (no allocation). */
  readInto(position: number, length: number, target: Uint8Array, offset: number): void;
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
    this.check(position, length); // before the allocation, which a damaged length could make huge
    const out = Buffer.allocUnsafe(length);
    this.readInto(position, length, out, 0);
    return out;
  }

  readInto(position: number, length: number, target: Uint8Array, offset: number): void {
    if (this.fd === null) throw new Error(`${this.path}: read after close`);
    this.check(position, length);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > target.length) {
      throw new RangeError(`${this.path}: read of ${length} bytes into a ${target.length}-byte buffer at ${offset}`);
    }
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, target, offset + done, length - done, position + done);
      if (n === 0) throw new RangeError(`${this.path}: unexpected end of file at ${position + done}`);
      done += n;
    }
  }

  private check(position: number, length: number): void {
    if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0 || position + length > this.size) {
      throw new RangeError(`${this.path}: read of ${length} bytes at ${position} goes past the end of the file (${this.size} bytes)`);
    }
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/**
 * A source that first reads, in a few large reads, byte ranges about to be
 * asked for: the baskets of several branches of a cluster lie near each other,
 * and one pread of a few MB costs far less than hundreds of small ones.
 */
export class PrefetchingSource implements ByteSource {
  private spans: { start: number; bytes: Uint8Array }[] = [];
  /**
   * The spans' bytes, reused from one prefetch to the next, and from one file to the
   * next: fresh memory for every read costs page faults. What is read from it is valid
   * until the next prefetch (decoders copy).
   */
  private arena = idlePrefetchArenas.pop() ?? new Uint8Array(0);

  /** Ranges closer than this are read together, gap included. */
  static readonly MAX_GAP = 256 << 10;
  /** No single read larger than this (unless one range alone is). */
  static readonly MAX_SPAN = 32 << 20;

  constructor(private readonly inner: ByteSource) {}

  get path(): string {
    return this.inner.path;
  }

  get size(): number {
    return this.inner.size;
  }

  /** Replaces what was prefetched by the given ranges (read now, merged). */
  prefetch(ranges: readonly { position: number; length: number }[]): void {
    this.spans = [];
    const sorted = ranges.filter((r) => r.length > 0).sort((a, b) => a.position - b.position);
    const merged: { start: number; end: number }[] = [];
    let i = 0;
    while (i < sorted.length) {
      const start = sorted[i]!.position;
      let end = start + sorted[i]!.length;
      let j = i + 1;
      while (j < sorted.length) {
        const r = sorted[j]!;
        const newEnd = Math.max(end, r.position + r.length);
        if (r.position - end > PrefetchingSource.MAX_GAP || newEnd - start > PrefetchingSource.MAX_SPAN) break;
        end = newEnd;
        j++;
      }
      if (end <= this.inner.size) merged.push({ start, end });
      i = j;
    }
    const total = merged.reduce((n, m) => n + m.end - m.start, 0);
    if (total > this.arena.length) this.arena = new Uint8Array(Math.max(total, Math.floor(this.arena.length * 1.5)));
    let at = 0;
    for (const m of merged) {
      const bytes = this.arena.subarray(at, at + m.end - m.start);
      this.inner.readInto(m.start, bytes.length, bytes, 0);
      this.spans.push({ start: m.start, bytes });
      at += bytes.length;
    }
  }

  readInto(position: number, length: number, target: Uint8Array, offset: number): void {
    target.set(this.read(position, length), offset);
  }

  read(position: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0) {
      throw new RangeError(`${this.path}: read of ${length} bytes at ${position} is not a place in the file`);
    }
    for (const s of this.spans) {
      if (position >= s.start && position + length <= s.start + s.bytes.length) {
        return s.bytes.subarray(position - s.start, position - s.start + length);
      }
    }
    return this.inner.read(position, length);
  }

  close(): void {
    this.spans = [];
    if (this.arena.length > 0 && idlePrefetchArenas.length < MAX_IDLE_ARENAS) idlePrefetchArenas.push(this.arena);
    this.arena = new Uint8Array(0);
    this.inner.close();
  }
}

/** Arenas of closed sources, handed to the next source made (a worker reads file after file). */
const idlePrefetchArenas: Uint8Array[] = [];
const MAX_IDLE_ARENAS = 2;
