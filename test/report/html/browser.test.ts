// The HTML report in a real browser: headless Chromium (Debian's `chromium`, installed
// by .ci/install-chromium.sh) opens a report rendered from a realistic input, logs no
// console error, lays it out without horizontal overflow at desktop and phone widths,
// and its screenshot is not blank. Skipped where no Chromium is installed, except on
// CI (CI=true), where that fails.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render.js';
import { findChromium, visit } from './chromium.js';
import { decodePng, imageStats } from './png.js';
import { sampleInput } from './sampleInput.js';

const onCi = process.env.CI === 'true';
const chromium = findChromium();
if (!chromium && !onCi) console.warn('no Chromium (chromium, chromium-browser, google-chrome or $MSSI_CHROMIUM): the browser tests of the HTML report are skipped; install it with .ci/install-chromium.sh');

const dir = mkdtempSync(join(tmpdir(), 'mssi-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function page(name: string, html: string): string {
  const file = join(dir, name);
  writeFileSync(file, html);
  return file;
}

function browser(): string {
  if (!chromium) throw new Error('CI=true and no Chromium found (chromium, chromium-browser, google-chrome or $MSSI_CHROMIUM): run .ci/install-chromium.sh');
  return chromium;
}

/** Page layout facts gathered in the browser. */
const LAYOUT = `({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  svgs: [...document.querySelectorAll('svg')].map((s) => ({ id: s.id, w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height })),
  heatCells: document.querySelectorAll('#ss-heat .cells rect').length,
  bars: document.querySelectorAll('#sources-bars .bar rect').length,
})`;

interface Layout {
  overflow: number;
  svgs: { id: string; w: number; h: number }[];
  heatCells: number;
  bars: number;
}

describe.skipIf(!chromium && !onCi)('the HTML report in headless Chromium', () => {
  const input = sampleInput();
  const report = page('report.html', renderHtmlReport(input));

  it('renders at 1200 px with no console error, every chart laid out, and a screenshot that is not blank', async () => {
    const v = await visit(browser(), report, { width: 1200, height: 2400, evaluate: LAYOUT });
    expect(v.errors).toEqual([]);
    const layout = v.value as Layout;
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.svgs.map((s) => s.id)).toEqual(['sources-bars', 'ss-heat', 'ss-proj-x', 'ss-proj-y', 'mssi-heat', 'mssi-proj-x', 'mssi-proj-y']);
    for (const s of layout.svgs) expect(s.w * s.h, s.id).toBeGreaterThan(200 * 100);
    expect(layout.bars).toBe(2 * input.sources.length);
    expect(layout.heatCells).toBeGreaterThan(100);
    const img = decodePng(v.png);
    expect([img.width, img.height]).toEqual([1200, 2400]);
    const stats = imageStats(img);
    expect(stats.distinctColors).toBeGreaterThan(100); // viridis cells, two series, text antialiasing
    expect(stats.inkFraction).toBeGreaterThan(0.05);
  });

  it('fits a phone width (390 px) without horizontal scrolling', async () => {
    const v = await visit(browser(), report, { width: 390, height: 844, evaluate: LAYOUT });
    expect(v.errors).toEqual([]);
    const layout = v.value as Layout;
    expect(layout.overflow).toBeLessThanOrEqual(0);
    for (const s of layout.svgs) expect(s.w, s.id).toBeLessThanOrEqual(390);
  });

  it('renders the empty report (no source with a rate, empty models) with no console error', async () => {
    const empty = { ...input, sources: [], summary: { ...input.summary, fraction: null }, ssTotal: zero(input.ssTotal), mssiTotal: zero(input.mssiTotal) };
    const v = await visit(browser(), page('empty.html', renderHtmlReport(empty)), { width: 1200, height: 900, evaluate: `document.querySelectorAll('svg').length` });
    expect(v.errors).toEqual([]);
    expect(v.value).toBe(0);
    expect(imageStats(decodePng(v.png)).inkFraction).toBeGreaterThan(0.005);
  });

  // the checks above can fail: a page with a console error, and a blank page, are caught
  it('catches a console error and an uncaught exception', async () => {
    const bad = page('bad.html', '<!DOCTYPE html><p>x</p><script>console.error("drawn wrong"); null.f();</script>');
    const v = await visit(browser(), bad, { width: 400, height: 300 });
    expect(v.errors).toHaveLength(2);
    expect(v.errors[0]).toContain('drawn wrong');
    expect(v.errors[1]).toMatch(/^uncaught: TypeError/);
  });

  it('tells a blank page by its screenshot', async () => {
    const v = await visit(browser(), page('blank.html', '<!DOCTYPE html><title>blank</title>'), { width: 400, height: 300 });
    const stats = imageStats(decodePng(v.png));
    expect(stats.distinctColors).toBe(1);
    expect(stats.inkFraction).toBe(0);
  });
});

function zero<T extends { values: Float64Array; variances: Float64Array }>(h: T): T {
  return { ...h, values: new Float64Array(h.values.length), variances: new Float64Array(h.variances.length), entries: 0 };
}
