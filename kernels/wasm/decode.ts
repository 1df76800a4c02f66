// Hot loops of the ROOT basket decoder, compiled to WebAssembly by AssemblyScript
// (`npm run build:wasm`). The host side is src/root/read/wasmKernels.ts: it copies
// a basket's bytes and entry offsets into this module's memory, calls a kernel,
// and copies the results into the column's arrays.
//
// The kernels only decode bytes that are well formed. On anything else they return
// REJECTED, and the host decodes that basket again with the checked TypeScript
// builders (src/root/read/interpret.ts), which say exactly what is wrong. So a
// kernel must never accept bytes that those builders reject.

/** The basket is not well formed (or not the layout the kernel decodes). */
const REJECTED: i32 = -1;
/** The string dictionary has no room for another value: grow it and call again. */
const DICTIONARY_FULL: i32 = -2;
/** A string's class is not in the class table yet: classify the new values and call again. */
const UNCLASSIFIED: i32 = -3;

const BYTECOUNT_MASK: u32 = 0x40000000;
const MEMBERWISE: u16 = 0x4000;

@inline function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/**
 * The element count of the std::vector entry [a, b): its byte count (with
 * kByteCountMask) must end exactly at b, its version must not be member-wise.
 * -1 when the header is not that.
 */
@inline function vectorCount(data: usize, a: i32, b: i32): i32 {
  if (b - a < 10) return -1;
  const bc = be32(data + <usize>a);
  if ((bc & BYTECOUNT_MASK) == 0 || <i32>(bc & ~BYTECOUNT_MASK) != b - a - 4) return -1;
  if ((bswap<u16>(load<u16>(data + <usize>a + 4)) & MEMBERWISE) != 0) return -1;
  return <i32>be32(data + <usize>a + 6);
}

/** Entry i's byte range [a, b) from the basket's offsets, or false if it is not inside the basket. */
@inline function entryOk(a: i32, b: i32, dataLen: i32): bool {
  return a >= 0 && a <= b && b <= dataLen;
}

/**
 * A basket's entry offsets from its stored table (n big-endian int32 at `table`,
 * counted from the key's start): out[i] = table[i] - keylen, out[n] = border.
 * Checked as the host's checkOffsets does (the first is 0, none decreases, none
 * is past border). Returns 0, or REJECTED.
 */
export function basketOffsets(table: usize, n: i32, keylen: i32, border: i32, out: usize): i32 {
  let prev: i32 = 0;
  for (let i = 0; i < n; i++) {
    const o = <i32>be32(table + (<usize>i << 2)) - keylen;
    if (o < prev || o > border || (i == 0 && o != 0)) return REJECTED;
    store<i32>(out + (<usize>i << 2), o);
    prev = o;
  }
  if (n == 0 && border != 0) return REJECTED; // then border is the first offset
  store<i32>(out + (<usize>n << 2), border);
  return 0;
}

/**
 * std::vector of 4-byte numbers: entries [from, to) of the basket at `data`.
 * Writes each entry's end (base + values so far) to outEnds[i - from] and the
 * values, big-endian words in host order, to outValues[0..); outValues needs 12
 * bytes of slack (whole 16-byte stores). Returns the count of values, or REJECTED.
 */
export function vector32(data: usize, dataLen: i32, offsets: usize, from: i32, to: i32, outEnds: usize, outValues: usize, base: i32): i32 {
  // byte order of each 4-byte lane reversed
  const swap = i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  let m: i32 = 0;
  for (let i = from; i < to; i++) {
    const a = load<i32>(offsets + (<usize>i << 2));
    const b = load<i32>(offsets + (<usize>(i + 1) << 2));
    if (!entryOk(a, b, dataLen)) return REJECTED;
    const count = vectorCount(data, a, b);
    const bytes = b - a - 10;
    if (count < 0 || (bytes & 3) != 0 || count != bytes >> 2) return REJECTED;
    // 16 bytes at a time: a load may run past the entry (into later bytes of the
    // basket, or the region the host lays out after it), a store past its values
    // (overwritten by the next entry's, or into the host's slack).
    let p = data + <usize>a + 10;
    let q = outValues + (<usize>m << 2);
    const end = p + <usize>bytes;
    for (; p < end; p += 16, q += 16) v128.store(q, i8x16.swizzle(v128.load(p), swap));
    m += count;
    store<i32>(outEnds + (<usize>(i - from) << 2), base + m);
  }
  return m;
}

