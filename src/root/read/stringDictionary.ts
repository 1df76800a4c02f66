// The distinct values of a string column: interned from their bytes, so that one
// JS string is made per distinct value, not per element.

/**
 * Distinct byte strings -> dictionary index, so one JS string is made per
 * distinct value, not per element. This runs once per vertex: an open-addressing
 * table on a cheap hash (length, first and last four bytes) with every candidate
 * verified byte for byte against a pool of the distinct values' bytes.
 */
export class StringDictionary {
  readonly strings: string[] = [];
  private pool = new Uint8Array(1024);
  private poolView = new DataView(this.pool.buffer);
  private poolUsed = 0;
  /** Per dictionary index: start of its bytes in the pool, then its length. */
  private spans = new Int32Array(64);
  /** Open-addressing slots: dictionary index + 1, 0 when empty. */
  private slots = new Int32Array(64);
  private readonly decoder = new TextDecoder('utf-8');

  /** `view`: a DataView over exactly the bytes of `d` (made once per basket by the caller). */
  intern(d: Uint8Array, view: DataView, start: number, end: number): number {
    const len = end - start;
    const mask = this.slots.length - 1;
    for (let slot = hashBytes(view, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return this.add(d, start, end, slot);
      const idx = entry - 1;
      if (this.spans[2 * idx + 1] === len && this.same(this.spans[2 * idx]!, view, start, len)) return idx;
    }
  }

  /** Four bytes at a time (unaligned DataView reads compile to single loads). */
  private same(at: number, view: DataView, start: number, len: number): boolean {
    const pool = this.poolView;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (pool.getInt32(at + i, true) !== view.getInt32(start + i, true)) return false;
    for (; i < len; i++) if (pool.getUint8(at + i) !== view.getUint8(start + i)) return false;
    return true;
  }

  private add(d: Uint8Array, start: number, end: number, slot: number): number {
    const idx = this.strings.length;
    const len = end - start;
    if (this.poolUsed + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      bigger.set(this.pool.subarray(0, this.poolUsed));
      this.pool = bigger;
      this.poolView = new DataView(bigger.buffer);
    }
    this.pool.set(d.subarray(start, end), this.poolUsed);
    if (2 * idx + 2 > this.spans.length) {
      const bigger = new Int32Array(this.spans.length * 2);
      bigger.set(this.spans);
      this.spans = bigger;
    }
    this.spans[2 * idx] = this.poolUsed;
    this.spans[2 * idx + 1] = len;
    this.poolUsed += len;
    this.strings.push(this.decoder.decode(d.subarray(start, end)));
    this.slots[slot] = idx + 1;
    // Keep the table at most half full.
    if (2 * this.strings.length > this.slots.length) this.rehash();
    return idx;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let idx = 0; idx < this.strings.length; idx++) {
      const at = this.spans[2 * idx]!;
      let slot = hashBytes(this.poolView, at, at + this.spans[2 * idx + 1]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = idx + 1;
    }
    this.slots = slots;
  }
}

/** A cheap hash of a byte string: its length and first and last four bytes (candidates are verified). */
function hashBytes(d: DataView, start: number, end: number): number {
  const len = end - start;
  let h = Math.imul(len, 0x9e3779b1);
  if (len >= 4) {
    h ^= Math.imul(d.getInt32(start, true), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h ^= Math.imul(d.getInt32(end - 4, true), 0xc2b2ae35);
  } else {
    for (let i = start; i < end; i++) h = Math.imul(h ^ d.getUint8(i), 0x01000193);
  }
  return Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ (h >>> 16);
}
