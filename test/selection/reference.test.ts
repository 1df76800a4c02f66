import { describe, expect, it } from 'vitest';
import { wallRadius, isSkippedVolume } from '../../src/selection/cuts.js';
import {
  countDecision,
  decideEvent,
  log10Below,
  FV,
  MSSI,
  ROI,
  selectReference,
  VertexCountError,
} from '../../src/selection/reference.js';
import { nextDownF32, nextUpF32 } from '../../src/simulate/float32.js';
import { columnsOf, type TestEvent, type TestVertex } from './events.js';

const decide = (e: TestEvent) => decideEvent(columnsOf([e]), 0);
const f32Up = nextUpF32;
const f32Down = nextDownF32;

function nextFloat64(v: number, dir: 1 | -1): number {
  const f = new Float64Array([v]);
  const bits = new BigInt64Array(f.buffer);
  bits[0]! += BigInt((v > 0 ? 1 : -1) * dir);
  return f[0]!;
}

const tpc = (s1: number, s2: number): TestVertex => ({ volume: 'LiquidXenonTarget', s1, s2 });

describe('wall polynomial', () => {
  it('is Horner over the six coefficients', () => {
    const t = 500;
    const expected =
      ((((-8.14589334e-14 * t + 2.09181587e-10) * t - 2.06758029e-7) * t + 1.01366014e-4) * t - 2.69048354e-2) *
        t +
      7.24276394e1;
    expect(wallRadius(t)).toBe(expected);
    expect(wallRadius(0)).toBe(72.4276394);
  });
});

describe('fiducial volume', () => {
  it('accepts a central event and rejects one outside the wall', () => {
    expect(decide({}) & FV).toBe(FV);
    expect(decide({ x: 80, y: 0 }) & FV).toBe(0);
  });

  it('drift time bounds are strict: exactly 71 and 1030 µs are outside', () => {
    expect(decide({ driftNs: 71_000 }) & FV).toBe(0);
    expect(decide({ driftNs: 1_030_000 }) & FV).toBe(0);
    expect(decide({ driftNs: f32Up(71_000) }) & FV).toBe(FV);
    expect(decide({ driftNs: f32Down(1_030_000) }) & FV).toBe(FV);
    expect(decide({ driftNs: f32Down(71_000) }) & FV).toBe(0);
    expect(decide({ driftNs: f32Up(1_030_000) }) & FV).toBe(0);
  });

  it('r exactly on the wall minus 3 cm is outside; the float64 just inside is inside', () => {
    const t = 400;
    const boundary = wallRadius(t) - 3;
    expect(decide({ x: boundary, y: 0, driftNs: t * 1000 }) & FV).toBe(0);
    expect(decide({ x: nextFloat64(boundary, -1), y: 0, driftNs: t * 1000 }) & FV).toBe(FV);
    expect(decide({ x: 0, y: -boundary, driftNs: t * 1000 }) & FV).toBe(0);
  });

  it('r is sqrt(x*x + y*y) in float64', () => {
    // 3-4-5 scaled: r = 50 exactly.
    expect(decide({ x: 30, y: 40, driftNs: 100_000 }) & FV).toBe(50 < wallRadius(100) - 3 ? FV : 0);
  });

  it('NaN position or drift time is never fiducial', () => {
    expect(decide({ x: NaN }) & FV).toBe(0);
    expect(decide({ driftNs: NaN }) & FV).toBe(0);
    expect(decide({ x: Infinity }) & FV).toBe(0);
  });
});

