// jsroot inflates every file's metadata (streamer infos, each TTree with its basket
// tables) with its own JavaScript inflate, which V8 compiles again for each file.
// Routed through the reader's decompression instead (Node's zlib, the lz4/zstd
// decoders), opening a file takes ~30% less time and no JIT work of its own.
//
// This replaces jsroot's private TFile.readObjBuffer, with a replacement that
// reads the same bytes and hands back the same TBuffer. It also checks what
// jsroot's inflate does not (zlib's Adler-32, lz4's checksums): damaged data is a
// typed error naming the key. What it cannot decode yet (a codec still to be
// loaded, ROOT's old "CS" format) goes to jsroot's own method.

import { TBuffer, type JsrootFile, type JsrootKey } from 'jsroot/io';
import { decompressRoot, DecompressionError, LzmaNotLoadedError, UnsupportedCompressionError } from './compression.js';
import { CorruptFileError, printable } from './errors.js';

let jsrootReadObjBuffer: JsrootFile['readObjBuffer'] | null = null;

/** jsroot's own readObjBuffer, once replaced (for tests that compare the two). */
export function jsrootsReadObjBuffer(): JsrootFile['readObjBuffer'] | null {
  return jsrootReadObjBuffer;
}

/**
 * Replaces jsroot's metadata inflate for the files opened after `jsfile` (jsroot
 * exports no TFile class; its prototype is found from an instance).
 */
export function inflateMetadataNatively(jsfile: JsrootFile): void {
  if (jsrootReadObjBuffer) return;
  let proto: object | null = Object.getPrototypeOf(jsfile) as object | null;
  while (proto && !Object.hasOwn(proto, 'readObjBuffer')) proto = Object.getPrototypeOf(proto) as object | null;
  if (!proto) return; // a jsroot without this method: its own inflate stays
  const file = proto as JsrootFile;
  const jsroots = file.readObjBuffer;
  jsrootReadObjBuffer = jsroots;
  file.readObjBuffer = async function (this: JsrootFile, key: JsrootKey): Promise<TBuffer> {
    const stored = key.fNbytes - key.fKeylen;
    if (key.fObjlen <= stored) return jsroots.call(this, key);
    const blob = await this.readBuffer([key.fSeekKey + key.fKeylen, stored]);
    let bytes: Uint8Array;
    try {
      bytes = decompressRoot(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength), key.fObjlen);
    } catch (e) {
      if (!(e instanceof DecompressionError) || e instanceof LzmaNotLoadedError || e instanceof UnsupportedCompressionError) {
        return jsroots.call(this, key);
      }
      throw new CorruptFileError(
        { file: this.fFullURL, record: `key '${printable(key.fName)};${key.fCycle}' (${printable(key.fClassName)}) at byte ${key.fSeekKey}` },
        `its compressed data is damaged: ${e.message}`,
        { cause: e },
      );
    }
    const buffer = new TBuffer(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, this);
    buffer.fTagOffset = key.fKeylen;
    return buffer;
  };
}
