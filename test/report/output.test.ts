import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { parse } from 'csv-parse/sync';
import { buildReport } from '../../src/report/join.js';
import { reportToCsv, reportToJson, JSON_SCHEMA } from '../../src/report/machine.js';
import { reportProvenance } from '../../src/report/provenance.js';
import { displayNumber, formatReportText } from '../../src/report/text.js';
import { resultOf } from './results.js';

const rates = [{ source: 'K40_DomePMTs', ratePerDay: 88935.50817 }];
const report = buildReport(
  [
    resultOf('d/SS_skim_K40_DomePMTs.root', { nSS: 4000, nSSFV: 1500, nSSFVROI: 700, nMSSI: 300, nMSSIFV: 100, nMSSIFVROI: 33 }, 1 / 3),
    resultOf('d/SS_skim_Other.root', { nSS: 7 }, 0.1),
  ],
  [{ path: 'd/bad.root', message: 'd/bad.root: tree Scatters not found' }],
  rates,
);

describe('text report', () => {
  const text = formatReportText(report);
  it("prints the notebook's summary at full precision", () => {
    const ssFvRoi = 700 * (1 / 3) * 88935.50817;
    expect(text).toContain('Number of SS events expected');
    expect(text).toContain(`N. FV ROI / day: ${ssFvRoi}`);
    expect(text).toContain(`In Dataset:      ${ssFvRoi * 220}`);
    expect(text).toContain('Number of MSSI events expected');
    expect(text).toContain(`fraction: ${(33 / 700).toFixed(2)}`);
  });
  it("puts the uncertainties on a line under each block, the notebook's lines unchanged", () => {
    const ss = report.ss;
    expect(text).toContain(
      `In Dataset:      ${ss.inDataset}\n1 sigma (simulation statistics): SS / day ± ${displayNumber(ss.perDaySigma)}, FV ± ${displayNumber(ss.fvPerDaySigma)}, ` +
        `FV ROI ± ${displayNumber(ss.fvRoiPerDaySigma)}, In Dataset ± ${displayNumber(ss.inDatasetSigma)}\n----`,
    );
    expect(text).toMatch(/\n1 sigma \(simulation statistics\): MSSI \/ day ± [0-9.]+, FV ± [0-9.]+, FV ROI ± [0-9.]+, In Dataset ± [0-9.]+\n----/);
  });

  it('names sources without rate and failed files', () => {
    expect(text).toContain('no rate in the rates table: Other');
    expect(text).toContain('FAILED: 1 file(s):');
    expect(text).toContain('d/bad.root: tree Scatters not found');
  });
  it('displays numbers like pandas', () => {
    expect(displayNumber(4000)).toBe('4000');
    expect(displayNumber(1 / 3)).toBe('0.333333');
    expect(displayNumber(12345678.9)).toBe('12345700');
    expect(displayNumber(null)).toBe('');
  });
});

describe('JSON report', () => {
  const json = JSON.parse(JSON.stringify(reportToJson(report, reportProvenance(DEFAULT_SELECTION))));
  it('carries every column and the totals at full precision', () => {
    expect(json.schema).toBe(JSON_SCHEMA);
    expect(json.files[0].counts).toEqual({ nSS: 4000, nSSFV: 1500, nSSFVROI: 700, nMSSI: 300, nMSSIFV: 100, nMSSIFVROI: 33 });
    expect(json.files[0].eventWeight).toBe(1 / 3);
    expect(json.files[0].perDay.nMSSIFVROI).toBe(33 * (1 / 3) * 88935.50817);
    expect(json.files[1].ratePerDay).toBeNull();
    expect(json.totals.fraction).toBe((33 * (1 / 3) * 88935.50817) / (700 * (1 / 3) * 88935.50817));
    expect(json.failures).toEqual([{ path: 'd/bad.root', error: 'd/bad.root: tree Scatters not found' }]);
    expect(json.sourcesWithoutRate).toEqual(['Other']);
  });
  it('carries the uncertainties (mssi.report/3): per file and for the totals', () => {
    const w = (1 / 3) * 88935.50817;
    expect(json.files[0].perDaySigma.nSSFVROI).toBe(Math.sqrt(700 * w * w));
    expect(json.files[1].perDaySigma).toBeNull();
    expect(json.totals.ss.fvRoiPerDaySigma).toBe(Math.sqrt(700 * w * w));
    expect(json.totals.mssi.inDatasetSigma).toBe(Math.sqrt(33 * w * w) * 220);
    expect(Object.keys(json.totals.ss)).toEqual(['perDay', 'fvPerDay', 'fvRoiPerDay', 'inDataset', 'perDaySigma', 'fvPerDaySigma', 'fvRoiPerDaySigma', 'inDatasetSigma']);
  });
  it('writes null for a fraction with no SS in FV ROI', () => {
    const empty = reportToJson(buildReport([], [], rates), reportProvenance(DEFAULT_SELECTION)) as { totals: { fraction: unknown } };
    expect(empty.totals.fraction).toBeNull();
  });
});

describe('CSV report', () => {
  const rows = parse(reportToCsv(report), { columns: true }) as Record<string, string>[];
  it('has a row per file, per failure and a total row', () => {
    expect(rows.map((r) => r.kind)).toEqual(['file', 'file', 'failed', 'total']);
  });
  it('round-trips numbers exactly', () => {
    expect(Number(rows[0]!['eventWeight'])).toBe(1 / 3);
    expect(Number(rows[0]!['MSSI/day FV ROI'])).toBe(33 * (1 / 3) * 88935.50817);
    expect(Number(rows[3]!['SS In Dataset'])).toBe(report.ss.inDataset);
    expect(Number(rows[3]!['fraction'])).toBe(report.fraction);
    expect(rows[1]!['Rate (Decays/day)']).toBe('');
    expect(rows[2]!['error']).toContain('tree Scatters not found');
  });
  it("keeps mssi.report/2's columns in their order, the uncertainties after them", () => {
    const [header] = parse(reportToCsv(report)) as string[][];
    expect(header!.slice(0, 23)).toEqual([
      'kind', 'Source', 'File', 'nSS', 'nSS FV', 'nSS FV ROI', 'nMSSI', 'nMSSI FV', 'nMSSI FV ROI', 'eventWeight', 'Rate (Decays/day)',
      'SS/day', 'SS/day FV', 'SS/day FV ROI', 'MSSI/day', 'MSSI/day FV', 'MSSI/day FV ROI', 'SS In Dataset', 'MSSI In Dataset', 'fraction', 'contentHash', 'error',
      'SS/day sigma',
    ]);
    expect(header!.slice(22)).toEqual(['SS/day sigma', 'SS/day FV sigma', 'SS/day FV ROI sigma', 'MSSI/day sigma', 'MSSI/day FV sigma', 'MSSI/day FV ROI sigma', 'SS In Dataset sigma', 'MSSI In Dataset sigma']);
    const w = (1 / 3) * 88935.50817;
    expect(Number(rows[0]!['SS/day FV ROI sigma'])).toBe(Math.sqrt(700 * w * w));
    expect(rows[1]!['SS/day FV ROI sigma']).toBe('');
    expect(rows[2]!['SS/day FV ROI sigma']).toBe('');
    expect(Number(rows[3]!['MSSI In Dataset sigma'])).toBe(report.mssi.inDatasetSigma);
    expect(Number(rows[3]!['SS/day sigma'])).toBe(report.ss.perDaySigma);
  });
});
