import { describe, expect, it } from 'vitest';
import { th2dStats } from '../../../src/root/write/th2dStats.js';

describe('th2dStats (TH2::GetStats over the cells)', () => {
  // x: 2 bins on [0, 4) (centres 1, 3); y: 1 bin on [10, 20) (centre 15). Rows of 4 cells.
  const x = { count: 2, low: 0, high: 4, title: '' };
  const y = { count: 1, low: 10, high: 20, title: '' };
  const FLOW = 1000; // in every flow cell: must not count
  const values = Float64Array.from([FLOW, FLOW, FLOW, FLOW, FLOW, 2, 5, FLOW, FLOW, FLOW, FLOW, FLOW]);
  const sumw2 = Float64Array.from([FLOW, FLOW, FLOW, FLOW, FLOW, 0.5, 4, FLOW, FLOW, FLOW, FLOW, FLOW]);

  it('sums the in-range bins only, each at its centre, with sumw2 from the per-cell squared weights', () => {
    expect(th2dStats(x, y, values, sumw2)).toEqual({
      tsumw: 7,
      tsumw2: 4.5,
      tsumwx: 2 * 1 + 5 * 3,
      tsumwx2: 2 * 1 + 5 * 9,
      tsumwy: 7 * 15,
      tsumwy2: 7 * 225,
      tsumwxy: 2 * 15 + 5 * 45,
    });
  });

  it('puts centres where TAxis::GetBinCenter does: low + (bin - 0.5) * (high - low) / count', () => {
    const ax = { count: 3, low: 0.1, high: 0.7, title: '' };
    const one = { count: 1, low: 0, high: 2, title: '' }; // centre 1
    const v = new Float64Array(5 * 3);
    v[2 + 5] = 1; // bin 2 of x, bin 1 of y
    const width = (0.7 - 0.1) / 3;
    expect(th2dStats(ax, one, v, v).tsumwx).toBe(0.1 + 1.5 * width);
  });
});
