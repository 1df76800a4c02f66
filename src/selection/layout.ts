// The selection in the layout of a selection file (snake_case tables, every field in
// a fixed order): what `selection show --json` prints, what a plan records, and what
// the selection's hash is computed from (so that the order of a file's keys, its
// comments and how its numbers are written do not matter, only their float64 values).

import { SCATTER_ROLES, TRUTH_ROLES, type AxisSpec, type BranchRole, type Selection } from './definition.js';

/** Every field of a selection file, by table, in the order they are written. */
export const LAYOUT_FIELDS = {
  fv: ['drift_us', 'wall_poly', 'wall_standoff_cm'],
  roi: ['cs1_phd', 'log10_cs2_max', 's2_raw_min_phd'],
  vertices: ['skip_volume_substrings'],
  trees: ['scatters', 'truth'],
  branches: [...SCATTER_ROLES, ...TRUTH_ROLES] as readonly BranchRole[],
  model: ['cs1_bins', 'log10_cs2_bins'],
} as const;

export type LayoutTable = keyof typeof LAYOUT_FIELDS;

export interface SelectionLayout {
  fv: { drift_us: number[]; wall_poly: number[]; wall_standoff_cm: number };
  roi: { cs1_phd: number[]; log10_cs2_max: number; s2_raw_min_phd: number };
  vertices: { skip_volume_substrings: string[] };
  trees: { scatters: string; truth: string };
  branches: Record<BranchRole, string>;
  model: { cs1_bins: number[]; log10_cs2_bins: number[] };
}

const bins = (a: AxisSpec) => [a.count, a.low, a.high];

/** The selection as a plain object in the file layout, keys in LAYOUT_FIELDS order. */
export function selectionLayout(s: Selection): SelectionLayout {
  const branches = {} as Record<BranchRole, string>;
  for (const role of LAYOUT_FIELDS.branches) branches[role] = s.branches[role];
  return {
    fv: { drift_us: [...s.fv.driftUs], wall_poly: [...s.fv.wallPoly], wall_standoff_cm: s.fv.wallStandoffCm },
    roi: { cs1_phd: [...s.roi.cs1Phd], log10_cs2_max: s.roi.log10Cs2Max, s2_raw_min_phd: s.roi.s2RawMinPhd },
    vertices: { skip_volume_substrings: [...s.vertices.skipVolumeSubstrings] },
    trees: { scatters: s.trees.scatters, truth: s.trees.truth },
    branches,
    model: { cs1_bins: bins(s.model.cs1Bins), log10_cs2_bins: bins(s.model.log10Cs2Bins) },
  };
}

/**
 * The canonical text of a selection: its layout as JSON. JSON writes each number as the
 * shortest text that reads back as the same float64, so 3, 3.0 and 3e0 are one text;
 * -0 is written 0 (no comparison of the selection tells them apart).
 */
export function canonicalSelectionText(s: Selection): string {
  return JSON.stringify(selectionLayout(s));
}
