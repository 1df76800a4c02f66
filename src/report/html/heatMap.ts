// A model's in-range bins as a heat map: x = cS1, y = log10 cS2, colour = events/day
// on a log scale (a model spans decades), with a colour legend. Empty cells are not
// drawn (the plot's background shows through), so a sparse model stays small.

import { max, min } from 'd3-array';
import { scaleLinear, scaleLog, scaleSequentialLog } from 'd3-scale';
import type { WeightedHistogram } from '../../model/types.js';
import { EMPTY_CELL, HEAT_INTERPOLATOR } from './colors.js';
import { escapeText } from './escape.js';
import { formatMeasured, formatNumber, plainTitle } from './format.js';
import { axisEdges } from '../../model/bin.js';
import { checkShape } from './projection.js';
import { bottomAxis, leftAxis, n, svgRoot, type Frame } from './svg.js';

export interface HeatCell {
  readonly ix: number;
  readonly iy: number;
  readonly value: number;
  readonly sigma: number;
}

/** The in-range cells with a value above 0, in cell order. */
export function filledCells(h: WeightedHistogram): HeatCell[] {
  checkShape(h);
  const stride = h.x.count + 2;
  const cells: HeatCell[] = [];
  for (let iy = 1; iy <= h.y.count; iy++) {
    for (let ix = 1; ix <= h.x.count; ix++) {
      const value = h.values[ix + stride * iy]!;
      if (value > 0) cells.push({ ix, iy, value, sigma: Math.sqrt(h.variances[ix + stride * iy]!) });
    }
  }
  return cells;
}

/** The colour scale's domain: the smallest and largest filled value (a decade wide when they are equal). */
export function colorDomain(cells: readonly HeatCell[]): [number, number] | null {
  const lo = min(cells, (c) => c.value);
  const hi = max(cells, (c) => c.value);
  if (lo === undefined || hi === undefined) return null;
  return lo === hi ? [lo / 10, hi] : [lo, hi];
}

/** The heat map of h's filled cells (at least one: see filledCells). */
export function heatMapSvg(h: WeightedHistogram, cells: readonly HeatCell[], id: string, title: string): string {
  const domain = colorDomain(cells);
  if (!domain) throw new Error(`heatMapSvg(${h.name}): no filled cell to draw`);
  const f: Frame = { width: 560, height: 400, top: 12, right: 104, bottom: 50, left: 62 };
  const xTitle = plainTitle(h.x.title);
  const yTitle = plainTitle(h.y.title);
  const xe = axisEdges(h.x);
  const ye = axisEdges(h.y);
  const x = scaleLinear().domain([h.x.low, h.x.high]).range([f.left, f.width - f.right]);
  const y = scaleLinear().domain([h.y.low, h.y.high]).range([f.height - f.bottom, f.top]);
  const color = scaleSequentialLog(HEAT_INTERPOLATOR).domain(domain);
  const rects = cells.map((c) => {
    const x0 = x(xe[c.ix - 1]!);
    const x1 = x(xe[c.ix]!);
    const y0 = y(ye[c.iy]!);
    const y1 = y(ye[c.iy - 1]!);
    const tip =
      `${xTitle} [${formatNumber(xe[c.ix - 1]!)}, ${formatNumber(xe[c.ix]!)}), ` +
      `${yTitle} [${formatNumber(ye[c.iy - 1]!)}, ${formatNumber(ye[c.iy]!)}): ${formatMeasured(c.value, c.sigma)} events/day`;
    // a hair wider than the bin: no seams between neighbours when scaled
    return `<rect x="${n(x0)}" y="${n(y0)}" width="${n(x1 - x0 + 0.3)}" height="${n(y1 - y0 + 0.3)}" fill="${color(c.value)}"><title>${escapeText(tip)}</title></rect>`;
  });
  const plotW = f.width - f.right - f.left;
  const plotH = f.height - f.bottom - f.top;
  const background = `<rect x="${f.left}" y="${f.top}" width="${plotW}" height="${plotH}" fill="${EMPTY_CELL}"/>`;
  return svgRoot(
    f,
    id,
    title,
    background +
      `<g class="cells">${rects.join('')}</g>` +
      bottomAxis(x, f, xTitle) +
      leftAxis(y, f, yTitle) +
      legendSvg(domain, f, id),
  );
}

/** A vertical colour bar right of the plot, with log ticks in events/day. */
function legendSvg(domain: [number, number], f: Frame, id: string): string {
  const left = f.width - f.right + 18;
  const w = 14;
  const scale = scaleLog().domain(domain).range([f.height - f.bottom, f.top]);
  const stops = Array.from({ length: 11 }, (_, i) => `<stop offset="${i * 10}%" stop-color="${HEAT_INTERPOLATOR(i / 10)}"/>`);
  const gradient = `${id}-gradient`;
  const decades = Math.log10(domain[1] / domain[0]);
  // one label per decade when the domain spans several (log scale ticks 1..9 per decade otherwise)
  const ticks = decades >= 2 ? scale.ticks().filter((t) => Number.isInteger(Math.log10(t))) : scale.ticks(4);
  const tickMarks = ticks.map((t) => {
    const ty = n(scale(t));
    return `<line x1="${left + w}" x2="${left + w + 4}" y1="${ty}" y2="${ty}" stroke="currentColor"/><text x="${left + w + 7}" y="${ty}" dy="0.32em" fill="currentColor" font-size="12">${escapeText(formatNumber(t))}</text>`;
  });
  return (
    `<defs><linearGradient id="${escapeText(gradient)}" x1="0" x2="0" y1="1" y2="0">${stops.join('')}</linearGradient></defs>` +
    `<g class="legend"><title>colour scale: events/day per bin, log scale from ${escapeText(formatNumber(domain[0]))} to ${escapeText(formatNumber(domain[1]))}; grey: no event</title>` +
    `<rect x="${left}" y="${f.top}" width="${w}" height="${f.height - f.bottom - f.top}" fill="url(#${escapeText(gradient)})" stroke="#888" stroke-width="0.5"/>` +
    `${tickMarks.join('')}` +
    `<text transform="translate(${f.width - 4},${n((f.top + f.height - f.bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="currentColor" font-size="13">events / day per bin</text></g>`
  );
}
