import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { describe, expect, it } from 'vitest';
import { modelAxes } from '../../src/model/bin.js';
import { htmlInputOf } from '../../src/model/htmlInput.js';
import { weightModel } from '../../src/model/weight.js';
import { buildReport } from '../../src/report/join.js';
import { resultOf } from '../report/results.js';

describe('htmlInputOf', () => {
  it("gives the renderer the report's totals with their sigmas, each rated source's FV ROI rates (its files added) and the total models", () => {
    const rates = [
      { source: 'A', ratePerDay: 1000 },
      { source: 'B', ratePerDay: 10 },
    ];
    const results = [
      resultOf('d/SS_skim_A.root', { nSS: 10, nSSFVROI: 4, nMSSIFVROI: 1 }, 0.5), // w 500
      resultOf('d/SS_skim_NoRate.root', { nSSFVROI: 3 }, 1),
      resultOf('e/SS_skim_A.root', { nSS: 10, nSSFVROI: 2 }, 0.25), //             w 250
      resultOf('d/SS_skim_B.root', {}, null), // no entries: B is there, with 0
    ];
    const report = buildReport(results, [], rates);
    const model = weightModel(results, new Map(rates.map((r) => [r.source, r.ratePerDay])), modelAxes(DEFAULT_SELECTION));
    const input = htmlInputOf(report, model, { mssiVersion: '9.9.9', selectionHash: 'f'.repeat(64), selection: {} });
    expect(input).toMatchObject({ title: 'MSSI background model', mssiVersion: '9.9.9', selectionHash: 'f'.repeat(64), livetimeDays: 220 });
    expect(input.summary.ss).toEqual({ ...report.ss });
    expect(input.summary.fraction).toBe(report.fraction);
    expect(input.sources).toEqual([
      { source: 'A', ssFvRoiPerDay: 4 * 500 + 2 * 250, ssFvRoiSigma: Math.sqrt(4 * 500 * 500 + 2 * 250 * 250), mssiFvRoiPerDay: 500, mssiFvRoiSigma: 500 },
      { source: 'B', ssFvRoiPerDay: 0, ssFvRoiSigma: 0, mssiFvRoiPerDay: 0, mssiFvRoiSigma: 0 },
    ]);
    expect(input.ssTotal).toBe(model.ssTotal);
    expect(input.mssiTotal.name).toBe('h_mssi_total');
  });
});
