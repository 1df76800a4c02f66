// zlib inflate straight into a caller's buffer, on one reused zlib stream.
//
// `zlib.inflateSync` creates and destroys a zlib stream per call and returns freshly
// allocated memory: for the thousands of baskets of a run that is an inflateInit, a
// large allocation (page faults) and a copy each time. Node has no public API that
// inflates into a given buffer, so this drives the native handle of one
// `zlib.Inflate` the way Node's own sync path does (`reset` = inflateReset, then
// `writeSync` with Z_FINISH). The handle's shape is checked once, with a known answer;
// if this Node's internals differ, every call goes through `inflateSync` instead.
import { constants, Inflate, inflateSync, deflateSync } from 'node:zlib';

/** The parts of Node's native zlib handle used here (node_zlib.cc). */
interface NativeZlibHandle {
  reset(): void;
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number) => void;
}

export class InflateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InflateError';
  }
}

export interface Inflater {
  /**
   * Inflates the zlib stream `src` into `dst[at, at + size)`. Throws InflateError unless
   * the stream is complete, valid, and exactly `size` bytes long. A byte past the end,
   * when `dst` has one, may be overwritten.
   */
  inflateInto(src: Uint8Array, dst: Uint8Array, at: number, size: number): void;
  /** 'handle' when the reused native stream is in use, 'inflateSync' otherwise. */
  readonly mode: 'handle' | 'inflateSync';
}

class HandleInflater implements Inflater {
  readonly mode = 'handle' as const;
  /** The JS object that owns the native handle: it must stay referenced. */
  readonly owner: Inflate;
  private readonly handle: NativeZlibHandle;
  /** [avail_out, avail_in] after each write, filled in by the native side. */
  private readonly state: Uint32Array;
  private error: string | null = null;
  private readonly probe = new Uint8Array(1);

  constructor(owner: Inflate, handle: NativeZlibHandle, state: Uint32Array) {
    this.owner = owner;
    this.handle = handle;
    this.state = state;
    handle.onerror = (message: string) => {
      this.error = message;
    };
  }

  inflateInto(src: Uint8Array, dst: Uint8Array, at: number, size: number): void {
    if (at < 0 || size < 0 || at + size > dst.length) throw new RangeError(`inflate target [${at}, ${at + size}) is outside its ${dst.length}-byte buffer`);
    if (size === 0) {
      // zlib refuses an output buffer without memory: the probe byte stands in.
      if (this.write(src, this.probe, 0, 1) !== 0) throw new InflateError('zlib stream is longer than the 0 bytes expected');
      return;
    }
    // One spare byte, when there is room, tells a stream longer than `size` from one
    // that ends exactly there without a second call.
    const room = Math.min(size + 1, dst.length - at);
    const produced = this.write(src, dst, at, room);
    if (produced !== size) {
      throw new InflateError(
        produced > size ? `zlib stream is longer than the ${size} bytes expected` : `zlib stream ended after ${produced} of ${size} bytes`,
      );
    }
    if (room === size) {
      // No spare byte: ask for one more byte. A finished stream gives none (and no error).
      if (this.write(new Uint8Array(0), this.probe, 0, 1, false) !== 0) {
        throw new InflateError(`zlib stream is longer than the ${size} bytes expected`);
      }
    }
  }

  /** Bytes produced by one Z_FINISH write; `fresh` starts a new stream. */
  private write(src: Uint8Array, dst: Uint8Array, at: number, room: number, fresh = true): number {
    this.error = null;
    if (fresh) this.handle.reset();
    this.handle.writeSync(constants.Z_FINISH, src, 0, src.length, dst, at, room);
    if (this.error !== null) {
      const message = this.error;
      this.handle.reset(); // leave the stream usable for the next basket
      throw new InflateError(`zlib: ${message}`);
    }
    return room - this.state[0]!;
  }
}

class SyncInflater implements Inflater {
  readonly mode = 'inflateSync' as const;
  inflateInto(src: Uint8Array, dst: Uint8Array, at: number, size: number): void {
    let out: Buffer;
    try {
      out = inflateSync(src, { chunkSize: Math.max(64, size) });
    } catch (e) {
      throw new InflateError(`zlib: ${(e as Error).message}`, { cause: e });
    }
    if (out.length !== size) throw new InflateError(`zlib stream decompressed to ${out.length} bytes, ${size} expected`);
    dst.set(out, at);
  }
}

function isHandle(h: unknown): h is NativeZlibHandle {
  const o = h as Partial<Record<keyof NativeZlibHandle, unknown>> | null;
  return typeof o === 'object' && o !== null && typeof o.reset === 'function' && typeof o.writeSync === 'function';
}

function tryHandleInflater(): Inflater | null {
  try {
    const owner = new Inflate();
    const internals = owner as unknown as { _handle?: unknown; _writeState?: unknown };
    const state = internals._writeState;
    if (!isHandle(internals._handle) || !(state instanceof Uint32Array) || state.length < 2) return null;
    const inflater = new HandleInflater(owner, internals._handle, state);
    return knownAnswer(inflater) ? inflater : null;
  } catch {
    return null;
  }
}

/** Round trip, exact size and no spare byte, then a corrupt stream, then the round trip again. */
function knownAnswer(inflater: Inflater): boolean {
  const plain = new Uint8Array(3000);
  for (let i = 0; i < plain.length; i++) plain[i] = (i * 7 + (i >> 5)) & 0xff;
  const packed = deflateSync(plain);
  const same = (out: Uint8Array) => plain.every((b, i) => out[i] === b);
  const a = new Uint8Array(plain.length + 1);
  inflater.inflateInto(packed, a, 0, plain.length);
  const b = new Uint8Array(plain.length);
  inflater.inflateInto(packed, b, 0, plain.length);
  const bad = Uint8Array.from(packed);
  bad[bad.length - 1]! ^= 0xff; // breaks the Adler-32 check
  let rejected = false;
  try {
    inflater.inflateInto(bad, new Uint8Array(plain.length + 1), 0, plain.length);
  } catch (e) {
    rejected = e instanceof InflateError;
  }
  const c = new Uint8Array(plain.length + 1);
  inflater.inflateInto(packed, c, 0, plain.length);
  return same(a) && same(b) && same(c) && rejected;
}

let shared: Inflater | null = null;

/** The process's inflater (one zlib stream, reused: callers are synchronous). */
export function inflater(): Inflater {
  shared ??= tryHandleInflater() ?? new SyncInflater();
  return shared;
}

/** For tests: the fallback path, whatever this Node supports. */
export function syncInflater(): Inflater {
  return new SyncInflater();
}
