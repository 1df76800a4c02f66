// The renderer as `npm run build` compiles it (dist/), under plain Node's ESM loader
// rather than vitest's: the d3 packages must load by their real exports.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RENDER = join(ROOT, 'dist', 'src', 'report', 'html', 'render.js');

const SCRIPT = `
import { renderHtmlReport } from ${JSON.stringify(new URL(`file://${RENDER}`).href)};
const axis = (title) => ({ count: 2, low: 0, high: 2, title });
const hist = (name) => {
  const values = new Float64Array(16); values[5] = 3; values[6] = 1;
  return { name, title: name, x: axis('cS1 [phd]'), y: axis('log_{10} cS2 [phd]'), values, variances: values.map((v) => v / 2), entries: 2 };
};
const e = { perDay: 1, perDaySigma: 0.1, fvPerDay: 1, fvPerDaySigma: 0.1, fvRoiPerDay: 1, fvRoiPerDaySigma: 0.1, inDataset: 10, inDatasetSigma: 1 };
const html = renderHtmlReport({ title: 't', mssiVersion: 'v', selectionHash: 'h', livetimeDays: 10, summary: { ss: e, mssi: e, fraction: 1 },
  sources: [{ source: 'S', ssFvRoiPerDay: 1, ssFvRoiSigma: 0.1, mssiFvRoiPerDay: 1, mssiFvRoiSigma: 0.1 }], ssTotal: hist('ss'), mssiTotal: hist('mssi') });
process.stdout.write([...html.matchAll(/<svg id="([^"]+)"/g)].map((m) => m[1]).join(' '));
`;

describe('the built renderer under plain Node', () => {
  it('renders every chart', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { encoding: 'utf8', cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('sources-bars ss-heat ss-proj-x ss-proj-y mssi-heat mssi-proj-x mssi-proj-y');
  });
});
