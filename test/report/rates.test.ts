import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseRatesTable, RatesTableError, readRatesTable } from '../../src/report/rates.js';

const fixture = fileURLToPath(new URL('../../fixtures/rates.csv', import.meta.url));

describe('rates table', () => {
  it("reads the workshop's ten sources", () => {
    const rates = readRatesTable(fixture);
    expect(rates).toHaveLength(10);
    expect(rates[0]).toEqual({ source: 'Co60_CalibrationSourceTubes', ratePerDay: 4690.57902 });
    expect(rates.find((r) => r.source === 'Th232-late_HVInnerCone')?.ratePerDay).toBe(363483.6619);
  });

  it('accepts a BOM, quotes, extra columns in any order and blank lines', () => {
    const text = '\ufeffNote,"Rate (Decays/day)",Source\r\nx,1.5,A\r\n\r\n"y, z",2e3,"B"\r\n';
    expect(parseRatesTable(text, 't.csv')).toEqual([
      { source: 'A', ratePerDay: 1.5 },
      { source: 'B', ratePerDay: 2000 },
    ]);
  });

  it.each([
    ['', /t\.csv: is empty/],
    ['Source,Rate\nA,1\n', /needs the columns "Source" and "Rate \(Decays\/day\)", found: "Source", "Rate"/],
    ['Source,Rate (Decays/day)\nA,fast\n', /line 2: rate of A is "fast"/],
    ['Source,Rate (Decays/day)\nA,-1\n', /line 2: rate of A is "-1"/],
    ['Source,Rate (Decays/day)\nA,\n', /line 2: rate of A is ""/],
    ['Source,Rate (Decays/day)\n,3\n', /line 2: empty Source/],
    ['Source,Rate (Decays/day)\nA,1\nA,2\n', /line 3: Source A is listed twice \(first on line 2\)/],
    ['Source,Rate (Decays/day)\n"A,1\n', /not a valid CSV/],
  ])('rejects %j with a message naming the table', (text, message) => {
    expect(() => parseRatesTable(text, 't.csv')).toThrow(RatesTableError);
    expect(() => parseRatesTable(text, 't.csv')).toThrow(message);
  });

  it('names a missing file', () => {
    expect(() => readRatesTable('/nonexistent/rates.csv')).toThrow(/rates table \/nonexistent\/rates.csv: cannot be read \(ENOENT\)/);
  });
});
