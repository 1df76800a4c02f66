import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { describe, expect, it } from 'vitest';
import { emptyModel, modelAxes } from '../../src/model/bin.js';
import type { ModelCounts } from '../../src/model/types.js';
import { histogramsOf, weightModel, X_TITLE, Y_TITLE } from '../../src/model/weight.js';
import { resultOf } from '../report/results.js';

const axes = modelAxes(DEFAULT_SELECTION);
/** A result whose model has `ss` and `mssi` events in given cells. */
function fileWith(path: string, eventWeight: number | null, ss: Record<number, number>, mssi: Record<number, number> = {}, nan = 0) {
  const m: ModelCounts = emptyModel(axes);
  for (const [c, n] of Object.entries(ss)) m.ss.cells[Number(c)] = n;
  for (const [c, n] of Object.entries(mssi)) m.mssi.cells[Number(c)] = n;
  m.ss.nan = nan;
  return { ...resultOf(path, {}, eventWeight), model: m };
}

describe('weightModel', () => {
  const rates = new Map([
    ['A', 1000],
    ['B', 10],
  ]);
  const files = [
    fileWith('d/SS_skim_A.root', 0.5, { 100: 3, 0: 1 }, { 100: 2 }, 4), // w = 500
    fileWith('e/SS_skim_A.root', 0.25, { 100: 1 }), //                     w = 250, same source: adds
    fileWith('d/SS_skim_B.root', 2, { 7: 5 }, { 7: 1 }), //                w = 20
    fileWith('d/SS_skim_NoRate.root', 1, { 9: 9 }), //                     no rate: counts only
    fileWith('d/SS_skim_B.root', null, {}), //                              no entries: adds nothing
  ];
  const m = weightModel(files, rates, axes);

  it('weights each file by eventWeight * rate: value = n * w, variance = n * w^2, files of a source added', () => {
    const a = m.sources[0]!;
    expect(a.source).toBe('A');
    expect(a.ss!.name).toBe('h_ss_A');
    expect(a.ss!.values[100]).toBe(3 * 500 + 1 * 250);
    expect(a.ss!.variances[100]).toBe(3 * 500 * 500 + 1 * 250 * 250);
    expect(a.ss!.values[0]).toBe(500); // the underflow cell is weighted too
    expect(a.mssi!.name).toBe('h_mssi_A');
    expect(a.mssi!.values[100]).toBe(1000);
    expect(a.mssi!.variances[100]).toBe(2 * 500 * 500);
    expect(a.ss!.entries).toBe(5); // unweighted fills, NaN tally excluded
    expect(a.counts.ss.cells[100]).toBe(4);
    expect(a.counts.ss.nan).toBe(4);
  });

  it('totals the sources with a rate; a source without one has its counts and no histograms', () => {
    expect(m.sources.map((s) => s.source)).toEqual(['A', 'B', 'NoRate']);
    const noRate = m.sources[2]!;
    expect([noRate.ratePerDay, noRate.ss, noRate.mssi]).toEqual([null, null, null]);
    expect(noRate.counts.ss.cells[9]).toBe(9);
    expect(m.ssTotal.name).toBe('h_ss_total');
    expect(m.ssTotal.values[100]).toBe(1750);
    expect(m.ssTotal.values[7]).toBe(100);
    expect(m.ssTotal.variances[7]).toBe(5 * 400);
    expect(m.ssTotal.values[9]).toBe(0);
    expect(m.mssiTotal.values[7]).toBe(20);
    expect(m.ssTotal.entries).toBe(10);
    expect(m.totalCounts.ss.cells[7]).toBe(5);
    expect(m.totalCounts.ss.cells[9]).toBe(0);
  });

  it('titles the axes and names every histogram of a file, per source then the totals', () => {
    expect(m.ssTotal.x).toEqual({ ...axes.x, title: X_TITLE });
    expect(m.ssTotal.y).toEqual({ ...axes.y, title: Y_TITLE });
    expect([X_TITLE, Y_TITLE]).toEqual(['cS1 [phd]', 'log_{10}(cS2 [phd])']);
    expect(histogramsOf(m).map((h) => h.name)).toEqual(['h_ss_A', 'h_mssi_A', 'h_ss_B', 'h_mssi_B', 'h_ss_total', 'h_mssi_total']);
  });
});
