// The HTML report's pieces: escaping, numbers, projections, and the marks each chart draws.

import { describe, expect, it } from 'vitest';
import { escapeText } from '../../../src/report/html/escape.js';
import { formatMeasured, formatNumber, plainTitle } from '../../../src/report/html/format.js';
import { barChartEmptyReason, barChartSvg, shortName } from '../../../src/report/html/barChart.js';
import { colorDomain, filledCells, heatMapSvg } from '../../../src/report/html/heatMap.js';
import { axisEdges } from '../../../src/model/bin.js';
import { checkShape, flowSummary, HistogramShapeError, projectX, projectY } from '../../../src/report/html/projection.js';
import { projectionSvg } from '../../../src/report/html/projectionChart.js';
import { handInput, MSSI, SS } from './handInput.js';

describe('escapeText', () => {
  it('escapes the five markup characters', () => {
    expect(escapeText(`<a href="x">O'Neil & co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;');
  });
  it('replaces characters XML forbids, keeps tab, newlines and astral characters', () => {
    expect(escapeText('a\u0000b\u001fc\tb\nd\u{1F600}\ud800e')).toBe('a\ufffdb\ufffdc\tb\nd\u{1F600}\ufffde');
  });
});

describe('numbers', () => {
  it('four significant digits, exponents for the very small and large', () => {
    expect([0, 1, 12.34567, 0.001234567, 0.00012346, 1234567, -2.5, NaN].map(formatNumber)).toEqual([
      '0', '1', '12.35', '0.001235', '1.235e-4', '1.235e+6', '-2.5', 'NaN',
    ]);
    expect(formatMeasured(110.6, 1.8213)).toBe('110.6 ± 1.821');
  });
  it("ROOT's digit subscripts as Unicode", () => {
    expect(plainTitle('log_{10} cS2 [phd]')).toBe('log₁₀ cS2 [phd]');
    expect(plainTitle('x_{i} y')).toBe('x_i y');
  });
});

describe('projections', () => {
  it('edges as the binning computes them', () => {
    expect([...axisEdges({ count: 3, low: 0, high: 3 })]).toEqual([0, 1, 2, 3]);
    expect([...axisEdges({ count: 2, low: 2, high: 4 })]).toEqual([2, 3, 4]);
  });
  it('sum over the other axis in-range bins only; sigma is the root of the summed variances', () => {
    const x = projectX(SS);
    expect([...x.values]).toEqual([4, 8, 2]); // overflow (4,1)=1 and underflow (2,0)=3 left out
    expect([...x.sigmas]).toEqual([1, Math.sqrt(2), Math.sqrt(0.5)]);
    const y = projectY(SS);
    expect([...y.values]).toEqual([12, 2]);
    expect([...y.sigmas]).toEqual([Math.sqrt(3), Math.sqrt(0.5)]);
  });
  it('what fell in the flow bins', () => {
    expect(flowSummary(SS)).toEqual({ inRange: 14, flow: 4, flowSigma: 1 });
    expect(flowSummary(MSSI)).toEqual({ inRange: 1, flow: 0, flowSigma: 0 });
  });
  it('a histogram whose cells do not match its axes is an error naming it', () => {
    const bad = { ...SS, variances: new Float64Array(12) };
    expect(() => checkShape(bad)).toThrow(HistogramShapeError);
    expect(() => projectX(bad)).toThrow('histogram h_ss_total: variances has 12 cells, but its axes (3 x 2 bins + flow) need 20');
  });
});

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

describe('the bar chart', () => {
  const sources = handInput().sources;
  it('two bars a source, widths in proportion, error bars and escaped names in titles', () => {
    const svg = barChartSvg(sources, 'b');
    expect(count(svg, /<g class="bar ss">/g)).toBe(2);
    expect(count(svg, /<g class="bar mssi">/g)).toBe(2);
    const widths = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="([^"]+)"/g)].map((m) => Number(m[1]));
    // legend swatches are width="14" without x; bars: A SS 10, A MSSI 1, B SS 8, B MSSI 0 on a 0..12 axis (10 + 2 nice)
    expect(widths).toHaveLength(4);
    expect(widths[0]! / widths[2]!).toBeCloseTo(10 / 8, 2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(1 / 10, 2);
    expect(widths[3]).toBe(0);
    expect(svg).toContain('<title>A_&lt;b&gt;bold&lt;/b&gt;: SS FV ROI 10 ± 1 events/day</title>');
    expect(svg).not.toContain('<b>');
    expect(svg).toMatch(/viewBox="0 0 560 \d+" style="max-width:560px"/);
  });
  it('long names are cut in the middle', () => {
    expect(shortName('Th232-late_BottomTPCPMTBases')).toBe('Th232-late…CPMTBases');
    expect(shortName('Th232-late_BottomTPCPMTBodies')).toBe('Th232-late…PMTBodies');
    expect(shortName('Co60_DomePMTs')).toBe('Co60_DomePMTs');
  });
  it('says why there is no chart', () => {
    expect(barChartEmptyReason([])).toMatch(/No source has a rate/);
    expect(barChartEmptyReason([{ ...sources[1]!, ssFvRoiPerDay: 0, ssFvRoiSigma: 0 }])).toMatch(/Every source has 0/);
    expect(barChartEmptyReason([{ ...sources[1]!, ssFvRoiPerDay: NaN }])).toMatch(/not a finite number/);
    expect(barChartEmptyReason(sources)).toBeNull();
  });
});

describe('the heat map', () => {
  it('one cell a filled in-range bin, coloured on a log scale from the smallest to the largest', () => {
    const cells = filledCells(SS);
    expect(cells.map((c) => [c.ix, c.iy, c.value])).toEqual([[1, 1, 4], [2, 1, 8], [3, 2, 2]]);
    expect(colorDomain(cells)).toEqual([2, 8]);
    expect(colorDomain(filledCells(MSSI))).toEqual([0.1, 1]);
    expect(colorDomain([])).toBeNull();
    const svg = heatMapSvg(SS, cells, 'h', 'SS');
    const rects = [...svg.matchAll(/<g class="cells">(.*?)<\/g>/g)][0]![1]!;
    expect(count(rects, /<rect /g)).toBe(3);
    expect(rects).toContain('<title>cS1 [phd] [1, 2), log₁₀ cS2 [phd] [2, 3): 8 ± 1.414 events/day</title>');
    // smallest value: viridis' first colour, largest: its last, 4 (half way on a log scale): its middle
    expect([...rects.matchAll(/fill="([^"]+)"/g)].map((m) => m[1])).toEqual(['#21918c', '#fde725', '#440154']);
    expect(svg).toContain('<linearGradient id="h-gradient"');
  });
});

describe('the projection chart', () => {
  it('a step line through every bin and an error bar a bin with a sigma', () => {
    const svg = projectionSvg(projectX(SS), 'cS1 [phd]', '#000', 'p', 'SS on cS1');
    const step = /<path class="step" d="([^"]+)"/.exec(svg)![1]!;
    expect(count(step, /[HV]/g) + count(step, /L/g)).toBeGreaterThanOrEqual(5); // 3 bins: up, across, down, across ...
    const errors = /<path class="errors" d="([^"]*)"/.exec(svg)![1]!;
    expect(count(errors, /M/g)).toBe(3);
    expect(count(svg, /<title>cS1 \[phd\] \[/g)).toBe(3);
  });
});
