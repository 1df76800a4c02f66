// A tiny hand-made input whose every number can be checked by eye: x = cS1 in 3 bins
// over [0, 3), y = log10 cS2 in 2 bins over [2, 4), cell = ix + 5 * iy (flow included).

import type { HtmlReportInput } from '../../../src/report/html/input.js';
import type { WeightedHistogram } from '../../../src/model/types.js';

export const X = { count: 3, low: 0, high: 3, title: 'cS1 [phd]' };
export const Y = { count: 2, low: 2, high: 4, title: 'log_{10} cS2 [phd]' };

export const cell = (ix: number, iy: number) => ix + 5 * iy;

/** Values at (ix, iy), variances a quarter of them (n events of w = 0.25: n w^2 = (n w) / 4). */
export function hist(name: string, entries: [number, number, number][]): WeightedHistogram {
  const values = new Float64Array(20);
  const variances = new Float64Array(20);
  for (const [ix, iy, v] of entries) {
    values[cell(ix, iy)] = v;
    variances[cell(ix, iy)] = v / 4;
  }
  return { name, title: `${name} title`, x: X, y: Y, values, variances, entries: entries.length };
}

/** SS: in-range (1,1)=4 (2,1)=8 (3,2)=2, and 1 in x overflow (4,1), 3 in y underflow (2,0). */
export const SS = hist('h_ss_total', [
  [1, 1, 4],
  [2, 1, 8],
  [3, 2, 2],
  [4, 1, 1],
  [2, 0, 3],
]);
/** MSSI: in-range (2,2)=1 only. */
export const MSSI = hist('h_mssi_total', [[2, 2, 1]]);

export function handInput(): HtmlReportInput {
  const e = (v: number) => ({
    perDay: 10 * v,
    perDaySigma: 1,
    fvPerDay: 5 * v,
    fvPerDaySigma: 0.5,
    fvRoiPerDay: v,
    fvRoiPerDaySigma: 0.25,
    inDataset: 100 * v,
    inDatasetSigma: 25,
  });
  return {
    title: 'hand <made> & "quoted"',
    mssiVersion: '0.1.0',
    selectionHash: 'abc123',
    livetimeDays: 100,
    summary: { ss: e(18), mssi: e(1), fraction: 1 / 18 },
    sources: [
      { source: 'A_<b>bold</b>', ssFvRoiPerDay: 10, ssFvRoiSigma: 1, mssiFvRoiPerDay: 1, mssiFvRoiSigma: 0.5 },
      { source: 'B', ssFvRoiPerDay: 8, ssFvRoiSigma: 2, mssiFvRoiPerDay: 0, mssiFvRoiSigma: 0 },
    ],
    ssTotal: SS,
    mssiTotal: MSSI,
  };
}
