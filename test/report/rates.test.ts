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
    // an unquoted thousands separator: read as rate 1 before
    [
      'Source,Rate (Decays/day)\nA,2\nCo60_DomePMTs,1,234.5\n',
      /^rates table t\.csv: line 3: 3 fields, the header has 2 \(an unquoted comma in a number\? write 1234\.5\)$/,
    ],
    ['Source,Rate (Decays/day),Note\nA,1,x,y\n', /^rates table t\.csv: line 2: 4 fields, the header has 3 \(an unquoted comma/],
    // fewer fields: which one is missing cannot be known, so the others may be in the wrong columns
    ['Source,Rate (Decays/day),Note\nA,1\n', /^rates table t\.csv: line 2: 2 fields, the header has 3 \(each row needs one field per column; leave a value empty, not out\)$/],
    ['Source,Rate (Decays/day)\nA\n', /^rates table t\.csv: line 2: 1 field, the header has 2 /],
  ])('rejects %j with a message naming the table', (text, message) => {
    expect(() => parseRatesTable(text, 't.csv')).toThrow(RatesTableError);
    expect(() => parseRatesTable(text, 't.csv')).toThrow(message);
  });

  it('names the line as it is in the file, after blank lines and quoted line breaks', () => {
    const text = 'Source,Note,Rate (Decays/day)\n\nA,"two\nlines",1\n\nB,x,1,5\n';
    expect(() => parseRatesTable(text, 't.csv')).toThrow(/^rates table t\.csv: line 6: 4 fields, the header has 3/);
    const multiline = 'Source,Note,Rate (Decays/day)\n\nA,"two\nlines",fast\n';
    expect(() => parseRatesTable(multiline, 't.csv')).toThrow(/^rates table t\.csv: line 3: rate of A is "fast"/);
  });

  it('names a missing file', () => {
    expect(() => readRatesTable('/nonexistent/rates.csv')).toThrow(/rates table \/nonexistent\/rates.csv: cannot be read \(ENOENT\)/);
  });
});
