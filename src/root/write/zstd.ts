// zstd for the writer: the official Zstandard library compiled to WebAssembly
// (npm @oneidentity/zstd-js, its WebAssembly-only UMD build, which the build copies
// as it is to dist/vendor/zstd-js.cjs: bundled into an ES module, emscripten's glue
// loses require and __dirname). WebAssembly starts asynchronously, so callers load
// it once before they open a zstd file.

import { createRequire } from 'node:module';
import { packagePath } from '../../packageRoot.js';
import { RootWriteError } from './errors.js';

interface ZstdEncoder {
  compress(data: Uint8Array, level?: number, checksum?: boolean): Uint8Array;
}

interface ZstdPackage {
  ZstdInit(): Promise<unknown>;
  ZstdStream: ZstdEncoder;
}

/**
 * @oneidentity/zstd-js (1.0.3) refuses payloads of 100 bytes or less, and jsroot
 * decodes with it: shorter frames would make files jsroot cannot read.
 */
const MIN_PAYLOAD = 101;

let encoder: ZstdEncoder | null = null;

/** Loads the zstd encoder (once); needed before writing with { algorithm: 'zstd' }. */
export async function loadZstdEncoder(): Promise<void> {
  if (encoder) return;
  // A module instance of our own: a second ZstdInit() of one instance corrupts the
  // state of the first (seen as "Src size is incorrect" errors in a process where
  // jsroot also initialised the package). The WebAssembly-only build encodes byte for
  // byte as the package's main one, which adds an asm.js copy for browsers without
  // WebAssembly. Loaded with require: an ESM import of a UMD file gives its exports as
  // `default` under plain Node and as named exports under vitest's loader; require is
  // the same under both.
  const path = packagePath('dist', 'vendor', 'zstd-js.cjs');
  let zstd: ZstdPackage;
  try {
    zstd = createRequire(import.meta.url)(path) as ZstdPackage;
  } catch (e) {
    throw new RootWriteError(`zstd encoder not loaded: cannot load ${path} (${(e as Error).message}); run npm run build, or reinstall mssi`, '');
  }
  if (typeof zstd.ZstdInit !== 'function') {
    throw new RootWriteError(`zstd encoder not found in ${path} (a changed @oneidentity/zstd-js?)`, '');
  }
  await zstd.ZstdInit();
  // The streaming encoder: ZstdSimple (1.0.3) declares a content size 18 bytes larger
  // than its input and encodes bytes from past its end.
  encoder = zstd.ZstdStream;
}

export function zstdEncoderLoaded(): boolean {
  return encoder !== null;
}

/**
 * One zstd frame, or null when the block is better stored raw (too short for the
 * decoders, see MIN_PAYLOAD). The frame is checked to end where the output ends.
 */
export function zstdCompress(data: Uint8Array, level: number, file: string): Uint8Array | null {
  if (!encoder) throw new RootWriteError(`${file}: zstd is not loaded: call loadZstdEncoder() before writing`, file);
  if (data.length < MIN_PAYLOAD) return null;
  const out = encoder.compress(data, level, false);
  if (zstdFrameEnd(out) !== out.length) throw new RootWriteError(`${file}: the zstd encoder returned a malformed frame`, file);
  return out.length < MIN_PAYLOAD ? null : out;
}

/** Where the zstd frame starting at 0 ends (RFC 8878, section 3.1.1), or null if it does not parse. */
export function zstdFrameEnd(f: Uint8Array): number | null {
  if (f.length < 6 || f[0] !== 0x28 || f[1] !== 0xb5 || f[2] !== 0x2f || f[3] !== 0xfd) return null;
  const descriptor = f[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const checksum = (descriptor >> 2) & 1;
  const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3]!;
  const contentSizeBytes = [singleSegment, 2, 4, 8][fcsFlag]!;
  let at = 5 + (singleSegment ? 0 : 1) + dictionaryIdBytes + contentSizeBytes;
  for (;;) {
    if (at + 3 > f.length) return null;
    const header = f[at]! | (f[at + 1]! << 8) | (f[at + 2]! << 16);
    const last = header & 1;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    if (type === 3) return null; // reserved
    at += 3 + (type === 1 ? 1 : size);
    if (last) break;
  }
  at += checksum ? 4 : 0;
  return at <= f.length ? at : null;
}
