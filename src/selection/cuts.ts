// The default selection's numbers under the names the GPU backend (src/gpu/) reads:
// it runs DEFAULT_SELECTION only (a run with another selection and --gpu falls back
// to the CPU, src/run/backend.ts) until it takes a Selection of its own. Derived from
// definition.ts, so they cannot drift from it; nothing else reads them.

import { isSkippedVolume as skippedBy, wallRadius as wallOf } from './compiled.js';
import { DEFAULT_SELECTION } from './definition.js';

const d = DEFAULT_SELECTION;

/** Fiducial-wall polynomial in drift time (µs), highest power first (Horner order). */
export const WALL_POLY: readonly number[] = d.fv.wallPoly;
/** The FV radius is the wall minus this margin (cm). */
export const WALL_MARGIN_CM = d.fv.wallStandoffCm;
export const DRIFT_MIN_US = d.fv.driftUs[0];
export const DRIFT_MAX_US = d.fv.driftUs[1];
export const S1C_MIN_PHD = d.roi.cs1Phd[0];
export const S1C_MAX_PHD = d.roi.cs1Phd[1];
/** Upper cut on log10(corrected S2). */
export const LOG10_S2C_MAX = d.roi.log10Cs2Max;
/** Lower cut on the RAW S2 area: 14.5 * 44.5 phd. */
export const S2_RAW_MIN_PHD = d.roi.s2RawMinPhd;
/** Vertices in volumes whose name contains one of these (case-sensitive) are skipped. */
export const SKIPPED_VOLUME_SUBSTRINGS: readonly string[] = d.vertices.skipVolumeSubstrings;

/** Wall radius P(t) at drift time t (µs), by Horner's rule, in float64. */
export function wallRadius(driftUs: number): number {
  return wallOf(WALL_POLY, driftUs);
}

/** Whether a vertex in this volume is skipped by the MSSI vertex count. */
export function isSkippedVolume(volumeName: string): boolean {
  return skippedBy(volumeName, SKIPPED_VOLUME_SUBSTRINGS);
}
