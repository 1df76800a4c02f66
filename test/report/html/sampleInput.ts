// A realistic HtmlReportInput built by hand: ten sources named as the fixtures'
// files, each with integer counts drawn in the ER band of (cS1, log10 cS2) on the
// default model binning (flow bins included), weighted as the model does
// (value = n * w, variance = n * w^2, w = eventWeight * rate), summed to totals.

import type { HtmlReportInput, HtmlSource } from '../../../src/report/html/input.js';
import { cellCount, type WeightedHistogram } from '../../../src/model/types.js';
import { DEFAULT_SELECTION } from '../../../src/selection/definition.js';

/** Park-Miller: the same numbers on every run. */
function rng(seed: number): () => number {
  let s = seed % 2147483647;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

const X = { ...DEFAULT_SELECTION.model.cs1Bins, title: 'cS1 [phd]' };
const Y = { ...DEFAULT_SELECTION.model.log10Cs2Bins, title: 'log_{10} cS2 [phd]' };

/** Bin index with flow, as the binning does (v < low: 0, v >= high: count + 1). */
function binOf(v: number, a: { count: number; low: number; high: number }): number {
  if (v < a.low) return 0;
  if (v >= a.high) return a.count + 1;
  return 1 + Math.floor(((v - a.low) / (a.high - a.low)) * a.count);
}

/** Counts of n events in the ER band (cS1 falls off, log10 cS2 ~ 2.9 + 0.55 log10 cS1). */
export function bandCounts(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const cells = new Float64Array(cellCount(X, Y));
  for (let i = 0; i < n; i++) {
    const s1 = -140 * Math.log(r() + 1e-12) + 1;
    const l2 = 2.9 + 0.55 * Math.log10(s1) + 0.12 * gauss(r);
    cells[binOf(s1, X) + (X.count + 2) * binOf(l2, Y)]! += 1;
  }
  return cells;
}

export function weighted(name: string, title: string, counts: Float64Array, w: number): WeightedHistogram {
  return {
    name,
    title,
    x: X,
    y: Y,
    values: counts.map((c) => c * w),
    variances: counts.map((c) => c * w * w),
    entries: counts.reduce((a, b) => a + b, 0),
  };
}

export function sumHistograms(name: string, title: string, hs: readonly WeightedHistogram[]): WeightedHistogram {
  const values = new Float64Array(cellCount(X, Y));
  const variances = new Float64Array(cellCount(X, Y));
  let entries = 0;
  for (const h of hs) {
    h.values.forEach((v, i) => (values[i]! += v));
    h.variances.forEach((v, i) => (variances[i]! += v));
    entries += h.entries;
  }
  return { name, title, x: X, y: Y, values, variances, entries };
}

const SOURCES: [string, number, number, number][] = [
  // name, rate (decays/day), SS FV ROI events simulated, MSSI FV ROI events
  ['Co60_CalibrationSourceTubes', 4690.57902, 420, 95],
  ['Co60_DomePMTs', 3885.410702, 300, 60],
  ['K40_BottomTruss', 28927.99798, 180, 22],
  ['K40_DomePMTs', 88935.50817, 650, 130],
  ['Th232-early_BottomTPCPMTBodies', 38003.65201, 900, 210],
  ['Th232-late_BottomTPCPMTBases', 20626.61384, 500, 140],
  ['Th232-late_BottomTPCPMTBodies', 51716.2229, 1200, 260],
  ['Th232-late_ForwardFieldResistors', 77545.76613, 760, 170],
  ['Th232-late_HVInnerCone', 363483.6619, 2400, 610],
  ['U238-late_AnodeGridWires', 4316.423461, 350, 40],
];
const EVENT_WEIGHT = 1e-7;
export const LIVETIME_DAYS = 220;

const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);

/** The input as the run would fill it. */
export function sampleInput(): HtmlReportInput {
  const ss: WeightedHistogram[] = [];
  const mssi: WeightedHistogram[] = [];
  const sources: HtmlSource[] = SOURCES.map(([source, rate, nSs, nMssi], i) => {
    const w = EVENT_WEIGHT * rate;
    const s = weighted(`h_ss_${source}`, `SS ${source}`, bandCounts(nSs, 1000 + i), w);
    const m = weighted(`h_mssi_${source}`, `MSSI ${source}`, bandCounts(nMssi, 2000 + i), w);
    ss.push(s);
    mssi.push(m);
    return {
      source,
      ssFvRoiPerDay: nSs * w,
      ssFvRoiSigma: Math.sqrt(nSs) * w,
      mssiFvRoiPerDay: nMssi * w,
      mssiFvRoiSigma: Math.sqrt(nMssi) * w,
    };
  });
  const ssTotal = sumHistograms('h_ss_total', 'SS FV ROI, all sources', ss);
  const mssiTotal = sumHistograms('h_mssi_total', 'MSSI FV ROI, all sources', mssi);
  const expected = (fvRoi: number, fvRoiVar: number) => ({
    perDay: fvRoi * 14.2,
    perDaySigma: Math.sqrt(fvRoiVar * 14.2),
    fvPerDay: fvRoi * 2.6,
    fvPerDaySigma: Math.sqrt(fvRoiVar * 2.6),
    fvRoiPerDay: fvRoi,
    fvRoiPerDaySigma: Math.sqrt(fvRoiVar),
    inDataset: fvRoi * LIVETIME_DAYS,
    inDatasetSigma: Math.sqrt(fvRoiVar) * LIVETIME_DAYS,
  });
  const ssFvRoi = sum(ssTotal.values);
  const mssiFvRoi = sum(mssiTotal.values);
  return {
    title: 'MSSI background model: fixtures/lz, WS2024 selection',
    mssiVersion: '0.1.0',
    selectionHash: 'sha256:3f1c0a9d5be27c4e8a61f0d2b7c95e4a1d8f6b3c2e0a7d9f5b1c4e8a2d6f0b3c',
    livetimeDays: LIVETIME_DAYS,
    summary: {
      ss: expected(ssFvRoi, sum(ssTotal.variances)),
      mssi: expected(mssiFvRoi, sum(mssiTotal.variances)),
      fraction: mssiFvRoi / ssFvRoi,
    },
    sources,
    ssTotal,
    mssiTotal,
  };
}
