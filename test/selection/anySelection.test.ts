// The CPU selection (the float64 reference and the WebAssembly kernel) under
// selections other than the default: the same counts and decision bits as
// SELECTION.md written out plainly (aroundCuts.ts), on events drawn around every cut.
import { describe, expect, it } from 'vitest';
import { compileSelection, wallRadius } from '../../src/selection/compiled.js';
import { DEFAULT_SELECTION, type Selection } from '../../src/selection/definition.js';
import { decideEvent, selectReference } from '../../src/selection/reference.js';
import { selectCpu } from '../../src/selection/wasmSelect.js';
import { countIndependently, decideIndependently, eventsAround, randomSelection, rng, ulps } from './aroundCuts.js';

const SPECIAL_T = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1e-300, -3.5, 1e-320, 71, 500.25, 1030, 1e300, -1e300];

describe('the wall polynomial padded with leading zeros', () => {
  it('gives the same float64 as without them, for every t (NaN and infinities too)', () => {
    const next = rng(7);
    const polys = [DEFAULT_SELECTION.fv.wallPoly, [72], [0], [-0], [1, 0], [0.5, -2, 0, 3], ...Array.from({ length: 20 }, () => randomSelection(next).fv.wallPoly)];
    for (const poly of polys) {
      for (let zeros = 1; zeros <= 17 - poly.length; zeros++) {
        const padded = [...Array<number>(zeros).fill(0), ...poly];
        for (const t of [...SPECIAL_T, ...Array.from({ length: 20 }, () => (next() - 0.2) * 1500)]) {
          expect(Object.is(wallRadius(padded, t), wallRadius(poly, t)), `${poly} at ${t} with ${zeros} zeros`).toBe(true);
        }
      }
    }
  });

  it('the kernel gives the same counts and bits through its 6-term and its 17-term Horner (a short polynomial, padded past 6 terms)', () => {
    const next = rng(11);
    const c = eventsAround(DEFAULT_SELECTION, 20_000, next);
    // some events with drift times whose P(t) is NaN or infinite
    const drift = c.driftTime_ns as Float64Array;
    for (let i = 0; i < 300; i++) drift[i] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][i % 3]!;
    const long: Selection = { ...DEFAULT_SELECTION, fv: { ...DEFAULT_SELECTION.fv, wallPoly: [0, 0, 0, ...DEFAULT_SELECTION.fv.wallPoly] } };
    const short = new Uint8Array(c.entries);
    const padded = new Uint8Array(c.entries);
    const counts = selectCpu(c, DEFAULT_SELECTION, short);
    expect(selectCpu(c, long, padded)).toEqual(counts);
    expect(padded).toEqual(short);
    expect(counts).toEqual(countIndependently(c, DEFAULT_SELECTION));
  });
});

describe('any selection within sane ranges', () => {
  const selections = Array.from({ length: 30 }, (_, i) => randomSelection(rng(1000 + i)));

  it.each(selections.map((s, i) => [i, s.fv.wallPoly.length - 1, s] as const))(
    'selection %i (wall degree %i): selectCpu == selectReference == SELECTION.md, counts and bits, float64 and float32 columns',
    (i, _degree, s) => {
      for (const float32 of [false, true]) {
        const c = eventsAround(s, 4000, rng(i), float32);
        const expected = countIndependently(c, s);
        const expectedBits = Uint8Array.from({ length: c.entries }, (_, e) => decideIndependently(c, e, s));
        // every cut is met by some events on each side (the test can fail)
        expect(expected.nSSFV).toBeGreaterThan(0);
        expect(expected.nSSFV).toBeLessThan(c.entries);
        expect(expected.nSSFVROI).toBeGreaterThan(0);
        const bits = new Uint8Array(c.entries);
        expect(selectCpu(c, s)).toEqual(expected);
        expect(selectCpu(c, s, bits)).toEqual(expected);
        expect(bits).toEqual(expectedBits);
        const refBits = new Uint8Array(c.entries);
        expect(selectReference(c, 0, c.entries, s, refBits)).toEqual(expected);
        expect(refBits).toEqual(expectedBits);
        for (let e = 0; e < 200; e++) expect(decideEvent(c, e, s)).toBe(expectedBits[e]);
      }
    },
  );

  it('the events sit on the cuts: some are one float64 step either side of one', () => {
    const s = selections[0]!;
    const c = eventsAround(s, 4000, rng(0));
    const s1 = Array.from(c.correctedS1Area_phd);
    expect(s1).toContain(ulps(s.roi.cs1Phd[1], 1));
    expect(s1).toContain(ulps(s.roi.cs1Phd[1], -1));
    expect(s1).toContain(s.roi.cs1Phd[0]);
  });

  it('a selection and the kernel: one selection after another in the same process gives each its own counts', () => {
    const [a, b] = [selections[1]!, selections[2]!];
    const c = eventsAround(a, 3000, rng(5));
    const first = selectCpu(c, a);
    expect(selectCpu(c, b)).toEqual(countIndependently(c, b));
    expect(selectCpu(c, a)).toEqual(first);
  });

  it('the log10 shortcut bounds hold for the extremes of the allowed range', () => {
    for (const max of [-300, -12.5, 0, 4.5, 300]) {
      const cs = compileSelection({ ...DEFAULT_SELECTION, roi: { ...DEFAULT_SELECTION.roi, log10Cs2Max: max } });
      expect(Math.log10(cs.s2cSurelyBelow)).toBeLessThan(max);
      expect(Math.log10(cs.s2cSurelyAbove)).toBeGreaterThan(max);
    }
  });
});

describe('bits from selectCpu', () => {
  it('are FV=1, ROI=2 (regardless of FV), MSSI=4, and leave the counts as they are', () => {
    const c = eventsAround(DEFAULT_SELECTION, 10_000, rng(3));
    const bits = new Uint8Array(c.entries);
    const counts = selectCpu(c, DEFAULT_SELECTION, bits);
    expect(counts).toEqual(selectCpu(c, DEFAULT_SELECTION));
    let roiOutsideFv = 0;
    for (let i = 0; i < c.entries; i++) {
      expect(bits[i]).toBe(decideEvent(c, i));
      if ((bits[i]! & 3) === 2) roiOutsideFv++;
    }
    expect(roiOutsideFv).toBeGreaterThan(0);
    expect(bits.filter((b) => (b & 1) !== 0).length).toBe(counts.nSSFV);
  });

  it('refuses a bits array shorter than the events', () => {
    const c = eventsAround(DEFAULT_SELECTION, 10, rng(3));
    expect(() => selectCpu(c, DEFAULT_SELECTION, new Uint8Array(9))).toThrow(RangeError);
  });
});
