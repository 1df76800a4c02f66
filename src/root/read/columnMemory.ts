// Where the reader's column arrays come from. By default each array is fresh
// (zeroed) memory. A task that reads chunk after chunk and is done with each
// chunk's columns before it reads the next can hand the reader a
// RecyclingMemory instead: the same buffers come back every chunk, without the
// page faults, zeroing and garbage collection of every chunk's columns.
import type { NumericArray, NumericType } from '../write/types.js';
import { NUMERIC_SIZE } from '../write/types.js';

export interface ColumnMemory {
  /** An array of `n` values. Its contents are unspecified: builders write before they read. */
  allocate(type: NumericType, n: number): NumericArray;
}

/** A typed view of `n` values of `type` at the start of `buffer`. */
function viewOf(type: NumericType, buffer: ArrayBuffer, n: number): NumericArray {
  switch (type) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer, 0, n);
    case 'int8':
      return new Int8Array(buffer, 0, n);
    case 'int16':
      return new Int16Array(buffer, 0, n);
    case 'uint16':
      return new Uint16Array(buffer, 0, n);
    case 'int32':
      return new Int32Array(buffer, 0, n);
    case 'uint32':
      return new Uint32Array(buffer, 0, n);
    case 'int64':
      return new BigInt64Array(buffer, 0, n);
    case 'uint64':
      return new BigUint64Array(buffer, 0, n);
    case 'float32':
      return new Float32Array(buffer, 0, n);
    case 'float64':
      return new Float64Array(buffer, 0, n);
  }
}

/** A fresh, zeroed array. */
export function allocate(type: NumericType, n: number): NumericArray {
  return viewOf(type, new ArrayBuffer(n * NUMERIC_SIZE[type]), n);
}

export const FRESH_MEMORY: ColumnMemory = { allocate };

/**
 * Bytes rounded up to one of eight steps per power of two (at most 12.5% more), so
 * that the next chunk's slightly larger column still fits the buffer of this one.
 */
function sizeClass(bytes: number): number {
  if (bytes <= 4096) return 4096;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / step) * step;
}

/** How many chunks in a row a buffer may go unused before it is let go. */
const IDLE_CHUNKS_KEPT = 2;

/**
 * Lends buffers, and takes all of them back at once with `reclaimAll()`, after which
 * every array it handed out may be overwritten: call it only when no column read
 * with it is used any more.
 */
export class RecyclingMemory implements ColumnMemory {
  /** Buffers free for reuse, by size (ascending), with the chunks they have gone unused. */
  private free: { buffer: ArrayBuffer; idle: number }[] = [];
  private lent: ArrayBuffer[] = [];

  allocate(type: NumericType, n: number): NumericArray {
    const bytes = sizeClass(n * NUMERIC_SIZE[type]);
    // the smallest free buffer that fits, unless it is more than twice what is needed
    let pick = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.buffer.byteLength;
      if (size >= bytes) {
        if (size <= 2 * bytes) pick = i;
        break;
      }
    }
    const buffer = pick >= 0 ? this.free.splice(pick, 1)[0]!.buffer : new ArrayBuffer(bytes);
    this.lent.push(buffer);
    return viewOf(type, buffer, n);
  }

  /**
   * Takes back everything lent. A buffer unused for more than IDLE_CHUNKS_KEPT chunks
   * in a row is dropped: memory follows the recent chunks' sizes instead of collecting
   * every size ever asked for, while the larger buffers of a full chunk survive the
   * short last chunk of a file for the next file (new memory costs page faults).
   */
  reclaimAll(): void {
    const kept = this.free.filter((f) => ++f.idle <= IDLE_CHUNKS_KEPT);
    this.free = [...kept, ...this.lent.map((buffer) => ({ buffer, idle: 0 }))].sort((a, b) => a.buffer.byteLength - b.buffer.byteLength);
    this.lent = [];
  }

  /** Bytes held, lent or free (for tests). */
  get bytesHeld(): number {
    return [...this.free.map((f) => f.buffer), ...this.lent].reduce((n, b) => n + b.byteLength, 0);
  }
}