describe('region of interest', () => {
  it('corrected S1 bounds are strict', () => {
    expect(decide({ s1c: 3 }) & ROI).toBe(0);
    expect(decide({ s1c: 600 }) & ROI).toBe(0);
    expect(decide({ s1c: f32Up(3) }) & ROI).toBe(ROI);
    expect(decide({ s1c: f32Down(600) }) & ROI).toBe(ROI);
  });

  it('log10(corrected S2) < 4.5, on both float32 neighbours of 10^4.5', () => {
    expect(decide({ s2c: 31622.775390625 }) & ROI).toBe(ROI);
    expect(decide({ s2c: 31622.77734375 }) & ROI).toBe(0);
    expect(f32Up(31622.775390625)).toBe(31622.77734375);
  });

  it('raw S2 must exceed 645.25 (the corrected S2 is not what is compared)', () => {
    expect(decide({ s2: 645.25 }) & ROI).toBe(0);
    expect(decide({ s2: f32Up(645.25) }) & ROI).toBe(ROI);
    // The notebook's CUDA bug compared the corrected S2: a small raw S2 with a large corrected one fails.
    expect(decide({ s2: 600, s2c: 5000 }) & ROI).toBe(0);
    expect(decide({ s2: 5000, s2c: 600 }) & ROI).toBe(ROI);
  });

  it('NaN, zero and negative S2 follow IEEE-754', () => {
    expect(decide({ s2c: NaN }) & ROI).toBe(0);
    expect(decide({ s2c: 0 }) & ROI).toBe(ROI); // log10(0) = -inf < 4.5
    expect(decide({ s2c: -1 }) & ROI).toBe(0); // log10(-1) = NaN
    expect(decide({ s2: NaN }) & ROI).toBe(0);
    expect(decide({ s1c: NaN }) & ROI).toBe(0);
  });
});

describe('MSSI vertex count', () => {
  it('counts vertices with S1 photons against those with S2 photons', () => {
    expect(decide({ vertices: [tpc(5, 0)] }) & MSSI).toBe(MSSI);
    expect(decide({ vertices: [tpc(5, 3)] }) & MSSI).toBe(0); // nS1 == nS2
    expect(decide({ vertices: [tpc(5, 3), tpc(1, 0)] }) & MSSI).toBe(MSSI); // 2 > 1
    expect(decide({ vertices: [tpc(0, 3), tpc(1, 0)] }) & MSSI).toBe(0); // 1 == 1
    expect(decide({ vertices: [] }) & MSSI).toBe(0);
  });

  it('skips vertices in volumes whose name contains Skin or Scint (case-sensitive)', () => {
    expect(isSkippedVolume('SideSkinXenon')).toBe(true);
    expect(isSkippedVolume('ScintillatorCenter')).toBe(true);
    expect(isSkippedVolume('skinny')).toBe(false);
    expect(isSkippedVolume('LiquidXenonTarget')).toBe(false);
    const skin = { volume: 'BottomSkinXenon', s1: 10, s2: 0 };
    const scint = { volume: 'ScintillatorCenter', s1: 10, s2: 0 };
    expect(decide({ vertices: [skin, scint] }) & MSSI).toBe(0); // all skipped
    expect(decide({ vertices: [skin, tpc(2, 0)] }) & MSSI).toBe(MSSI);
    expect(decide({ vertices: [{ volume: 'skinXenon', s1: 10, s2: 0 }] }) & MSSI).toBe(MSSI);
  });

  it('only the first nRQMCTruthVertices vertices count', () => {
    expect(decide({ vertices: [tpc(0, 5), tpc(5, 0)], nVertices: 1 }) & MSSI).toBe(0);
    expect(decide({ vertices: [tpc(5, 0), tpc(0, 5)], nVertices: 1 }) & MSSI).toBe(MSSI);
  });

  it('a vertex count larger than the vectors is an error naming the entry and branch', () => {
    const c = columnsOf([{}, { vertices: [tpc(1, 0)], nVertices: 3 }]);
    expect(() => selectReference(c)).toThrow(VertexCountError);
    expect(() => selectReference(c)).toThrow(/entry 1: nRQMCTruthVertices is 3 .*volumeName has only 1/);
  });

  it('photon counts compare strictly with zero', () => {
    expect(decide({ vertices: [tpc(0.5, 0)] }) & MSSI).toBe(MSSI);
    expect(decide({ vertices: [tpc(-1, -1)] }) & MSSI).toBe(0);
  });
});

describe('log10Below (log10 is skipped far from 10^4.5)', () => {
  const exact = (v: number) => Math.log10(v) < 4.5;

  it('equals Math.log10(v) < 4.5 on every float64 within 4096 ulps of the shortcut bounds and of 10^4.5', () => {
    for (const centre of [10 ** 4.5 * (1 - 2e-6), 10 ** 4.5 * (1 + 2e-6), 10 ** 4.5, 31622.775390625, 31622.77734375]) {
      let up = centre;
      let down = centre;
      for (let k = 0; k < 4096; k++) {
        expect(log10Below(up)).toBe(exact(up));
        expect(log10Below(down)).toBe(exact(down));
        up = nextFloat64(up, 1);
        down = nextFloat64(down, -1);
      }
    }
  });

  it('equals it on special values and across magnitudes', () => {
    const specials = [0, -0, NaN, Infinity, -Infinity, -1, -31622.7, Number.MIN_VALUE, Number.MAX_VALUE, 1e-300, 1, 31622, 31622.7, 31622.85, 31623];
    for (const v of specials) expect(log10Below(v)).toBe(exact(v));
    let seed = 12345;
    for (let i = 0; i < 200_000; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const v = 31622.776 * (1 + ((seed / 2 ** 32) - 0.5) * 2 ** -(i % 40));
      expect(log10Below(v)).toBe(exact(v));
    }
  });
});