// ---------- std::vector<std::string>, interned
//
// The dictionary of distinct strings lives at `dict` (laid out by the host):
//   header: slot mask, count, pool bytes used, pool capacity (4 x i32)
//   slots:  (mask + 1) x i32, a dictionary index + 1, 0 when empty (open addressing)
//   spans:  (mask + 1) / 2 x (start in pool, length), one per dictionary index
//   pool:   the bytes of every distinct value
// The table is kept at most half full, so a probe always ends.

@inline function slotsOf(dict: usize): usize {
  return dict + 16;
}
@inline function spansOf(dict: usize): usize {
  return slotsOf(dict) + ((<usize>load<u32>(dict) + 1) << 2);
}
@inline function poolOf(dict: usize): usize {
  return spansOf(dict) + ((<usize>load<u32>(dict) + 1) << 2);
}

/** A cheap hash: the length and the first and last four bytes (candidates are compared in full). */
@inline function hashBytes(p: usize, len: i32): u32 {
  let h: u32 = <u32>len * 0x9e3779b1;
  if (len >= 4) {
    h ^= load<u32>(p) * 0x85ebca6b;
    h = (h ^ (h >> 15)) * 0x2c1b3c6d;
    h ^= load<u32>(p + <usize>len - 4) * 0xc2b2ae35;
  } else {
    for (let i = 0; i < len; i++) h = (h ^ <u32>load<u8>(p + <usize>i)) * 0x01000193;
  }
  return ((h ^ (h >> 13)) * 0x27d4eb2f) ^ (h >> 16);
}

/**
 * Whether the `len` bytes at p and q are equal. Up to 32 bytes (volume names), with
 * two masked 16-byte compares and no loop whose trip count varies with the length;
 * the loads may read past both strings (the host leaves 32 bytes of slack).
 */
@inline function sameBytes(p: usize, q: usize, len: i32): bool {
  if (len <= 32) {
    const lanes = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const n = i8x16.splat(<i8>len);
    const low = v128.and(v128.xor(v128.load(p), v128.load(q)), i8x16.lt_u(lanes, n));
    const high = v128.and(v128.xor(v128.load(p, 16), v128.load(q, 16)), i8x16.lt_u(i8x16.add(lanes, i8x16.splat(16)), n));
    return !v128.any_true(v128.or(low, high));
  }
  const last = <usize>len - 8;
  for (let z: usize = 0; z < last; z += 8) if (load<u64>(p + z) != load<u64>(q + z)) return false;
  return load<u64>(p + last) == load<u64>(q + last);
}

/** The dictionary index of the `len` bytes at p, added if new; DICTIONARY_FULL if there is no room. */
@inline function intern(dict: usize, p: usize, len: i32): i32 {
  const mask = load<u32>(dict);
  const slots = slotsOf(dict);
  const spans = spansOf(dict);
  const pool = poolOf(dict);
  let slot = hashBytes(p, len) & mask;
  for (;;) {
    const e = load<i32>(slots + (<usize>slot << 2));
    if (e == 0) break;
    const idx = e - 1;
    const span = spans + (<usize>idx << 3);
    if (load<i32>(span, 4) == len && sameBytes(pool + <usize>load<i32>(span), p, len)) return idx;
    slot = (slot + 1) & mask;
  }
  const count = load<i32>(dict, 4);
  const used = load<i32>(dict, 8);
  if (<u32>(count + 1) * 2 > mask + 1 || len > load<i32>(dict, 12) - used) return DICTIONARY_FULL;
  memory.copy(pool + <usize>used, p, <usize>len);
  const span = spans + (<usize>count << 3);
  store<i32>(span, used);
  store<i32>(span, len, 4);
  store<i32>(slots + (<usize>slot << 2), count + 1);
  store<i32>(dict, count + 1, 4);
  store<i32>(dict, used + len, 8);
  return count;
}

