// A buffer for one key's object payload, with ROOT's class and object maps:
// the first object of a class carries kNewClassTag + the class name, later ones a
// reference to that tag; objects written once can be referenced again by offset.

import { ByteWriter, kByteCountMask, kClassMask, kMapOffset, kNewClassTag } from './buffer.js';

export class ObjectBuffer {
  readonly w: ByteWriter;
  private readonly classTags = new Map<string, number>();

  /** `origin`: the key length, because ROOT's map offsets count from the start of the key. */
  constructor(
    private readonly origin: number,
    capacity = 4096,
  ) {
    this.w = new ByteWriter(capacity);
  }

  /**
   * Starts an object written through a pointer (byte count + class tag). Returns the
   * position of the byte count, to pass to `w.endCounted()` once the object is written.
   */
  beginObject(className: string): number {
    const w = this.w;
    const at = w.pos;
    w.u32(kByteCountMask); // patched by endCounted
    const tag = this.classTags.get(className);
    if (tag !== undefined) {
      w.u32((tag | kClassMask) >>> 0);
    } else {
      this.classTags.set(className, this.origin + w.pos + kMapOffset);
      w.u32(kNewClassTag);
      w.cstring(className);
    }
    return at;
  }

  /** The reference another pointer uses for the object whose byte count is at `at`. */
  objectRef(at: number): number {
    return this.origin + at + kMapOffset;
  }

  nullPointer(): void {
    this.w.u32(0);
  }
}

/** TObject as streamed inside another object: version 1, fUniqueID 0, `bits`. */
export function writeTObject(w: ByteWriter, bits: number): void {
  w.i16(1);
  w.u32(0);
  w.u32(bits);
}

/** TNamed v1 (TObject, fName, fTitle) with its byte count. */
export function writeTNamed(w: ByteWriter, name: string, title: string, bits: number): void {
  const at = w.beginVersioned(1);
  writeTObject(w, bits);
  w.tstring(name);
  w.tstring(title);
  w.endCounted(at);
}
