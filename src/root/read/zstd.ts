// zstd decoding by libzstd itself: the decompress-only WebAssembly build that ships
// in @oneidentity/zstd-js (libzstd 1.4.8), instantiated here synchronously as a
// module instance of our own.
//
// Why not the package's JavaScript wrapper: it refuses payloads of 100 bytes or less
// (ROOT files may hold shorter frames), returns a copy cut 18 bytes short of the
// frame's content size, and hides the module behind an async ZstdInit() whose
// second call on one instance corrupts the first caller's state (jsroot decodes with
// the package's main build). Why not fzstd: it accepts blocks libzstd rejects as
// corrupt, and a decoder that is not libzstd gives different bytes for them.
//
// The wasm binary is embedded in the package's emscripten glue as a base64 data URI,
// which the build writes out as dist/vendor/zstd-decompress.wasm (scripts/bundle.mjs);
// it imports three functions (heap growth, a big memcpy, the i64 high-word setter)
// and exports its memory, malloc/free and the C API (ZSTD_decompress, ZSTD_isError). Compiling 133 KB synchronously
// takes a few milliseconds (Node has no size limit on synchronous compilation).
import { readFileSync } from 'node:fs';
import { packagePath } from '../../packageRoot.js';
import { DecompressionError } from './decompressionError.js';

interface LibZstd {
  readonly memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
  ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
  ZSTD_isError(code: number): number;
}

const REQUIRED = ['memory', 'malloc', 'free', 'ZSTD_decompress', 'ZSTD_isError', '__wasm_call_ctors'];

/**
 * libzstd's error codes (zstd_errors.h, stable values) and its messages: this build
 * has its error strings stripped (ZSTD_getErrorName says only that), and a failed
 * call returns (size_t)-code.
 */
const ZSTD_ERRORS: Readonly<Record<number, string>> = {
  1: 'Error (generic) (ZSTD_error_GENERIC)',
  10: 'Unknown frame descriptor (ZSTD_error_prefix_unknown)',
  12: 'Version not supported (ZSTD_error_version_unsupported)',
  14: 'Unsupported frame parameter (ZSTD_error_frameParameter_unsupported)',
  16: 'Frame requires too much memory for decoding (ZSTD_error_frameParameter_windowTooLarge)',
  20: 'Corrupted block detected (ZSTD_error_corruption_detected)',
  22: "Restored data doesn't match checksum (ZSTD_error_checksum_wrong)",
  30: 'Dictionary is corrupted (ZSTD_error_dictionary_corrupted)',
  32: 'Dictionary mismatch (ZSTD_error_dictionary_wrong)',
  44: 'tableLog requires too much memory (ZSTD_error_tableLog_tooLarge)',
  46: 'Unsupported max Symbol Value: too large (ZSTD_error_maxSymbolValue_tooLarge)',
  64: 'Allocation error: not enough memory (ZSTD_error_memory_allocation)',
  70: 'Destination buffer is too small (ZSTD_error_dstSize_tooSmall)',
  72: 'Src size is incorrect (ZSTD_error_srcSize_wrong)',
};

/** libzstd's message for a ZSTD_isError result. */
export function zstdErrorMessage(ret: number): string {
  const code = -(ret | 0);
  return ZSTD_ERRORS[code] ?? `error code ${code}`;
}

function wasmBytes(): Uint8Array {
  const path = packagePath('dist', 'vendor', 'zstd-decompress.wasm');
  try {
    return readFileSync(path);
  } catch (e) {
    throw new DecompressionError(`zstd decoder not loaded: cannot read ${path} (${(e as Error).message}); run npm run build, or reinstall mssi`, { cause: e });
  }
}

function instantiate(): LibZstd {
  const module = new WebAssembly.Module(wasmBytes());
  let memory: WebAssembly.Memory | null = null;
  const env = {
    // sbrk asks for a heap of `requested` bytes: grow, 1 on success, 0 when refused
    emscripten_resize_heap: (requested: number): number => {
      if (!memory) return 0;
      const need = requested >>> 0;
      const have = memory.buffer.byteLength;
      if (need <= have) return 1;
      try {
        memory.grow(Math.ceil((need - have) / 65536));
        return 1;
      } catch {
        return 0;
      }
    },
    emscripten_memcpy_big: (dst: number, src: number, n: number): void => {
      new Uint8Array(memory!.buffer).copyWithin(dst, src, src + n);
    },
    setTempRet0: (): void => {}, // high words of i64 results: no function used here returns one
  };
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, { env });
  } catch (e) {
    throw new DecompressionError(`zstd decoder not loaded: its WebAssembly failed to start (${(e as Error).message})`, { cause: e });
  }
  const x = instance.exports as Record<string, unknown>;
  const missing = REQUIRED.filter((name) => x[name] === undefined);
  if (missing.length > 0) throw new DecompressionError(`zstd decoder not loaded: the WebAssembly lacks ${missing.join(', ')} (a changed @oneidentity/zstd-js?)`);
  memory = x.memory as WebAssembly.Memory;
  // what the emscripten runtime does before main: the stack limits, then C constructors
  if (typeof x.emscripten_stack_init === 'function') (x.emscripten_stack_init as () => void)();
  (x.__wasm_call_ctors as () => void)();
  return x as unknown as LibZstd;
}

let lib: LibZstd | null = null;
// One input and one output region of the wasm heap, reused and grown as needed.
let inPtr = 0;
let inCap = 0;
let outPtr = 0;
let outCap = 0;

function region(ptr: number, cap: number, bytes: number, z: LibZstd): [number, number] {
  if (bytes <= cap) return [ptr, cap];
  if (ptr !== 0) z.free(ptr);
  const want = Math.max(bytes, 2 * cap, 1 << 16);
  const p = z.malloc(want);
  if (p === 0) throw new DecompressionError(`zstd: out of WebAssembly memory for a ${bytes}-byte buffer`);
  return [p, want];
}

/**
 * Decodes the zstd frame(s) `src` into exactly dst.length bytes, as ZSTD_decompress
 * does (ROOT's own call). Throws DecompressionError with libzstd's message
 * ("Corrupted block detected", "Destination buffer is too small", ...) or when the
 * frames hold fewer bytes than `dst`; `dst` is written only on success.
 */
export function zstdDecompressInto(src: Uint8Array, dst: Uint8Array): void {
  const z = (lib ??= instantiate());
  [inPtr, inCap] = region(inPtr, inCap, Math.max(src.length, 1), z);
  [outPtr, outCap] = region(outPtr, outCap, Math.max(dst.length, 1), z);
  new Uint8Array(z.memory.buffer).set(src, inPtr);
  const ret = z.ZSTD_decompress(outPtr, dst.length, inPtr, src.length);
  if (z.ZSTD_isError(ret)) throw new DecompressionError(`zstd: ${zstdErrorMessage(ret)}`);
  const got = ret >>> 0;
  if (got !== dst.length) throw new DecompressionError(`zstd frame holds ${got} bytes, the block header says ${dst.length}`);
  dst.set(new Uint8Array(z.memory.buffer, outPtr, got));
}
