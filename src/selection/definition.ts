// The selection as data: every constant of SELECTION.md, the branch each input
// role is read from, and the model's binning. The notebook's values are the
// defaults; a selection file (selectionFile.ts) changes numbers, names and
// substrings, never the comparisons or their strictness.

/** A uniform binning: `count` bins, edge k = low + k * ((high - low) / count) in float64, the last `high` (as ROOT's TAxis and numpy.linspace). */
export interface AxisSpec {
  readonly count: number;
  readonly low: number;
  readonly high: number;
}

/** The roles of SELECTION.md's input table, by the names the code uses for them. */
export const SCATTER_ROLES = ['x_cm', 'y_cm', 'driftTime_ns', 's2Area_phd', 'correctedS1Area_phd', 'correctedS2Area_phd'] as const;
export const TRUTH_ROLES = ['nRQMCTruthVertices', 'volumeName', 'detectedS1Photons', 'detectedS2Photons', 'eventWeight'] as const;
export type ScatterRole = (typeof SCATTER_ROLES)[number];
export type TruthRole = (typeof TRUTH_ROLES)[number];
export type BranchRole = ScatterRole | TruthRole;

export interface Selection {
  readonly fv: {
    /** Open interval of drift time, µs: low < t < high. */
    readonly driftUs: readonly [number, number];
    /** Wall radius polynomial in drift time (µs), highest power first (Horner order). */
    readonly wallPoly: readonly number[];
    /** FV: r < P(t) - wallStandoffCm. */
    readonly wallStandoffCm: number;
  };
  readonly roi: {
    /** Open interval of correctedS1Area_phd. */
    readonly cs1Phd: readonly [number, number];
    /** log10(correctedS2Area_phd) < this. */
    readonly log10Cs2Max: number;
    /** s2Area_phd (raw) > this. */
    readonly s2RawMinPhd: number;
  };
  readonly vertices: {
    /** A vertex whose volume name contains one of these (case-sensitive) is skipped. */
    readonly skipVolumeSubstrings: readonly string[];
  };
  readonly trees: { readonly scatters: string; readonly truth: string };
  readonly branches: Readonly<Record<BranchRole, string>>;
  readonly model: { readonly cs1Bins: AxisSpec; readonly log10Cs2Bins: AxisSpec };
}

/** The notebook's selection (SELECTION.md), and the model binning of issue 18. */
export const DEFAULT_SELECTION: Selection = Object.freeze({
  fv: Object.freeze({
    driftUs: Object.freeze([71, 1030] as const),
    wallPoly: Object.freeze([-8.14589334e-14, 2.09181587e-10, -2.06758029e-7, 1.01366014e-4, -2.69048354e-2, 7.24276394e1]),
    wallStandoffCm: 3,
  }),
  roi: Object.freeze({ cs1Phd: Object.freeze([3, 600] as const), log10Cs2Max: 4.5, s2RawMinPhd: 14.5 * 44.5 }),
  vertices: Object.freeze({ skipVolumeSubstrings: Object.freeze(['Skin', 'Scint']) }),
  trees: Object.freeze({ scatters: 'Scatters', truth: 'RQMCTruth' }),
  branches: Object.freeze({
    x_cm: 'ss.x_cm',
    y_cm: 'ss.y_cm',
    driftTime_ns: 'ss.driftTime_ns',
    s2Area_phd: 'ss.s2Area_phd',
    correctedS1Area_phd: 'ss.correctedS1Area_phd',
    correctedS2Area_phd: 'ss.correctedS2Area_phd',
    nRQMCTruthVertices: 'mcTruthVertices.nRQMCTruthVertices',
    volumeName: 'mcTruthVertices.volumeName',
    detectedS1Photons: 'mcTruthVertices.detectedS1Photons',
    detectedS2Photons: 'mcTruthVertices.detectedS2Photons',
    eventWeight: 'mcTruthEvent.eventWeight',
  }),
  model: Object.freeze({
    cs1Bins: Object.freeze({ count: 120, low: 0, high: 600 }),
    log10Cs2Bins: Object.freeze({ count: 80, low: 2.5, high: 4.5 }),
  }),
});
