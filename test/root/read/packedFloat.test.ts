// Double32_t / Float16_t: which encoding a title means (ROOT's rule), and the
// decoding of each encoding, checked on bytes worked out by hand from the spec.
import { describe, expect, it } from 'vitest';
import { decodePacked, elementFactorOf, packedBytes, packedFloatOf, type PackedFloat } from '../../../src/root/read/packedFloat.js';

describe('packedFloatOf: a title to its encoding, as ROOT reads it', () => {
  const cases: [string, 'Double32_t' | 'Float16_t', PackedFloat | RegExp][] = [
    ['d[-2.71,10,32]', 'Double32_t', { encoding: 'scaled', low: -2.71, high: 10, nbits: 32 }],
    ['f[-2.71,10,5]', 'Float16_t', { encoding: 'scaled', low: -2.71, high: 10, nbits: 5 }],
    // no bit count: 32 bits; a bit count out of 2..32: 32 bits
    ['[0,10.22]', 'Double32_t', { encoding: 'scaled', low: 0, high: 10.22, nbits: 32 }],
    ['[0,1,40]', 'Double32_t', { encoding: 'scaled', low: 0, high: 1, nbits: 32 }],
    ['[0,1,1]', 'Double32_t', { encoding: 'scaled', low: 0, high: 1, nbits: 32 }],
    // a first bracket without a comma is a dimension: the range is the next one
    ['fQ[fN] [-1, 1, 8] charge', 'Double32_t', { encoding: 'scaled', low: -1, high: 1, nbits: 8 }],
    ['x[3]/d[0,100,10]', 'Double32_t', { encoding: 'scaled', low: 0, high: 100, nbits: 10 }],
    ['[-pi,pi,16]', 'Double32_t', { encoding: 'scaled', low: -Math.PI, high: Math.PI, nbits: 16 }],
    ['[-Pi/2, 2*pi]', 'Float16_t', { encoding: 'scaled', low: -Math.PI / 2, high: 2 * Math.PI, nbits: 32 }],
    // [0,0,nbits]: the mantissa cut to nbits below 15 bits, else the no-range encoding
    ['[0,0,8]', 'Double32_t', { encoding: 'truncated', nbits: 8 }],
    ['[0,0,14]', 'Float16_t', { encoding: 'truncated', nbits: 14 }],
    ['d[0,0,32]', 'Double32_t', { encoding: 'float' }],
    ['f[0,0,16]', 'Float16_t', { encoding: 'truncated', nbits: 12 }],
    ['[0,0]', 'Double32_t', { encoding: 'float' }],
    // no range at all
    ['', 'Double32_t', { encoding: 'float' }],
    ['a plain comment', 'Float16_t', { encoding: 'truncated', nbits: 12 }],
    ['[3] a fixed array', 'Double32_t', { encoding: 'float' }],
    // what ROOT would read another way than the title says, or than uproot does: refused
    ['[10,0]', 'Double32_t', /empty range \[10,0\]/],
    ['[1,1,8]', 'Float16_t', /empty range \[1,1\]/],
    ['[0,3*pi]', 'Double32_t', /bound ROOT and uproot may read differently/],
    ['[0,1e]', 'Double32_t', /bound/],
    ['[,5]', 'Double32_t', /bound/],
  ];
  for (const [title, type, want] of cases) {
    it(`${type} '${title}'`, () => {
      const got = packedFloatOf(type, title);
      if (want instanceof RegExp) {
        expect('refused' in got ? got.refused : `read as ${JSON.stringify(got)}`).toMatch(want);
      } else {
        expect(got).toEqual(want);
      }
    });
  }

  it("gives the factor and xmin ROOT's streamer element holds for it", () => {
    expect(elementFactorOf({ encoding: 'scaled', low: 0, high: 8, nbits: 8 })).toEqual({ factor: 32, xmin: 0 });
    expect(elementFactorOf({ encoding: 'scaled', low: -1, high: 1, nbits: 32 })).toEqual({ factor: 0xffffffff / 2, xmin: -1 });
    expect(elementFactorOf({ encoding: 'truncated', nbits: 10 })).toEqual({ factor: 0, xmin: 10 });
    expect(elementFactorOf({ encoding: 'float' })).toEqual({ factor: 0, xmin: 0 });
  });
});

describe('decodePacked', () => {
  const bytes = (...b: number[]) => new DataView(Uint8Array.from(b).buffer);

  it('a plain float: 40 20 00 00 is 2.5', () => {
    const out = new Float64Array(2);
    decodePacked({ encoding: 'float' }, bytes(0x40, 0x20, 0, 0, 0xbf, 0x80, 0, 0), 0, 2, out, 0);
    expect(Array.from(out)).toEqual([2.5, -1]);
    expect(packedBytes({ encoding: 'float' })).toBe(4);
  });

  it('a scaled integer: [0,100,10] stores 50 as 512 (50 x 1024/100)', () => {
    const p: PackedFloat = { encoding: 'scaled', low: 0, high: 100, nbits: 10 };
    const d = new Float64Array(3);
    decodePacked(p, bytes(0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xff), 0, 3, d, 0);
    expect(Array.from(d)).toEqual([50, 0, 1023 * (100 / 1024)]);
    // Float16_t: the same in float32 arithmetic, as uproot does it
    const f = new Float32Array(1);
    decodePacked({ encoding: 'scaled', low: -2.71, high: 10, nbits: 5 }, bytes(0, 0, 0, 3), 0, 1, f, 0);
    expect(f[0]).toBe(Math.fround(Math.fround(3 * Math.fround(12.71 / 32)) + Math.fround(-2.71)));
  });

  it('a truncated mantissa: exponent byte, then mantissa with the sign above it', () => {
    // 12 bits: 7f 08 00 is 1.5 (mantissa bit 11 = the first fraction bit)
    const out = new Float32Array(3);
    decodePacked({ encoding: 'truncated', nbits: 12 }, bytes(0x7f, 0x08, 0x00, 0x80, 0x00, 0x00, 0x80, 0x20, 0x00), 0, 3, out, 0);
    expect(Array.from(out)).toEqual([1.5, 2, -2]);
    // 8 bits: 80 00 c0 is 3.5 (exponent 128 = 2, mantissa 0xc0 >> 1 = 1.75)
    const d = new Float64Array(1);
    decodePacked({ encoding: 'truncated', nbits: 8 }, bytes(0x80, 0x00, 0xc0), 0, 1, d, 0);
    expect(d[0]).toBe(3.5);
    expect(packedBytes({ encoding: 'truncated', nbits: 8 })).toBe(3);
  });

  it('writes from the given offsets', () => {
    const out = new Float64Array([9, 9, 9]);
    decodePacked({ encoding: 'float' }, bytes(0xff, 0x40, 0x20, 0, 0), 1, 1, out, 2);
    expect(Array.from(out)).toEqual([9, 9, 2.5]);
  });
});
