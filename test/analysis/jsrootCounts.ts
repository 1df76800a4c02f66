// The six counts of a file computed from jsroot's own reading of it: an
// independent check of mssi's reader + selection pipeline, event for event.
import { readWithJsroot, type JsValue } from '../root/read/jsroot-reference.js';
import {
  EVENT_WEIGHT_BRANCH,
  SCATTER_BRANCHES,
  SCATTERS_TREE,
  TRUTH_BRANCHES,
  TRUTH_TREE,
} from '../../src/analysis/lzColumns.js';
import { isSkippedVolume } from '../../src/selection/compiled.js';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { selectReference } from '../../src/selection/reference.js';
import type { EventColumns, JaggedColumn, SelectionCounts } from '../../src/selection/types.js';

function values(map: Map<string, JsValue[] | Error>, name: string): JsValue[] {
  const v = map.get(name);
  if (!v || v instanceof Error) throw new Error(`jsroot could not read ${name}: ${v?.message}`);
  return v;
}

function jagged<T extends Float64Array | Uint8Array>(rows: JsValue[], make: (n: number) => T, map: (x: unknown) => number): JaggedColumn<T> {
  const offsets = new Int32Array(rows.length + 1);
  const flat: number[] = [];
  rows.forEach((row, i) => {
    for (const x of row as readonly unknown[]) flat.push(map(x));
    offsets[i + 1] = flat.length;
  });
  const out = make(flat.length);
  out.set(flat);
  return { offsets, values: out };
}

export async function countsWithJsroot(path: string): Promise<{ counts: SelectionCounts; eventWeight: number | null }> {
  const { columns, eventWeight } = await columnsWithJsroot(path);
  return { counts: selectReference(columns), eventWeight };
}

/** The selection's columns of a file (default names) as jsroot reads them; skip flags by `skipSubstrings`. */
export async function columnsWithJsroot(
  path: string,
  skipSubstrings: readonly string[] = DEFAULT_SELECTION.vertices.skipVolumeSubstrings,
): Promise<{ columns: EventColumns; eventWeight: number | null }> {
  const ss = await readWithJsroot(path, SCATTERS_TREE, Object.values(SCATTER_BRANCHES));
  const mc = await readWithJsroot(path, TRUTH_TREE, [...Object.values(TRUTH_BRANCHES), EVENT_WEIGHT_BRANCH]);
  const f64 = (name: string) => Float64Array.from(values(ss, name), Number);
  const n = values(ss, SCATTER_BRANCHES.x_cm).length;
  const columns: EventColumns = {
    entries: n,
    x_cm: f64(SCATTER_BRANCHES.x_cm),
    y_cm: f64(SCATTER_BRANCHES.y_cm),
    driftTime_ns: f64(SCATTER_BRANCHES.driftTime_ns),
    s2Area_phd: f64(SCATTER_BRANCHES.s2Area_phd),
    correctedS1Area_phd: f64(SCATTER_BRANCHES.correctedS1Area_phd),
    correctedS2Area_phd: f64(SCATTER_BRANCHES.correctedS2Area_phd),
    nRQMCTruthVertices: Float64Array.from(values(mc, TRUTH_BRANCHES.nRQMCTruthVertices), Number),
    vertexSkipped: jagged(values(mc, TRUTH_BRANCHES.volumeName), (k) => new Uint8Array(k), (x) => (isSkippedVolume(String(x), skipSubstrings) ? 1 : 0)),
    detectedS1Photons: jagged(values(mc, TRUTH_BRANCHES.detectedS1Photons), (k) => new Float64Array(k), Number),
    detectedS2Photons: jagged(values(mc, TRUTH_BRANCHES.detectedS2Photons), (k) => new Float64Array(k), Number),
  };
  const weights = values(mc, EVENT_WEIGHT_BRANCH);
  return { columns, eventWeight: n > 0 ? Number(weights[0]) : null };
}
