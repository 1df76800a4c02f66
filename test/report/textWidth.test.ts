// The run/merge table at the widths of common terminals: it fits, names are cut only
// where they must, numbers never, and the summary is the notebook's at every width.
import { describe, expect, it } from 'vitest';
import { buildReport, COUNT_COLUMNS } from '../../src/report/join.js';
import { formatReportText, SOURCE_CUT_TO } from '../../src/report/text.js';
import { ELLIPSIS } from '../../src/report/table.js';
import { resultOf } from './results.js';

const names = [
  'Co60_CalibrationSourceTubes',
  'Th232-late_ForwardFieldResistors',
  'K40_DomePMTs',
  'U238-late_AnodeGridWires_and_a_much_longer_name_than_any_real_one',
];
const results = names.map((n, i) =>
  resultOf(`d/SS_skim_${n}.root`, { nSS: 2000 - i, nSSFV: 939, nSSFVROI: 121 + i, nMSSI: 265, nMSSIFV: 124, nMSSIFVROI: 8 + i }, 1.14943e-7 * (i + 1)),
);
const rates = names.slice(0, 3).map((source, i) => ({ source, ratePerDay: 4690.58 * (i + 1) }));
const report = buildReport(results, [], rates);
const split = (text: string) => {
  const lines = text.split('\n');
  const end = lines.indexOf('');
  return { table: lines.slice(0, end), summary: lines.slice(end).join('\n') };
};
const whole = split(formatReportText(report));

describe('the run table at a terminal width', () => {
  it.each([60, 80, 100, 120, 200])('fits %i columns, with Source and the four FV ROI columns', (width) => {
    const { table, summary } = split(formatReportText(report, { width }));
    for (const line of table) expect(line.length).toBeLessThanOrEqual(width);
    const header = table.slice(0, table.findIndex((l) => l.startsWith(names[0]!.slice(0, 6)))).join(' ');
    for (const h of ['Source', 'FV ROI']) expect(header).toContain(h);
    // every number of the FV ROI columns is there, whole
    for (const r of report.rows) {
      const row = table.find((l) => l.startsWith(r.result.source.slice(0, SOURCE_CUT_TO - 1)))!;
      expect(row).toContain(` ${r.result.counts.nSSFVROI} `);
      if (r.perDay) expect(row).toContain(String(Number(r.perDay.nMSSIFVROI.toPrecision(6))));
    }
    expect(summary).toBe(whole.summary);
  });

  it('cuts a long Source with an ellipsis only where the columns do not fit', () => {
    const at200 = split(formatReportText(report, { width: 200 })).table.join('\n');
    expect(at200).not.toContain(ELLIPSIS);
    const at60 = split(formatReportText(report, { width: 60 })).table;
    expect(at60.some((l) => l.includes(ELLIPSIS))).toBe(true);
    expect(at60.some((l) => l.startsWith('K40_DomePMTs '))).toBe(true); // a short name stays whole
  });

  it('adds the other columns in the documented order as the width allows, and gives the whole table when all fit', () => {
    // the real sources' names (the long one would put the headers over two lines at 100)
    const real = buildReport(results.slice(0, 3), [], rates);
    const headerOf = (width: number) => split(formatReportText(real, { width })).table[0]!;
    expect(headerOf(100)).toMatch(/^Source +nSS +nSS FV ROI +nMSSI FV ROI +SS\/day FV ROI +MSSI\/day FV ROI$/);
    expect(headerOf(130)).toContain('Rate (Decays/day)');
    const all = ['Source', ...COUNT_COLUMNS.map((c) => c.count), 'eventWeight', 'Rate (Decays/day)', ...COUNT_COLUMNS.flatMap((c) => [c.perDay, `± ${c.perDay}`])];
    const wide = split(formatReportText(real)).table;
    expect(wide[0]!.split(/ {2,}/)).toEqual(all);
    const fitsAll = Math.max(...wide.map((l) => l.length));
    expect(split(formatReportText(real, { width: fitsAll })).table).toEqual(wide);
    expect(split(formatReportText(real, { width: fitsAll - 1 })).table).not.toEqual(wide);
  });
});
