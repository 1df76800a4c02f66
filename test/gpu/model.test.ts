// The GPU's model (cells of SS FV ROI and MSSI FV ROI events) and counts for any
// selection, against a float64 reference written from the definition alone
// (reference64.ts): hand-worked events on bin edges, in the flow bins and NaN;
// random selections on events drawn around every cut and every bin edge.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundaryEvents } from '../../src/gpu/boundaryEvents.js';
import { closeSharedGpu, selectGpu, type GpuSelection, type GpuSelector } from '../../src/gpu/index.js';
import { thresholdsFor, valueOfKey, keyOf, MAX_WALL_COEFFICIENTS } from '../../src/gpu/thresholds.js';
import { DEFAULT_SELECTION, type Selection } from '../../src/selection/definition.js';
import { selectReference } from '../../src/selection/reference.js';
import { COUNT_KEYS, type EventColumns, type SelectionCounts } from '../../src/selection/types.js';
import type { ModelCounts } from '../../src/model/types.js';
import { acquireSelector, probe } from './adapter.js';
import { selectCpu } from '../../src/selection/wasmSelect.js';
import { emptyModel, modelAxes, ModelBinner } from '../../src/model/bin.js';
import { randomSelection, reference64 } from './reference64.js';

const noGpu = !!probe.reason;
let gpu: GpuSelector;

beforeAll(async () => {
  if (noGpu) return;
  gpu = (await acquireSelector()).selector!;
});
afterAll(() => gpu?.close());

const countsOf = (c: SelectionCounts) => Object.fromEntries(COUNT_KEYS.map((k) => [k, c[k]]));
/** Non-empty cells as "cell:count", and the NaN tallies: a readable diff on failure. */
const cellsOf = (m: ModelCounts) => ({
  ss: [...m.ss.cells.entries()].filter(([, v]) => v !== 0).map(([i, v]) => `${i}:${v}`),
  mssi: [...m.mssi.cells.entries()].filter(([, v]) => v !== 0).map(([i, v]) => `${i}:${v}`),
  nan: [m.ss.nan, m.mssi.nan],
});

async function expectModelParity(c: EventColumns, sel: Selection): Promise<GpuSelection> {
  const got = await gpu.select(c, sel);
  const ref = reference64(c, sel);
  expect(countsOf(got)).toEqual(countsOf(ref.counts));
  expect(cellsOf(got.model)).toEqual(cellsOf(ref.model));
  expect(got.model.x).toEqual(sel.model.cs1Bins);
  expect(got.model.y).toEqual(sel.model.log10Cs2Bins);
  return got;
}

/** FV events (r = 10 cm, mid drift) with the given cS1, cS2, raw S2 and vertices. */
function events(list: { s1c: number; s2c: number; s2?: number; mssi?: boolean }[]): EventColumns {
  const n = list.length;
  const offsets = Int32Array.from({ length: n + 1 }, (_, i) => i);
  return {
    entries: n,
    x_cm: new Float32Array(n).fill(10),
    y_cm: new Float32Array(n),
    driftTime_ns: new Float32Array(n).fill(500_000),
    s2Area_phd: Float32Array.from(list, (e) => e.s2 ?? 1000),
    correctedS1Area_phd: Float32Array.from(list, (e) => e.s1c),
    correctedS2Area_phd: Float32Array.from(list, (e) => e.s2c),
    nRQMCTruthVertices: new Int32Array(n).fill(1),
    vertexSkipped: { offsets, values: new Uint8Array(n) },
    detectedS1Photons: { offsets, values: new Float32Array(n).fill(1) },
    detectedS2Photons: { offsets, values: Float32Array.from(list, (e) => (e.mssi ? 0 : 1)) },
  };
}

const below = (v: number) => valueOfKey(keyOf(v) - 1);
const above = (v: number) => valueOfKey(keyOf(v) + 1);

