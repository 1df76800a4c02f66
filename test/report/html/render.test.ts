// The whole report from a hand-made input: offline, escaped, the numbers shown, and a
// visible note in place of each chart that has nothing to draw.

import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render.js';
import { handInput, MSSI } from './handInput.js';

const zeroed = <T extends { values: Float64Array; variances: Float64Array }>(h: T): T => ({
  ...h,
  values: new Float64Array(h.values.length),
  variances: new Float64Array(h.variances.length),
});

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(handInput());

  it('is one offline file: no script, no link, no URL but in-page references', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|\bsrc=|\bhref=/i);
    expect(html).not.toMatch(/[a-z]+:\/\//i);
    expect([...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['#ss-heat-gradient', '#mssi-heat-gradient']);
  });

  it('shows the header and summary numbers, escaped', () => {
    expect(html).toContain('<title>hand &lt;made&gt; &amp; &quot;quoted&quot;</title>');
    expect(html).toContain('<h1>hand &lt;made&gt; &amp; &quot;quoted&quot;</h1>');
    expect(html).toContain('<dd>0.1.0</dd>');
    expect(html).toContain('<dd>abc123</dd>');
    expect(html).toContain('<dd>100 days</dd>');
    // SS: 180 ± 1 /day, 90 ± 0.5 in FV, 18 ± 0.25 in FV ROI, 1800 ± 25 in the dataset; MSSI 10, 5, 1, 100
    expect(html).toContain('<tr><th scope="row">Events / day</th><td>180 ± 1</td><td>10 ± 1</td></tr>');
    expect(html).toContain('<tr><th scope="row">In FV / day</th><td>90 ± 0.5</td><td>5 ± 0.5</td></tr>');
    expect(html).toContain('<tr><th scope="row">In FV ROI / day</th><td>18 ± 0.25</td><td>1 ± 0.25</td></tr>');
    expect(html).toContain('<tr><th scope="row">In dataset (100 days)</th><td>1800 ± 25</td><td>100 ± 25</td></tr>');
    expect(html).toContain('MSSI / SS in the FV ROI: <strong>0.05556</strong> (5.556%)');
  });

  it('draws the bars, both heat maps and four projections', () => {
    const ids = [...html.matchAll(/<svg id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['sources-bars', 'ss-heat', 'ss-proj-x', 'ss-proj-y', 'mssi-heat', 'mssi-proj-x', 'mssi-proj-y']);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('A_&lt;b&gt;bold&lt;/b&gt;');
  });

  it('says what fell in the flow bins', () => {
    expect(html).toContain('4 ± 1 events/day (22.22% of this model) fell in the flow bins (outside cS1 [phd] 0–3 or log₁₀ cS2 [phd] 2–4)');
    expect(html).toContain('In range: 14 events/day in 3 × 2 bins, 5 simulated events filled.');
    expect(html).toContain('No event fell in the flow bins');
  });

  it('a source name cannot break out of the markup', () => {
    const input = handInput();
    const evil = '</title></svg><script>alert(1)</script><img src=x onerror=alert(2)>';
    const out = renderHtmlReport({ ...input, title: evil, sources: [{ ...input.sources[0]!, source: evil }] });
    expect(out).not.toMatch(/<script|<img|<\/svg><script/);
    expect(out).toContain('&lt;/title&gt;&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('notes instead of charts for an empty input', () => {
    const input = handInput();
    const out = renderHtmlReport({
      ...input,
      sources: [],
      summary: { ...input.summary, fraction: null },
      ssTotal: zeroed(input.ssTotal),
      mssiTotal: zeroed(input.mssiTotal),
    });
    expect(out).not.toContain('<svg');
    expect(out).toContain('<p class="note" role="note">No source has a rate: there is no FV ROI rate to draw.</p>');
    expect(out).toContain('<p class="note" role="note">The SS model has no event in its plotted bins: no heat map or projection to draw.</p>');
    expect(out).toContain('<p class="note" role="note">The MSSI model has no event in its plotted bins: no heat map or projection to draw.</p>');
    expect(out).toContain('MSSI / SS fraction: not defined (no SS event in the FV ROI).');
  });

  it('a model with events only in flow bins: a note, and the flow numbers', () => {
    const onlyFlow = zeroed(MSSI);
    onlyFlow.values[0] = 2;
    onlyFlow.variances[0] = 4;
    const out = renderHtmlReport({ ...handInput(), mssiTotal: onlyFlow });
    expect(out).toContain('2 ± 2 events/day (100% of this model) fell in the flow bins');
    expect(out).toContain('The MSSI model has no event in its plotted bins');
    expect(out).not.toContain('<svg id="mssi-heat"');
  });
});