describe('six counts', () => {
  it('counts a hand-worked set of events', () => {
    const events: TestEvent[] = [
      {}, // FV ROI, not MSSI
      { vertices: [tpc(3, 0)] }, // FV ROI MSSI
      { vertices: [tpc(3, 0)], s1c: 700 }, // FV MSSI, not ROI
      { vertices: [tpc(3, 0)], x: 100 }, // MSSI only (ROI but not FV)
      { x: 100 }, // nothing
      { driftNs: 50_000, vertices: [tpc(1, 0), tpc(1, 1)] }, // MSSI only
    ];
    expect(selectReference(columnsOf(events))).toEqual({
      nSS: 6,
      nSSFV: 3,
      nSSFVROI: 2,
      nMSSI: 4,
      nMSSIFV: 2,
      nMSSIFVROI: 1,
    });
  });

  it('ROI without FV is not counted in FV ROI', () => {
    expect(selectReference(columnsOf([{ x: 100 }]))).toMatchObject({ nSSFV: 0, nSSFVROI: 0 });
  });

  it('gives the same counts from float32 columns as from their float64 widening', () => {
    const events: TestEvent[] = Array.from({ length: 200 }, (_, i) => ({
      x: (i % 37) * 2.1,
      y: (i % 11) * 3.3,
      driftNs: 40_000 + i * 5_500,
      s1c: (i * 7) % 650,
      s2c: 500 + ((i * 977) % 40_000),
      s2: 500 + ((i * 131) % 1000),
      vertices: i % 3 === 0 ? [tpc(1, 0)] : [],
    }));
    const f64 = columnsOf(events.map((e) => mapF32(e)));
    const f32 = columnsOf(events, true);
    expect(selectReference(f32)).toEqual(selectReference(f64));
  });

  it('selectReference adds up exactly what decideEvent decides, event by event', () => {
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const events: TestEvent[] = Array.from({ length: 5000 }, () => ({
      x: pick([0, 10, 50, 68, 70, NaN]) + rand(),
      y: pick([0, 5, 30, -60]) + rand(),
      driftNs: pick([70_000, 71_000, 500_000, 1_029_999, 1_030_000, NaN]) + rand() * 10,
      s1c: pick([2.9, 3, 3.1, 300, 599.99, 600, 601, NaN]),
      s2c: pick([0, -1, 1000, 31622.7, 31622.77734375, 31622.775390625, 40_000, NaN]),
      s2: pick([645, 645.25, 646, 5000, NaN]),
      vertices: Array.from({ length: Math.floor(rand() * 5) }, () => ({
        volume: pick(['LiquidXenonTarget', 'SideSkinXenon', 'ScintillatorCenter', 'GaseousXenon']),
        s1: pick([0, 1, 5, -1]),
        s2: pick([0, 1, 3]),
      })),
    }));
    const c = columnsOf(events);
    const expected = { nSS: events.length, nSSFV: 0, nSSFVROI: 0, nMSSI: 0, nMSSIFV: 0, nMSSIFVROI: 0 };
    for (let i = 0; i < events.length; i++) countDecision(expected, decideEvent(c, i));
    expect(selectReference(c)).toEqual(expected);
    expect(expected.nMSSIFVROI).toBeGreaterThan(0);
  });

  it('counts a sub-range', () => {
    const c = columnsOf([{}, { x: 100 }, {}]);
    expect(selectReference(c, 1, 3)).toMatchObject({ nSS: 2, nSSFV: 1 });
  });
});

function mapF32(e: TestEvent): TestEvent {
  const r = (v: number | undefined) => (v === undefined ? undefined : Math.fround(v));
  return { ...e, x: r(e.x), y: r(e.y), driftNs: r(e.driftNs), s1c: r(e.s1c), s2c: r(e.s2c), s2: r(e.s2) };
}
