// The HTML report: one self-contained file (inline CSS and SVG, no script, no font,
// no URL), drawn in Node at report time, so it opens offline in any browser.

import type { WeightedHistogram } from '../../model/types.js';
import { barChartEmptyReason, barChartSvg } from './barChart.js';
import { MSSI_COLOR, SS_COLOR } from './colors.js';
import { escapeText } from './escape.js';
import { formatMeasured, formatNumber, plainTitle } from './format.js';
import { filledCells, heatMapSvg } from './heatMap.js';
import type { HtmlExpected, HtmlReportInput } from './input.js';
import { flowSummary, projectX, projectY } from './projection.js';
import { projectionSvg } from './projectionChart.js';

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #fff;
  margin: 0 auto; padding: 16px; max-width: 1200px; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 0.4rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 1.6rem 0 0.5rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1rem; margin: 0.6rem 0 0.3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.25rem 0.7rem; white-space: nowrap; text-align: right; border-bottom: 1px solid #e4e4e4; }
th:first-child, td:first-child { text-align: left; }
.scroll { overflow-x: auto; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); gap: 1rem 1.5rem; align-items: start; }
.stack { display: grid; gap: 1rem; }
figure { margin: 0; }
figcaption { font-size: 0.9rem; color: #444; }
svg { display: block; width: 100%; height: auto; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5rem 0.8rem; margin: 0.5rem 0; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; vertical-align: baseline; margin-right: 0.3em; }
`;

function note(text: string): string {
  return `<p class="note" role="note">${escapeText(text)}</p>`;
}

function summaryTable(ss: HtmlExpected, mssi: HtmlExpected, livetimeDays: number): string {
  const rows: [string, (e: HtmlExpected) => string][] = [
    ['Events / day', (e) => formatMeasured(e.perDay, e.perDaySigma)],
    ['In FV / day', (e) => formatMeasured(e.fvPerDay, e.fvPerDaySigma)],
    ['In FV ROI / day', (e) => formatMeasured(e.fvRoiPerDay, e.fvRoiPerDaySigma)],
    [`In dataset (${formatNumber(livetimeDays)} days)`, (e) => formatMeasured(e.inDataset, e.inDatasetSigma)],
  ];
  const body = rows
    .map(([label, cell]) => `<tr><th scope="row">${escapeText(label)}</th><td>${escapeText(cell(ss))}</td><td>${escapeText(cell(mssi))}</td></tr>`)
    .join('');
  return (
    `<div class="scroll"><table class="summary"><thead><tr><th scope="col">Expected</th>` +
    `<th scope="col"><span class="swatch" style="background:${SS_COLOR}"></span>SS</th>` +
    `<th scope="col"><span class="swatch" style="background:${MSSI_COLOR}"></span>MSSI</th></tr></thead>` +
    `<tbody>${body}</tbody></table></div>`
  );
}

function fractionLine(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) {
    return note('MSSI / SS fraction: not defined (no SS event in the FV ROI).');
  }
  return `<p class="fraction">MSSI / SS in the FV ROI: <strong>${escapeText(formatNumber(fraction))}</strong> (${escapeText(formatNumber(fraction * 100))}%)</p>`;
}

/** One model's section: heat map and its two projections, or a note saying why there are none. */
function modelSection(kind: 'SS' | 'MSSI', h: WeightedHistogram, color: string): string {
  const id = kind.toLowerCase();
  const heading = `<h2 id="${id}-model">${kind} model: ${escapeText(plainTitle(h.title || h.name))}</h2>`;
  const xTitle = plainTitle(h.x.title);
  const yTitle = plainTitle(h.y.title);
  const cells = filledCells(h);
  const flow = flowSummary(h);
  const flowText =
    flow.flow > 0
      ? `${formatMeasured(flow.flow, flow.flowSigma)} events/day (${formatNumber((100 * flow.flow) / (flow.flow + flow.inRange))}% of this model) fell in the flow bins (outside ${xTitle} ${formatNumber(h.x.low)}–${formatNumber(h.x.high)} or ${yTitle} ${formatNumber(h.y.low)}–${formatNumber(h.y.high)}) and are not drawn.`
      : `No event fell in the flow bins (outside the plotted ranges).`;
  const meta = `<p>In range: ${escapeText(formatNumber(flow.inRange))} events/day in ${h.x.count} × ${h.y.count} bins, ${escapeText(formatNumber(h.entries))} simulated events filled. ${escapeText(flowText)}</p>`;
  if (cells.length === 0) {
    return heading + meta + note(`The ${kind} model has no event in its plotted bins: no heat map or projection to draw.`);
  }
  const heat = heatMapSvg(h, cells, `${id}-heat`, `${kind} model: events/day per (${xTitle}, ${yTitle}) bin`);
  const px = projectionSvg(projectX(h), xTitle, color, `${id}-proj-x`, `${kind} model projected on ${xTitle}`);
  const py = projectionSvg(projectY(h), yTitle, color, `${id}-proj-y`, `${kind} model projected on ${yTitle}`);
  const fig = (svg: string, caption: string) => `<figure>${svg}<figcaption>${escapeText(caption)}</figcaption></figure>`;
  return (
    heading +
    meta +
    `<div class="grid">` +
    fig(heat, `Heat map of the ${kind} model (log colour scale; grey: no event).`) +
    `<div class="stack">` +
    fig(px, `Projection on ${xTitle}: summed over the in-range ${yTitle} bins, ±1σ.`) +
    fig(py, `Projection on ${yTitle}: summed over the in-range ${xTitle} bins, ±1σ.`) +
    `</div></div>`
  );
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const { summary } = input;
  const barsEmpty = barChartEmptyReason(input.sources);
  const bars = barsEmpty ? note(barsEmpty) : `<figure>${barChartSvg(input.sources, 'sources-bars')}<figcaption>Bars: expected events/day in the FV ROI; lines: ±1σ (simulation statistics).</figcaption></figure>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(input.title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<header><h1>${escapeText(input.title)}</h1><dl class="meta">`,
    `<dt>mssi version</dt><dd>${escapeText(input.mssiVersion)}</dd>`,
    `<dt>Selection hash</dt><dd>${escapeText(input.selectionHash)}</dd>`,
    `<dt>Livetime</dt><dd>${escapeText(formatNumber(input.livetimeDays))} days</dd>`,
    `</dl></header><main>`,
    `<h2 id="summary">Summary</h2>`,
    summaryTable(summary.ss, summary.mssi, input.livetimeDays),
    fractionLine(summary.fraction),
    `<h2 id="sources">FV ROI events per day by source</h2>`,
    bars,
    modelSection('SS', input.ssTotal, SS_COLOR),
    modelSection('MSSI', input.mssiTotal, MSSI_COLOR),
    `<p class="footnote">Uncertainties: σ = √(Σ over sources of count × w²), w = eventWeight × rate.</p>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
