// Double32_t and Float16_t: floating-point numbers packed into fewer bits on
// disk, the packing named in a title (a TLeafD32/TLeafF16's, or a streamer
// element's): "[xmin,xmax]" or "[xmin,xmax,nbits]".
//
// Which encoding a title means is ROOT's rule (TStreamerElement's GetRange and
// TBufferFile::ReadWithFactor/ReadWithNbits), since ROOT wrote the bytes with it:
//   xmin < xmax       an unsigned 32-bit integer scaled onto [xmin, xmax) (nbits 32 when not given)
//   [0,0,nbits < 15]  a float with its mantissa cut to nbits: 1 exponent byte + 2 mantissa bytes
//   anything else     Double32_t: a plain float; Float16_t: the mantissa cut to 12 bits
// The arithmetic of the scaled case is uproot's (interpretation/numerical.py,
// AsDouble32/AsFloat16), so every value is bit for bit the one uproot gives.
// Titles whose meaning is in doubt (an empty range, an unusual bound) are refused.

/** How a Double32_t or Float16_t value is stored. */
export type PackedFloat =
  /** a float32 on disk, widened (Double32_t without a range) */
  | { readonly encoding: 'float' }
  /** an unsigned 32-bit integer u, the value u * (high - low) / 2^nbits + low */
  | { readonly encoding: 'scaled'; readonly low: number; readonly high: number; readonly nbits: number }
  /** a float32 with its mantissa cut to nbits: exponent byte, then 16 bits of mantissa and sign */
  | { readonly encoding: 'truncated'; readonly nbits: number };

export type PackedFloatType = 'Double32_t' | 'Float16_t';

/** The packing of a Double32_t/Float16_t whose title is `title`, or why it is refused. */
export function packedFloatOf(type: PackedFloatType, title: string): PackedFloat | { readonly refused: string } {
  const range = rangeOf(title);
  if (range !== null && 'refused' in range) return range;
  if (range !== null) {
    const { xmin, xmax, nbits } = range;
    if (xmin < xmax) return { encoding: 'scaled', low: xmin, high: xmax, nbits };
    if (xmin !== 0 || xmax !== 0) return { refused: `${type} with the empty range [${xmin},${xmax}] in its title '${title}'` };
    if (nbits < 15) return { encoding: 'truncated', nbits };
  }
  return type === 'Double32_t' ? { encoding: 'float' } : { encoding: 'truncated', nbits: 12 };
}

/** Bytes of one value on disk. */
export function packedBytes(p: PackedFloat): 3 | 4 {
  return p.encoding === 'truncated' ? 3 : 4;
}

/** The packing in words, for `inspect`. */
export function describePacked(p: PackedFloat): string {
  switch (p.encoding) {
    case 'float':
      return 'stored as float';
    case 'scaled':
      return `range [${p.low},${p.high}], ${p.nbits} bits`;
    case 'truncated':
      return `${p.nbits}-bit mantissa`;
  }
}

/**
 * The factor ROOT's streamer element holds for this packing (TStreamerElement::GetFactor),
 * and the xmin it reads as the bit count when there is no factor: what a reader of the
 * element (jsroot) found, to check against the title.
 */
export function elementFactorOf(p: PackedFloat): { factor: number; xmin: number } {
  switch (p.encoding) {
    case 'float':
      return { factor: 0, xmin: 0 };
    case 'scaled':
      return { factor: (p.nbits < 32 ? 2 ** p.nbits : 0xffffffff) / (p.high - p.low), xmin: p.low };
    case 'truncated':
      return { factor: 0, xmin: p.nbits };
  }
}

interface Range {
  xmin: number;
  xmax: number;
  nbits: number;
}

/**
 * The "[xmin,xmax(,nbits)]" of a title, found as ROOT finds it: the first bracket, or
 * the second when the first holds no comma (a dimension such as "[3]" or "[fN]").
 * Null when there is none.
 */
function rangeOf(title: string): Range | null | { refused: string } {
  let left = title.indexOf('[');
  if (left < 0) return null;
  let right = title.indexOf(']', left);
  if (right < 0) return null;
  let comma = title.indexOf(',', left);
  if (comma < 0 || comma > right) {
    left = title.indexOf('[', right);
    if (left < 0) return null;
    right = title.indexOf(']', left);
    if (right < 0) return null;
    comma = title.indexOf(',', left);
    if (comma < 0 || comma > right) return null;
  }
  let comma2 = title.indexOf(',', comma + 1);
  if (comma2 > right) comma2 = -1;
  let nbits = 32;
  if (comma2 >= 0) {
    const m = /^\s*([+-]?\d+)/.exec(title.slice(comma2 + 1, right));
    if (m) nbits = Number.parseInt(m[1]!, 10);
    if (!(nbits >= 2 && nbits <= 32)) nbits = 32; // as ROOT (and uproot) do
    right = comma2;
  }
  const xmin = boundOf(title.slice(left + 1, comma));
  const xmax = boundOf(title.slice(comma + 1, right));
  if (xmin === null || xmax === null) {
    return { refused: `range '${title.slice(left, title.indexOf(']', left) + 1)}' in the title '${title}' has a bound ROOT and uproot may read differently` };
  }
  return { xmin, xmax, nbits };
}

const PI_FORMS: Record<string, number> = {
  pi: Math.PI,
  '2pi': 2 * Math.PI,
  '2*pi': 2 * Math.PI,
  twopi: 2 * Math.PI,
  'pi/2': Math.PI / 2,
  'pi/4': Math.PI / 4,
};

/** A range bound: a decimal number, or one of the forms of pi ROOT knows; null for anything else. */
function boundOf(text: string): number | null {
  const s = text.toLowerCase().replace(/ /g, '');
  if (s.includes('pi')) {
    const neg = s.startsWith('-');
    const v = PI_FORMS[neg ? s.slice(1) : s];
    return v === undefined ? null : neg ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}

// float32 <-> its bits, for the truncated encoding
const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/**
 * Decodes `n` packed values starting at byte `at` of `view` into `dst[dstAt..]`: a
 * Float64Array for Double32_t, a Float32Array for Float16_t (which uproot computes in
 * float32 arithmetic, as here).
 */
export function decodePacked(p: PackedFloat, view: DataView, at: number, n: number, dst: Float64Array | Float32Array, dstAt: number): void {
  const single = dst instanceof Float32Array;
  switch (p.encoding) {
    case 'float':
      for (let i = 0; i < n; i++) dst[dstAt + i] = view.getFloat32(at + 4 * i);
      return;
    case 'scaled': {
      const scale = (p.high - p.low) / 2 ** p.nbits;
      if (single) {
        const s = Math.fround(scale);
        const low = Math.fround(p.low);
        for (let i = 0; i < n; i++) dst[dstAt + i] = Math.fround(Math.fround(view.getUint32(at + 4 * i)) * s) + low;
      } else {
        const low = p.low;
        for (let i = 0; i < n; i++) dst[dstAt + i] = view.getUint32(at + 4 * i) * scale + low;
      }
      return;
    }
    case 'truncated': {
      const nb = p.nbits;
      const mask = (1 << (nb + 1)) - 1;
      const sign = 1 << (nb + 1);
      for (let i = 0; i < n; i++) {
        const q = at + 3 * i;
        const exponent = view.getUint8(q);
        const mantissa = view.getUint16(q + 1);
        bits[0] = (exponent << 23) | ((mantissa & mask) << (23 - nb));
        const v = asFloat[0]!;
        dst[dstAt + i] = mantissa & sign ? -v : v;
      }
      return;
    }
  }
}
