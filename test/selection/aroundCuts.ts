// For tests of selections other than the default: random selections within sane
// ranges, events drawn around every one of a selection's cuts (a few float64 steps
// either side, exactly on, specials), and the decision of SELECTION.md written out
// plainly (Math.log10 on every event, a plain loop for P(t)): an independent
// float64 reference to check reference.ts and the kernel against.
import { isSkippedVolume } from '../../src/selection/compiled.js';
import { DEFAULT_SELECTION, type Selection } from '../../src/selection/definition.js';
import type { EventColumns } from '../../src/selection/types.js';

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const view = new DataView(new ArrayBuffer(8));
/** x moved by k float64 steps (k < 0: down). */
export function ulps(x: number, k: number): number {
  if (!Number.isFinite(x) || k === 0) return x;
  let v = x;
  for (let i = 0; i < Math.abs(k); i++) {
    if (v === 0) {
      v = k > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
      continue;
    }
    view.setFloat64(0, v);
    const bits = view.getBigInt64(0);
    view.setBigInt64(0, (v > 0) === k > 0 ? bits + 1n : bits - 1n);
    v = view.getFloat64(0);
  }
  return v;
}

export const VOLUMES = ['LiquidXenonTarget', 'SideSkinXenon', 'ScintillatorCenter', 'TopPMTs', 'VetoTank', 'ReverseFieldRegion'];
const SUBSTRINGS = ['Skin', 'Scint', 'PMT', 'Veto', 'Xenon'];

/** A random selection within sane ranges: drift, wall polynomial of any degree 0-16, ROI, substrings. */
export function randomSelection(next: () => number): Selection {
  const between = (a: number, b: number) => a + (b - a) * next();
  const driftLow = between(0, 200);
  const degree = Math.floor(next() * 17);
  // P(t) about 50-80 cm over t in [0, 1100] us: each term at most ~10 cm there
  const wallPoly = Array.from({ length: degree + 1 }, (_, i) => {
    const power = degree - i;
    return power === 0 ? between(50, 80) : between(-10, 10) / 1100 ** power;
  });
  const cs1Low = between(0, 10);
  const substrings = SUBSTRINGS.filter(() => next() < 0.5);
  return {
    ...DEFAULT_SELECTION,
    fv: { driftUs: [driftLow, driftLow + between(10, 1000)], wallPoly, wallStandoffCm: between(0, 5) },
    roi: { cs1Phd: [cs1Low, cs1Low + between(5, 600)], log10Cs2Max: between(3, 5), s2RawMinPhd: between(100, 1000) },
    vertices: { skipVolumeSubstrings: substrings },
  };
}

const wallOf = (poly: readonly number[], t: number) => {
  let acc = 0;
  for (const c of poly) acc = acc * t + c;
  return acc;
};

/** FV | ROI | MSSI of event i, as SELECTION.md states it, for selection `s` (vertexSkipped already by s's substrings). */
export function decideIndependently(c: EventColumns, i: number, s: Selection): number {
  const x = c.x_cm[i]!;
  const y = c.y_cm[i]!;
  const t = c.driftTime_ns[i]! / 1000;
  const r = Math.sqrt(x * x + y * y);
  const fv = r < wallOf(s.fv.wallPoly, t) - s.fv.wallStandoffCm && s.fv.driftUs[0] < t && t < s.fv.driftUs[1];
  const s1c = c.correctedS1Area_phd[i]!;
  const roi = s.roi.cs1Phd[0] < s1c && s1c < s.roi.cs1Phd[1] && Math.log10(c.correctedS2Area_phd[i]!) < s.roi.log10Cs2Max && c.s2Area_phd[i]! > s.roi.s2RawMinPhd;
  const n = Math.max(0, Math.trunc(c.nRQMCTruthVertices[i]!) || 0);
  let nS1 = 0;
  let nS2 = 0;
  for (let j = 0; j < n; j++) {
    if (c.vertexSkipped.values[c.vertexSkipped.offsets[i]! + j] === 1) continue;
    if (c.detectedS1Photons.values[c.detectedS1Photons.offsets[i]! + j]! > 0) nS1++;
    if (c.detectedS2Photons.values[c.detectedS2Photons.offsets[i]! + j]! > 0) nS2++;
  }
  return (fv ? 1 : 0) | (roi ? 2 : 0) | (nS1 > nS2 ? 4 : 0);
}

/** The six counts from decideIndependently. */
export function countIndependently(c: EventColumns, s: Selection) {
  const counts = { nSS: c.entries, nSSFV: 0, nSSFVROI: 0, nMSSI: 0, nMSSIFV: 0, nMSSIFVROI: 0 };
  for (let i = 0; i < c.entries; i++) {
    const b = decideIndependently(c, i, s);
    const fv = (b & 1) !== 0;
    const fr = fv && (b & 2) !== 0;
    const m = (b & 4) !== 0;
    counts.nSSFV += +fv;
    counts.nSSFVROI += +fr;
    counts.nMSSI += +m;
    counts.nMSSIFV += +(m && fv);
    counts.nMSSIFVROI += +(m && fr);
  }
  return counts;
}

