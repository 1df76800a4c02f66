// A model's projection on one axis: the summed events/day per bin as a step line
// (d3-shape), with ±sigma error bars at the bin centres.

import { max, min } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import { escapeText } from './escape.js';
import { formatMeasured, formatNumber } from './format.js';
import type { Projection } from './projection.js';
import { bottomAxis, leftAxis, n, svgRoot, type Frame } from './svg.js';

export function projectionSvg(p: Projection, axisTitle: string, color: string, id: string, title: string): string {
  const f: Frame = { width: 560, height: 250, top: 14, right: 20, bottom: 50, left: 72 };
  const count = p.values.length;
  const lo = p.edges[0]!;
  const hi = p.edges[count]!;
  const x = scaleLinear().domain([lo, hi]).range([f.left, f.width - f.right]);
  const bins = Array.from({ length: count }, (_, k) => k);
  const yLo = Math.min(0, min(bins, (k) => p.values[k]! - p.sigmas[k]!) ?? 0);
  const yHi = max(bins, (k) => p.values[k]! + p.sigmas[k]!) ?? 0;
  const y = scaleLinear()
    .domain([yLo, yHi > yLo ? yHi : yLo + 1])
    .nice()
    .range([f.height - f.bottom, f.top]);
  const points: [number, number][] = bins.map((k) => [p.edges[k]!, p.values[k]!]);
  points.push([hi, p.values[count - 1]!]);
  const step = line<[number, number]>()
    .x((d) => x(d[0]))
    .y((d) => y(d[1]))
    .curve(curveStepAfter)(points);
  const errors = bins
    .filter((k) => p.sigmas[k]! > 0)
    .map((k) => {
      const cx = n(x((p.edges[k]! + p.edges[k + 1]!) / 2));
      return `M${cx},${n(y(p.values[k]! - p.sigmas[k]!))}V${n(y(p.values[k]! + p.sigmas[k]!))}`;
    })
    .join('');
  // a transparent column per bin, so each bin's numbers show on hover (and to screen readers)
  const tips = bins.map((k) => {
    const x0 = x(p.edges[k]!);
    const tip = `${axisTitle} [${formatNumber(p.edges[k]!)}, ${formatNumber(p.edges[k + 1]!)}): ${formatMeasured(p.values[k]!, p.sigmas[k]!)} events/day`;
    return `<rect x="${n(x0)}" y="${f.top}" width="${n(x(p.edges[k + 1]!) - x0)}" height="${f.height - f.bottom - f.top}" fill="transparent"><title>${escapeText(tip)}</title></rect>`;
  });
  return svgRoot(
    f,
    id,
    title,
    `<path class="step" d="${step ?? ''}" fill="none" stroke="${color}" stroke-width="1.8"/>` +
      `<path class="errors" d="${errors}" stroke="${color}" stroke-width="1.2" fill="none"/>` +
      `<g class="tips">${tips.join('')}</g>` +
      bottomAxis(x, f, axisTitle) +
      leftAxis(y, f, 'events / day per bin'),
  );
}
