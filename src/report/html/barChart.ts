// SS and MSSI FV ROI events/day by source: horizontal bars (long source names read
// on the left), each with its ±sigma error bar.

import { max, min } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { MSSI_COLOR, SS_COLOR } from './colors.js';
import { escapeText } from './escape.js';
import { formatMeasured } from './format.js';
import type { HtmlSource } from './input.js';
import { bottomAxis, FONT, n, svgRoot, type Frame } from './svg.js';

/** Source names longer than this are cut in the middle (the whole name is in the label's title). */
export const NAME_CHARS = 20;

/** Names of one isotope differ at both ends (Th232-late_BottomTPCPMTBases / ...Bodies): keep both. */
export function shortName(name: string): string {
  const chars = [...name];
  if (chars.length <= NAME_CHARS) return name;
  const head = Math.ceil((NAME_CHARS - 1) / 2);
  const tail = NAME_CHARS - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

interface Series {
  readonly kind: 'SS' | 'MSSI';
  readonly color: string;
  readonly value: (s: HtmlSource) => number;
  readonly sigma: (s: HtmlSource) => number;
}

const SERIES: readonly Series[] = [
  { kind: 'SS', color: SS_COLOR, value: (s) => s.ssFvRoiPerDay, sigma: (s) => s.ssFvRoiSigma },
  { kind: 'MSSI', color: MSSI_COLOR, value: (s) => s.mssiFvRoiPerDay, sigma: (s) => s.mssiFvRoiSigma },
];

/** Why there is no bar chart to draw, or null when there is one. */
export function barChartEmptyReason(sources: readonly HtmlSource[]): string | null {
  if (sources.length === 0) return 'No source has a rate: there is no FV ROI rate to draw.';
  const all = sources.flatMap((s) => SERIES.flatMap((k) => [k.value(s), k.sigma(s)]));
  if (all.some((v) => !Number.isFinite(v))) return 'A source has a rate or uncertainty that is not a finite number: no chart drawn.';
  if (all.every((v) => v === 0)) return 'Every source has 0 SS and 0 MSSI events/day in the FV ROI.';
  return null;
}

/** The chart (sources with a finite, not all-zero rate; see barChartEmptyReason). */
export function barChartSvg(sources: readonly HtmlSource[], id: string): string {
  const rowHeight = 2 * FONT + 14;
  const frame: Frame = { width: 560, height: 0, top: 34, right: 24, bottom: 48, left: 176 };
  const height = frame.top + frame.bottom + rowHeight * sources.length;
  const f: Frame = { ...frame, height };
  const lo = Math.min(0, min(sources, (s) => Math.min(...SERIES.map((k) => k.value(s) - k.sigma(s)))) ?? 0);
  const hi = Math.max(0, max(sources, (s) => Math.max(...SERIES.map((k) => k.value(s) + k.sigma(s)))) ?? 0);
  const x = scaleLinear().domain([lo, hi]).nice().range([f.left, f.width - f.right]);
  const rows = scaleBand<number>()
    .domain(sources.map((_, i) => i))
    .range([f.top, height - f.bottom])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const bar = scaleBand<string>().domain(SERIES.map((k) => k.kind)).range([0, rows.bandwidth()]).padding(0.08);
  const x0 = x(0);
  const marks = sources.map((s, i) => {
    const y0 = rows(i)!;
    const bars = SERIES.map((k) => {
      const v = k.value(s);
      const sg = k.sigma(s);
      const y = y0 + bar(k.kind)!;
      const h = bar.bandwidth();
      const left = Math.min(x(v), x0);
      const cy = y + h / 2;
      const title = `${s.source}: ${k.kind} FV ROI ${formatMeasured(v, sg)} events/day`;
      return (
        `<g class="bar ${k.kind.toLowerCase()}"><title>${escapeText(title)}</title>` +
        `<rect x="${n(left)}" y="${n(y)}" width="${n(Math.abs(x(v) - x0))}" height="${n(h)}" fill="${k.color}"/>` +
        `<path d="M${n(x(v - sg))},${n(cy)}H${n(x(v + sg))}M${n(x(v - sg))},${n(cy - h / 4)}V${n(cy + h / 4)}M${n(x(v + sg))},${n(cy - h / 4)}V${n(cy + h / 4)}" stroke="#222" stroke-width="1.5" fill="none"/></g>`
      );
    });
    const label =
      `<text x="${n(f.left - 8)}" y="${n(y0 + rows.bandwidth() / 2)}" dy="0.32em" text-anchor="end" fill="currentColor" font-size="13">` +
      `<title>${escapeText(s.source)}</title>${escapeText(shortName(s.source))}</text>`;
    return label + bars.join('');
  });
  const legend = SERIES.map(
    (k, i) =>
      `<g transform="translate(${f.left + i * 110},8)"><rect width="14" height="14" fill="${k.color}"/>` +
      `<text x="20" y="7" dy="0.32em" fill="currentColor">${k.kind}</text></g>`,
  ).join('');
  return svgRoot(
    f,
    id,
    'SS and MSSI events per day in the FV ROI, by source, with their uncertainties',
    legend + marks.join('') + bottomAxis(x, f, 'FV ROI events / day'),
  );
}