/**
 * std::vector<std::string>: entries [from, to) of the basket at `data`. Writes each
 * entry's end (base + strings so far) to outEnds[i - from] and each string's dictionary
 * index to outIndices[0..). Returns the count of strings, REJECTED, or
 * DICTIONARY_FULL (nothing written counts then; grow the dictionary, call again).
 */
export function vectorString(data: usize, dataLen: i32, offsets: usize, from: i32, to: i32, outEnds: usize, outIndices: usize, dict: usize, base: i32): i32 {
  return strings(data, dataLen, offsets, from, to, outEnds, outIndices, dict, base, 0);
}

/**
 * The same as vectorString, but each string's class (one byte) instead of its index,
 * to outClasses[0..). The class table at `classes` is the number of values classified
 * (i32), then the class of each (u8), in dictionary order. Returns UNCLASSIFIED when
 * a value was not classified yet; every value of the slice is in the dictionary then,
 * so the host classifies the new ones and calls once more.
 */
export function vectorStringClasses(data: usize, dataLen: i32, offsets: usize, from: i32, to: i32, outEnds: usize, outClasses: usize, dict: usize, base: i32, classes: usize): i32 {
  return strings(data, dataLen, offsets, from, to, outEnds, outClasses, dict, base, classes);
}

/** Both string kernels; `classes` 0: write indices, else classes (a constant in each, folded away). */
@inline function strings(data: usize, dataLen: i32, offsets: usize, from: i32, to: i32, outEnds: usize, out: usize, dict: usize, base: i32, classes: usize): i32 {
  const classified = classes == 0 ? 0 : load<i32>(classes);
  let unclassified = false;
  let m: i32 = 0;
  for (let i = from; i < to; i++) {
    const a = load<i32>(offsets + (<usize>i << 2));
    const b = load<i32>(offsets + (<usize>(i + 1) << 2));
    if (!entryOk(a, b, dataLen)) return REJECTED;
    const count = vectorCount(data, a, b);
    if (count < 0 || count > b - a - 10) return REJECTED;
    let at = a + 10;
    for (let j = 0; j < count; j++) {
      if (at >= b) return REJECTED;
      let len = <i32>load<u8>(data + <usize>at);
      let start = at + 1;
      if (len == 255) {
        if (b - start < 4) return REJECTED;
        len = <i32>be32(data + <usize>start);
        start += 4;
      }
      if (len < 0 || len > b - start) return REJECTED;
      const idx = intern(dict, data + <usize>start, len);
      if (idx < 0) return idx;
      if (classes == 0) store<i32>(out + (<usize>m << 2), idx);
      else if (idx < classified) store<u8>(out + <usize>m, load<u8>(classes + 4 + <usize>idx));
      else unclassified = true;
      m++;
      at = start + len;
    }
    if (at != b) return REJECTED;
    store<i32>(outEnds + (<usize>(i - from) << 2), base + m);
  }
  return unclassified ? UNCLASSIFIED : m;
}

/** After the host moved spans and pool into a dictionary with a bigger, zeroed slot table: refills the slots. */
export function rehashDictionary(dict: usize): void {
  const mask = load<u32>(dict);
  const count = load<i32>(dict, 4);
  const slots = slotsOf(dict);
  const spans = spansOf(dict);
  const pool = poolOf(dict);
  for (let idx = 0; idx < count; idx++) {
    const span = spans + (<usize>idx << 3);
    let slot = hashBytes(pool + <usize>load<i32>(span), load<i32>(span, 4)) & mask;
    while (load<i32>(slots + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
    store<i32>(slots + (<usize>slot << 2), idx + 1);
  }
}
