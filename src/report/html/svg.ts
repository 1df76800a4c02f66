// The SVG pieces every chart shares: the root element (a viewBox so that it scales to
// any width), numbers written short, and axes drawn from a d3 scale's ticks (d3-axis
// needs a DOM; these write the same marks as strings).

import { escapeText } from './escape.js';

/** A coordinate with at most two decimals: smaller files, no visible difference. */
export function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export const FONT = 15;

/** The root element: scales down to its container (viewBox), never above its own width. */
export function svgRoot(frame: Frame, id: string, title: string, body: string): string {
  return (
    `<svg id="${escapeText(id)}" viewBox="0 0 ${frame.width} ${frame.height}" style="max-width:${frame.width}px" ` +
    `role="img" aria-labelledby="${escapeText(id)}-title" font-size="${FONT}">` +
    `<title id="${escapeText(id)}-title">${escapeText(title)}</title>${body}</svg>`
  );
}

/** What an axis needs of a scale: d3's continuous scales have these. */
export interface TickScale {
  (v: number): number;
  ticks(count?: number): number[];
  tickFormat(count?: number, specifier?: string): (v: number) => string;
}

/** An x axis at height y (ticks below), with its title centred under it. */
export function bottomAxis(scale: TickScale, frame: Frame, label: string, count = 6): string {
  const y = frame.height - frame.bottom;
  const format = scale.tickFormat(count);
  const ticks = scale.ticks(count).map((t) => {
    const x = n(scale(t));
    return `<line stroke="currentColor" x1="${x}" x2="${x}" y1="${n(y)}" y2="${n(y + 5)}"/><text x="${x}" y="${n(y + 8)}" dy="0.8em" text-anchor="middle">${escapeText(format(t))}</text>`;
  });
  const mid = (frame.left + frame.width - frame.right) / 2;
  return (
    `<g class="axis" stroke="currentColor">` +
    `<line x1="${n(frame.left)}" x2="${n(frame.width - frame.right)}" y1="${n(y)}" y2="${n(y)}"/>` +
    `<g stroke="none" fill="currentColor">${ticks.join('')}` +
    `<text x="${n(mid)}" y="${n(frame.height - 4)}" text-anchor="middle" font-weight="600">${escapeText(label)}</text></g></g>`
  );
}

/** A y axis at x = frame.left (ticks to the left), its title turned along it. */
export function leftAxis(scale: TickScale, frame: Frame, label: string, count = 5): string {
  const x = frame.left;
  const format = scale.tickFormat(count);
  const ticks = scale.ticks(count).map((t) => {
    const y = n(scale(t));
    return `<line stroke="currentColor" x1="${n(x - 5)}" x2="${n(x)}" y1="${y}" y2="${y}"/><text x="${n(x - 8)}" y="${y}" dy="0.32em" text-anchor="end">${escapeText(format(t))}</text>`;
  });
  const mid = (frame.top + frame.height - frame.bottom) / 2;
  return (
    `<g class="axis" stroke="currentColor">` +
    `<line x1="${n(x)}" x2="${n(x)}" y1="${n(frame.top)}" y2="${n(frame.height - frame.bottom)}"/>` +
    `<g stroke="none" fill="currentColor">${ticks.join('')}` +
    `<text transform="translate(${FONT},${n(mid)}) rotate(-90)" text-anchor="middle" font-weight="600">${escapeText(label)}</text></g></g>`
  );
}