/**
 * `n` events for selection `s`: each one a good event (inside every cut) with one
 * variable put near one of the cuts (k float64 steps from it, k in -2..2; for S2c
 * also near the bounds of the log10 shortcut), or set to a special value.
 */
export function eventsAround(s: Selection, n: number, next: () => number, float32 = false): EventColumns {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const k = () => pick([-2, -1, 0, 1, 2]);
  const [tLow, tHigh] = s.fv.driftUs;
  const [s1Low, s1High] = s.roi.cs1Phd;
  const atCut = 10 ** s.roi.log10Cs2Max;
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1];
  const cols = { x: [] as number[], y: [] as number[], t: [] as number[], s2: [] as number[], s1c: [] as number[], s2c: [] as number[] };
  const nv: number[] = [];
  const vertices: { volume: string; s1: number; s2: number }[][] = [];
  for (let i = 0; i < n; i++) {
    const tUs = tLow + (tHigh - tLow) * (0.05 + 0.9 * next());
    const e = { x: 1, y: 1, t: tUs * 1000, s2: s.roi.s2RawMinPhd * 2, s1c: (s1Low + s1High) / 2, s2c: atCut / 3 };
    switch (Math.floor(next() * 8)) {
      case 0:
        e.t = ulps(pick([tLow, tHigh]) * 1000, k());
        break;
      case 1:
      case 2: {
        const b = wallOf(s.fv.wallPoly, e.t / 1000) - s.fv.wallStandoffCm;
        const angle = next() < 0.5 ? 0 : next() * 2 * Math.PI;
        e.x = ulps(b * Math.cos(angle), k());
        e.y = angle === 0 ? 0 : ulps(b * Math.sin(angle), k());
        break;
      }
      case 3:
        e.s1c = ulps(pick([s1Low, s1High]), k());
        break;
      case 4:
        e.s2c = ulps(pick([atCut, atCut * (1 - 2e-6), atCut * (1 + 2e-6), atCut * (1 - 1e-15), atCut * (1 + 1e-15)]), k());
        break;
      case 5:
        e.s2 = ulps(s.roi.s2RawMinPhd, k());
        break;
      case 6: {
        const key = pick(['x', 'y', 't', 's2', 's1c', 's2c'] as const);
        e[key] = pick(specials);
        break;
      }
      default:
        // anywhere: inside or outside
        e.x = (next() - 0.5) * 200;
        e.y = (next() - 0.5) * 200;
        e.t = next() * 1.2e6;
        e.s1c = next() * 700;
        e.s2c = 10 ** (2 + 4 * next());
        e.s2 = next() * 2000;
    }
    for (const key of Object.keys(cols) as (keyof typeof cols)[]) cols[key].push(e[key]);
    const vs = Array.from({ length: Math.floor(next() * 5) }, () => ({ volume: pick(VOLUMES), s1: pick([0, 1, 5, -1, Number.NaN]), s2: pick([0, 1, 3, -2]) }));
    vertices.push(vs);
    nv.push(next() < 0.05 ? pick([-1, 0]) : vs.length);
  }
  const scalar = (xs: number[]) => (float32 ? Float32Array.from(xs) : Float64Array.from(xs));
  const jagged = <T extends Float64Array | Uint8Array>(make: (k: number) => T, value: (v: { volume: string; s1: number; s2: number }) => number) => {
    const offsets = new Int32Array(n + 1);
    const flat: number[] = [];
    vertices.forEach((vs, i) => {
      for (const v of vs) flat.push(value(v));
      offsets[i + 1] = flat.length;
    });
    const values = make(flat.length);
    values.set(flat);
    return { offsets, values };
  };
  return {
    entries: n,
    x_cm: scalar(cols.x),
    y_cm: scalar(cols.y),
    driftTime_ns: scalar(cols.t),
    s2Area_phd: scalar(cols.s2),
    correctedS1Area_phd: scalar(cols.s1c),
    correctedS2Area_phd: scalar(cols.s2c),
    nRQMCTruthVertices: Int32Array.from(nv),
    vertexSkipped: jagged((k) => new Uint8Array(k), (v) => (isSkippedVolume(v.volume, s.vertices.skipVolumeSubstrings) ? 1 : 0)),
    detectedS1Photons: jagged((k) => new Float64Array(k), (v) => v.s1),
    detectedS2Photons: jagged((k) => new Float64Array(k), (v) => v.s2),
  };
}
