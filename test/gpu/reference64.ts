// A tiny float64 reference of the selection and the model for any Selection,
// written from SELECTION.md and issue 18 alone (edges by their definition, bins by
// a plain scan), to hold the GPU backend, and its own float64 path, to.

import { DEFAULT_SELECTION, type AxisSpec, type Selection } from '../../src/selection/definition.js';
import type { ModelCounts } from '../../src/model/types.js';
import { isMultiScatterSingleIonisation } from '../../src/selection/reference.js';
import { zeroCounts, type EventColumns, type SelectionCounts } from '../../src/selection/types.js';
import { Rng } from '../../src/gpu/boundaryEvents.js';
import { MAX_WALL_DEGREE } from '../../src/selection/limits.js';

/** Issue 18's edge k: low + k * ((high - low) / count), as ROOT and numpy compute it; the last is high. */
function edge(a: AxisSpec, k: number): number {
  return k === a.count ? a.high : a.low + k * ((a.high - a.low) / a.count);
}

/** ROOT's bin number by a scan of the edges; -1 for NaN. */
export function scanBin(a: AxisSpec, v: number): number {
  if (Number.isNaN(v)) return -1;
  if (v < a.low) return 0;
  if (v >= a.high) return a.count + 1;
  for (let k = 0; k < a.count; k++) if (edge(a, k) <= v && v < edge(a, k + 1)) return k + 1;
  throw new Error(`no bin for ${v}`);
}

export function reference64(c: EventColumns, sel: Selection): { counts: SelectionCounts; model: ModelCounts } {
  const x = sel.model.cs1Bins;
  const y = sel.model.log10Cs2Bins;
  const n = (x.count + 2) * (y.count + 2);
  const model: ModelCounts = { x, y, ss: { cells: new Float64Array(n), nan: 0 }, mssi: { cells: new Float64Array(n), nan: 0 } };
  const counts = zeroCounts();
  counts.nSS = c.entries;
  for (let i = 0; i < c.entries; i++) {
    const t = c.driftTime_ns[i]! / 1000;
    const wall = sel.fv.wallPoly.reduce((acc, k) => acc * t + k, 0);
    const r = Math.sqrt(c.x_cm[i]! ** 2 + c.y_cm[i]! ** 2);
    const fv = sel.fv.driftUs[0] < t && t < sel.fv.driftUs[1] && r < wall - sel.fv.wallStandoffCm;
    const s1c = c.correctedS1Area_phd[i]!;
    const ly = Math.log10(c.correctedS2Area_phd[i]!);
    const roi = sel.roi.cs1Phd[0] < s1c && s1c < sel.roi.cs1Phd[1] && ly < sel.roi.log10Cs2Max && c.s2Area_phd[i]! > sel.roi.s2RawMinPhd;
    const mssi = isMultiScatterSingleIonisation(c, i);
    if (fv) counts.nSSFV++;
    if (fv && roi) counts.nSSFVROI++;
    if (mssi) counts.nMSSI++;
    if (mssi && fv) counts.nMSSIFV++;
    if (mssi && fv && roi) counts.nMSSIFVROI++;
    if (fv && roi) {
      const ix = scanBin(x, s1c);
      const iy = scanBin(y, ly);
      for (const [h, on] of [[model.ss, true], [model.mssi, mssi]] as const) {
        if (!on) continue;
        if (ix < 0 || iy < 0) h.nan++;
        else h.cells[ix + (x.count + 2) * iy]!++;
      }
    }
  }
  return { counts, model };
}

/** A random valid selection: any drift range, a wall polynomial of degree 0-16 (the most a selection file takes), odd standoffs, bins. */
export function randomSelection(seed: number): Selection {
  const rng = new Rng(seed);
  const dLo = rng.range(0, 200);
  const dHi = dLo + rng.range(100, 1500);
  const degree = rng.next() < 0.15 ? MAX_WALL_DEGREE : rng.int(9);
  // P(t) = a0 + sum c_k (t / dHi)^k, a0 40-80 cm and the rest within ±5 cm: a plausible wall.
  const lowestFirst = [rng.range(40, 80), ...Array.from({ length: degree }, (_, k) => rng.range(-5, 5) / degree / dHi ** (k + 1))];
  const wallPoly = lowestFirst.reverse();
  const sLo = rng.next() < 0.3 ? rng.int(10) : rng.range(0, 10);
  const xLow = rng.next() < 0.5 ? 0 : rng.range(-5, 5);
  const yLow = rng.range(1.5, 3);
  return {
    ...DEFAULT_SELECTION,
    fv: { driftUs: [dLo, dHi], wallPoly, wallStandoffCm: rng.next() < 0.3 ? 3 : rng.range(0, 5) },
    roi: { cs1Phd: [sLo, sLo + rng.range(10, 1000)], log10Cs2Max: rng.range(3.5, 6), s2RawMinPhd: rng.range(100, 1000) },
    model: {
      cs1Bins: { count: 1 + rng.int(200), low: xLow, high: xLow + rng.range(10, 800) },
      log10Cs2Bins: { count: 1 + rng.int(120), low: yLow, high: yLow + rng.range(1, 3) },
    },
  };
}
