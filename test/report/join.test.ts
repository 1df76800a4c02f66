import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/join.js';
import { sourceOfPath } from '../../src/result.js';
import { resultOf } from './results.js';

const rates = [
  { source: 'K40_DomePMTs', ratePerDay: 1000 },
  { source: 'Co60_DomePMTs', ratePerDay: 10 },
];

describe('Source of a path', () => {
  it.each([
    ['/data/SS_skim_K40_DomePMTs.root', 'K40_DomePMTs'],
    ['SS_skim_K40_DomePMTs.root', 'K40_DomePMTs'],
    ['dir/K40_DomePMTs.root', 'K40_DomePMTs'],
    ['dir/run_SS_skim_K40.root', 'run_SS_skim_K40'],
    ['C:\\data\\SS_skim_X.root', 'X'],
    ['dir/noext', 'noext'],
  ])('%s -> %s', (path, source) => expect(sourceOfPath(path)).toBe(source));
});

describe('join with rates', () => {
  it('computes C * eventWeight * rate per column, totals, livetime and fraction', () => {
    const report = buildReport(
      [
        resultOf('a/SS_skim_K40_DomePMTs.root', { nSS: 100, nSSFV: 50, nSSFVROI: 20, nMSSI: 10, nMSSIFV: 5, nMSSIFVROI: 2 }, 0.5),
        resultOf('a/SS_skim_Co60_DomePMTs.root', { nSS: 10, nSSFV: 10, nSSFVROI: 10, nMSSI: 1, nMSSIFV: 1, nMSSIFVROI: 1 }, 2),
      ],
      [],
      rates,
      100,
    );
    expect(report.rows[0]!.perDay).toEqual({ nSS: 50000, nSSFV: 25000, nSSFVROI: 10000, nMSSI: 5000, nMSSIFV: 2500, nMSSIFVROI: 1000 });
    expect(report.ss).toMatchObject({ perDay: 50200, fvPerDay: 25200, fvRoiPerDay: 10200, inDataset: 1020000 });
    expect(report.mssi).toMatchObject({ perDay: 5020, fvPerDay: 2520, fvRoiPerDay: 1020, inDataset: 102000 });
    expect(report.fraction).toBe(1020 / 10200);
    expect(report.sourcesWithoutRate).toEqual([]);
  });

  it('gives each per-day column and total its uncertainty: sqrt(sum of C * w^2), w = eventWeight * rate', () => {
    // w = 0.5 * 1000 = 500 and 2 * 10 = 20: variances C * 250000 and C * 400
    const report = buildReport(
      [
        resultOf('a/SS_skim_K40_DomePMTs.root', { nSS: 100, nSSFV: 50, nSSFVROI: 20, nMSSI: 10, nMSSIFV: 5, nMSSIFVROI: 2 }, 0.5),
        resultOf('a/SS_skim_Co60_DomePMTs.root', { nSS: 10, nSSFV: 10, nSSFVROI: 10, nMSSI: 1, nMSSIFV: 1, nMSSIFVROI: 1 }, 2),
        resultOf('a/SS_skim_NoRate.root', { nSS: 7, nSSFV: 7, nSSFVROI: 7 }, 1),
      ],
      [],
      rates,
      100,
    );
    expect(report.rows[0]!.perDaySigma).toEqual({ nSS: 5000, nSSFV: Math.sqrt(50 * 250000), nSSFVROI: Math.sqrt(20 * 250000), nMSSI: Math.sqrt(10 * 250000), nMSSIFV: Math.sqrt(5 * 250000), nMSSIFVROI: Math.sqrt(2 * 250000) });
    expect(report.rows[1]!.perDaySigma!.nSSFVROI).toBe(Math.sqrt(10 * 400));
    expect(report.rows[2]!.perDaySigma).toBeNull();
    expect(report.ss).toEqual({
      perDay: 50200,
      fvPerDay: 25200,
      fvRoiPerDay: 10200,
      inDataset: 1020000,
      perDaySigma: Math.sqrt(100 * 250000 + 10 * 400),
      fvPerDaySigma: Math.sqrt(50 * 250000 + 10 * 400),
      fvRoiPerDaySigma: Math.sqrt(20 * 250000 + 10 * 400),
      inDatasetSigma: Math.sqrt(20 * 250000 + 10 * 400) * 100,
    });
    expect(report.mssi).toMatchObject({ perDaySigma: Math.sqrt(10 * 250000 + 400), fvPerDaySigma: Math.sqrt(5 * 250000 + 400), fvRoiPerDaySigma: Math.sqrt(2 * 250000 + 400) });
  });

  it('defaults the livetime to 220 days', () => {
    const report = buildReport([resultOf('K40_DomePMTs.root', { nSS: 1, nSSFV: 1, nSSFVROI: 1 }, 1)], [], rates);
    expect(report.livetimeDays).toBe(220);
    expect(report.ss.inDataset).toBe(220_000);
  });

  it('keeps a source without rate as a row, names it, and leaves it out of the totals', () => {
    const report = buildReport(
      [resultOf('SS_skim_Unknown.root', { nSS: 5, nSSFV: 5, nSSFVROI: 5 }, 1), resultOf('K40_DomePMTs.root', { nSS: 1 }, 1)],
      [],
      rates,
    );
    expect(report.rows).toHaveLength(2);
    expect(report.rows[0]!.ratePerDay).toBeNull();
    expect(report.rows[0]!.perDay).toBeNull();
    expect(report.sourcesWithoutRate).toEqual(['Unknown']);
    expect(report.ss.perDay).toBe(1000);
    expect(report.ss.fvRoiPerDay).toBe(0);
    expect(report.fraction).toBeNaN();
  });

  it('keeps two files of one source as two rows and adds both', () => {
    const report = buildReport(
      [resultOf('x/K40_DomePMTs.root', { nSS: 1 }, 1), resultOf('y/K40_DomePMTs.root', { nSS: 2 }, 1)],
      [],
      rates,
    );
    expect(report.rows).toHaveLength(2);
    expect(report.ss.perDay).toBe(3000);
  });

  it('names empty files and adds nothing for them', () => {
    const report = buildReport([resultOf('K40_DomePMTs.root', {}, null)], [], rates);
    expect(report.emptyFiles).toEqual(['K40_DomePMTs.root']);
    expect(report.rows[0]!.perDay).toBeNull();
    expect(report.ss.perDay).toBe(0);
  });
});
