// Big-endian growable byte writer: ROOT serialises everything big-endian.

export const kByteCountMask = 0x40000000;
export const kNewClassTag = 0xffffffff;
export const kClassMask = 0x80000000;
/** Offsets stored in a buffer's object/class maps are shifted so that 0 stays "null". */
export const kMapOffset = 2;

const textEncoder = new TextEncoder();

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

/** Bytes a ROOT TString takes: 1-byte length, or 255 + 4-byte length from 255 bytes up. */
export function tstringSize(s: string): number {
  const n = textEncoder.encode(s).length;
  return n < 255 ? 1 + n : 5 + n;
}

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Current length (write position). */
  pos = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A view of the bytes written so far (valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  toUint8Array(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Direct access for hot loops: call ensure() first, then write at pos and advance it. */
  get raw(): Uint8Array {
    return this.buf;
  }
  get dataView(): DataView {
    return this.view;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }
  i16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }
  i64(v: number | bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, BigInt(v));
    this.pos += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
  bytesIn(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** ROOT TString / std::string on-disk form. */
  tstring(s: string): void {
    this.lengthPrefixed(textEncoder.encode(s));
  }
  /** 1-byte length, or 255 followed by a 4-byte length, then the bytes. */
  lengthPrefixed(b: Uint8Array): void {
    if (b.length < 255) {
      this.u8(b.length);
    } else {
      this.u8(255);
      this.i32(b.length);
    }
    this.bytesIn(b);
  }
  /** NUL-terminated C string (class names after kNewClassTag). */
  cstring(s: string): void {
    this.bytesIn(textEncoder.encode(s));
    this.u8(0);
  }

  setU32At(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0);
  }
  setI32At(at: number, v: number): void {
    this.view.setInt32(at, v);
  }

  /** Reserves the 4-byte count and writes the 2-byte version; returns the position for end(). */
  beginVersioned(version: number): number {
    const at = this.pos;
    this.u32(0);
    this.i16(version);
    return at;
  }
  /** Patches the byte count reserved at `at` (the count excludes its own 4 bytes). */
  endCounted(at: number): void {
    this.setU32At(at, (this.pos - at - 4) | kByteCountMask);
  }
}
