// Reused memory for uncompressed baskets. A basket is decompressed, decoded into
// the column, and then no longer needed: taking its memory from one buffer, instead
// of a new allocation per basket, saves the page faults and garbage collection of
// hundreds of MB per million events, and keeps the bytes in cache while decoded.

/** A stack of byte ranges: `take` in order, `release` back to a `mark`. */
export class ScratchArena {
  private buffer = new Uint8Array(0);
  private top = 0;

  mark(): number {
    return this.top;
  }

  /** Everything taken after `mark` may be reused from now on. */
  release(mark: number): void {
    this.top = mark;
  }

  take(bytes: number): Uint8Array {
    // A size from a damaged file must never shrink the stack or hand out a view of old bytes.
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`scratch memory of ${bytes} bytes asked for`);
    if (this.top + bytes > this.buffer.length) {
      // Views taken earlier keep the old buffer alive until they are released;
      // offsets stay as they were, so marks remain valid.
      this.buffer = new Uint8Array(Math.max(this.top + bytes, Math.floor(this.buffer.length * 1.5)));
    }
    const view = this.buffer.subarray(this.top, this.top + bytes);
    this.top += bytes;
    return view;
  }

  /** Bytes held, for tests and memory accounting. */
  get capacity(): number {
    return this.buffer.length;
  }
}
