// A small, fast, seedable PRNG (xoshiro128**), so that the same seed and source
// give the same events on every machine and Node version. Never Math.random.

/** 32-bit FNV-1a of a string, to turn a source name into seed material. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** splitmix32: expands one 32-bit seed into well-mixed state words. */
export function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Normals come in pairs; the second is kept for the next call. */
  private spareNormal = NaN;

  /** A generator for (seed, stream): different streams (e.g. source names) are independent. */
  constructor(seed: number, stream = '') {
    const mix = splitmix32(hashString(stream, (seed >>> 0) ^ 0x811c9dc5) ^ Math.imul(seed >>> 0, 0x9e3779b1));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1; // the all-zero state is a fixed point
  }

  /** Next uniform 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits (plenty for simulation; one draw per call). */
  uniform(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform in (0, 1]: safe for log(). */
  uniformPositive(): number {
    return (this.nextU32() + 1) / TWO_POW_32;
  }

  /** Uniform integer in [0, n), n <= 2^32. */
  int(n: number): number {
    return Math.floor((this.nextU32() / TWO_POW_32) * n);
  }

  /** Standard normal (Marsaglia's polar method: no trigonometry, one log per pair). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.uniformPositive());
  }

  /** Poisson count; normal approximation above 12 (the generators never need exact tails there). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 12) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  /** Index picked from cumulative weights (last element = total). */
  pick(cumulative: Float64Array): number {
    const u = this.uniform() * cumulative[cumulative.length - 1]!;
    let i = 0;
    while (i < cumulative.length - 1 && u >= cumulative[i]!) i++;
    return i;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
