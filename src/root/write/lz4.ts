// A small greedy LZ4 *block* compressor (the raw block format ROOT wraps in "L4"
// headers): one hash table of 4-byte sequences, 64 KiB window.

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const HASH_LOG = 16;
const MAX_OFFSET = 65535;

// Reused between calls: compression is synchronous and single-threaded.
const table = new Int32Array(1 << HASH_LOG);

function hash(seq: number): number {
  return Math.imul(seq, 2654435761) >>> (32 - HASH_LOG);
}

function read32(src: Uint8Array, i: number): number {
  return ((src[i] ?? 0) | ((src[i + 1] ?? 0) << 8) | ((src[i + 2] ?? 0) << 16) | ((src[i + 3] ?? 0) << 24)) >>> 0;
}

/** Compressed block, or null when it would not be smaller than the input. */
export function lz4CompressBlock(src: Uint8Array): Uint8Array | null {
  const n = src.length;
  const out = new Uint8Array(n + Math.ceil(n / 255) + 16);
  let o = 0;
  let anchor = 0;
  table.fill(-1);

  const emit = (litEnd: number, matchLen: number, offset: number): boolean => {
    const litLen = litEnd - anchor;
    const need = o + 1 + litLen + Math.ceil(litLen / 255) + 2 + Math.ceil(matchLen / 255) + 1;
    if (need >= out.length) return false;
    const tokenAt = o++;
    let token = (litLen >= 15 ? 15 : litLen) << 4;
    if (litLen >= 15) {
      let r = litLen - 15;
      while (r >= 255) {
        out[o++] = 255;
        r -= 255;
      }
      out[o++] = r;
    }
    out.set(src.subarray(anchor, litEnd), o);
    o += litLen;
    if (matchLen > 0) {
      out[o++] = offset & 0xff;
      out[o++] = offset >>> 8;
      const ml = matchLen - MIN_MATCH;
      token |= ml >= 15 ? 15 : ml;
      if (ml >= 15) {
        let r = ml - 15;
        while (r >= 255) {
          out[o++] = 255;
          r -= 255;
        }
        out[o++] = r;
      }
    }
    out[tokenAt] = token;
    return true;
  };

  if (n > MF_LIMIT) {
    const matchLimit = n - LAST_LITERALS;
    let i = 0;
    while (i < n - MF_LIMIT) {
      const seq = read32(src, i);
      const h = hash(seq);
      const ref = table[h] ?? -1;
      table[h] = i;
      if (ref >= 0 && i - ref <= MAX_OFFSET && read32(src, ref) === seq) {
        let len = MIN_MATCH;
        while (i + len < matchLimit && src[ref + len] === src[i + len]) len++;
        if (!emit(i, len, i - ref)) return null;
        i += len;
        anchor = i;
        continue;
      }
      i++;
    }
  }
  if (!emit(n, 0, 0)) return null;
  if (o >= n) return null;
  return out.slice(0, o);
}