describe.skipIf(noGpu)('GPU model == float64 binning', () => {
  it('hand-worked events on the default bin edges (5 phd, 0.025 in log10 cS2)', async () => {
    // x: 120 bins of 5 phd from 0; y: 80 bins of 0.025 from 2.5. cell = ix + 122 iy.
    const c = events([
      { s1c: 5, s2c: 1000, mssi: true }, // x edge 1 exactly: bin 2; log10 = 3 = edge 20: bin 21
      { s1c: below(5), s2c: below(1000) }, // just below both edges: bins 1, 20
      { s1c: above(3), s2c: above(1000) }, // first bin; bin 21
      { s1c: below(600), s2c: below(31622.77734375), mssi: true }, // last bins: 120, 80
      { s1c: 100, s2c: 10 ** 2.5 }, // x edge 20: bin 21; y: log10(316.2277..) vs 2.5
      { s1c: 100, s2c: 0 }, // log10(0) = -inf: y underflow
      { s1c: 100, s2c: -0, mssi: true }, // -0 too
      { s1c: 100, s2c: 200 }, // log10 = 2.30: y underflow
      { s1c: NaN, s2c: 1000 }, // not in the ROI: no cell, no NaN tally
      { s1c: 100, s2c: NaN }, // not in the ROI either
      { s1c: 100, s2c: 1000, s2: 645.25 }, // raw S2 at its cut: out
    ]);
    const got = await expectModelParity(c, DEFAULT_SELECTION);
    const yOf316 = Math.log10(Math.fround(10 ** 2.5)) >= 2.5 ? 1 : 0;
    const expected = (cells: [number, number][]) => {
      const n = new Map<number, number>();
      for (const [ix, iy] of cells) n.set(ix + 122 * iy, (n.get(ix + 122 * iy) ?? 0) + 1);
      return [...n.entries()].sort((p, q) => p[0] - q[0]).map(([i, v]) => `${i}:${v}`);
    };
    expect(cellsOf(got.model).ss).toEqual(expected([[2, 21], [1, 20], [1, 21], [120, 80], [21, yOf316], [21, 0], [21, 0], [21, 0]]));
    expect(cellsOf(got.model).mssi).toEqual(expected([[2, 21], [120, 80], [21, 0]]));
    expect(got.model.ss.nan).toBe(0);
    expect(got.nSSFVROI).toBe(8);
    // The events at an edge went to the host, the others not.
    expect(got.flaggedEvents).toBeGreaterThanOrEqual(4);
  });

  it('hand-worked flow bins: below low, at and above high, on both axes', async () => {
    const sel: Selection = {
      ...DEFAULT_SELECTION,
      roi: { ...DEFAULT_SELECTION.roi, cs1Phd: [3, 1000], log10Cs2Max: 5 },
      model: { cs1Bins: { count: 10, low: 20, high: 500 }, log10Cs2Bins: { count: 10, low: 3, high: 4 } },
    };
    // cell = ix + 12 iy
    const c = events([
      { s1c: 5, s2c: 100 }, // (0, 0): both underflow
      { s1c: 500, s2c: 10_000, mssi: true }, // (11, 11): both exactly at high
      { s1c: 700, s2c: 50_000 }, // (11, 11)
      { s1c: below(500), s2c: below(10_000) }, // (10, 10)
      { s1c: 20, s2c: 1000 }, // (1, 1): both exactly at low
      { s1c: below(20), s2c: below(1000) }, // (0, 0)
    ]);
    const got = await expectModelParity(c, sel);
    expect(cellsOf(got.model).ss).toEqual(['0:2', `${1 + 12}:1`, `${10 + 12 * 10}:1`, `${11 + 12 * 11}:2`]);
    expect(cellsOf(got.model).mssi).toEqual([`${11 + 12 * 11}:1`]);
  });

  it('default selection: GPU == CPU reference == float64 binning on 200k events around every cut and edge', async () => {
    const c = boundaryEvents(200_000, 77);
    const got = await expectModelParity(c, DEFAULT_SELECTION);
    expect(countsOf(got)).toEqual(countsOf(selectReference(c)));
    expect(got.flaggedEvents).toBeGreaterThan(0);
    expect(got.gpuEvents).toBeGreaterThan(got.flaggedEvents);
  });

  it('random selections (drift range, wall of degree 0-16, standoff, ROI, binning): GPU == float64 to the event and the cell', async () => {
    let flagged = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const sel = randomSelection(seed);
      expect(thresholdsFor(sel).wall.onDevice).toBe(true);
      const got = await expectModelParity(boundaryEvents(30_000, seed, { selection: sel }), sel);
      expect(got.nSSFVROI, `seed ${seed}`).toBeGreaterThan(100);
      expect(got.gpuEvents, `seed ${seed}`).toBeGreaterThan(got.flaggedEvents);
      flagged += got.flaggedEvents;
    }
    expect(flagged).toBeGreaterThan(0);
  });

  it('random selections: GPU == the CPU path (selectCpu, WebAssembly; its decision bits binned by src/model/bin.ts)', async () => {
    for (let seed = 21; seed <= 26; seed++) {
      const sel = randomSelection(seed);
      const c = boundaryEvents(30_000, seed, { selection: sel });
      const got = await gpu.select(c, sel);
      const bits = new Uint8Array(c.entries);
      const cpu = selectCpu(c, sel, bits);
      const model = emptyModel(modelAxes(sel));
      new ModelBinner(model).add(bits, c.correctedS1Area_phd, c.correctedS2Area_phd, c.entries);
      expect(countsOf(got), `seed ${seed}`).toEqual(countsOf(cpu));
      expect(cellsOf(got.model), `seed ${seed}`).toEqual(cellsOf(model));
    }
  });

  it('a wall with no provable margin and a binning too big for the device: the host decides and bins, same answer', async () => {
    const base = randomSelection(99);
    const sel: Selection = {
      ...base,
      fv: { ...base.fv, wallPoly: [...new Array(MAX_WALL_COEFFICIENTS).fill(1e-70), ...base.fv.wallPoly] },
      model: { cs1Bins: { count: 1000, low: 0, high: 800 }, log10Cs2Bins: { count: 600, low: 2, high: 5 } },
    };
    const t = thresholdsFor(sel);
    expect(t.wall.onDevice).toBe(false);
    expect(t.binOnDevice).toBe(false);
    const got = await expectModelParity(boundaryEvents(20_000, 5, { selection: sel }), sel);
    expect(got.nSSFVROI).toBeGreaterThan(0);
  });

  it('selectGpu (the seam for analyseRange): counts and model on the process-wide selector', async () => {
    const sel = randomSelection(8);
    const c = boundaryEvents(10_000, 8, { selection: sel });
    try {
      const got = await selectGpu(c, sel);
      const ref = reference64(c, sel);
      expect(got.counts).toEqual(ref.counts);
      expect(cellsOf(got.model)).toEqual(cellsOf(ref.model));
      const again = await selectGpu(c, DEFAULT_SELECTION);
      expect(again.counts).toEqual(reference64(c, DEFAULT_SELECTION).counts);
    } finally {
      await closeSharedGpu();
    }
  });

  it('selections alternate on one selector without mixing (uniforms and edge tables rewritten)', async () => {
    const a = randomSelection(3);
    const b = randomSelection(4);
    const ca = boundaryEvents(10_000, 3, { selection: a });
    const cb = boundaryEvents(10_000, 4, { selection: b });
    const [ra, rb, ra2] = await Promise.all([gpu.select(ca, a), gpu.select(cb, b), gpu.select(ca, a)]);
    expect(cellsOf(ra.model)).toEqual(cellsOf(reference64(ca, a).model));
    expect(cellsOf(rb.model)).toEqual(cellsOf(reference64(cb, b).model));
    expect(cellsOf(ra2.model)).toEqual(cellsOf(ra.model));
  });
});
