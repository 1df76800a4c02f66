// The cut constants of SELECTION.md, in one place: the CPU reference, the GPU
// kernel's float32 thresholds and the cache key are all derived from these.

/** Fiducial-wall polynomial in drift time (µs), highest power first (Horner order). */
export const WALL_POLY: readonly number[] = [
  -8.14589334e-14, 2.09181587e-10, -2.06758029e-7, 1.01366014e-4, -2.69048354e-2, 7.24276394e1,
];
/** The FV radius is the wall minus this margin (cm). */
export const WALL_MARGIN_CM = 3;
export const DRIFT_MIN_US = 71;
export const DRIFT_MAX_US = 1030;
export const S1C_MIN_PHD = 3;
export const S1C_MAX_PHD = 600;
/** Upper cut on log10(corrected S2). */
export const LOG10_S2C_MAX = 4.5;
/** Lower cut on the RAW S2 area: 14.5 * 44.5 phd. */
export const S2_RAW_MIN_PHD = 14.5 * 44.5;
/** Vertices in volumes whose name contains one of these (case-sensitive) are skipped. */
export const SKIPPED_VOLUME_SUBSTRINGS: readonly string[] = ['Skin', 'Scint'];

/** Wall radius P(t) at drift time t (µs), by Horner's rule, in float64. */
export function wallRadius(driftUs: number): number {
  let acc = 0;
  for (const c of WALL_POLY) acc = acc * driftUs + c;
  return acc;
}

/** Whether a vertex in this volume is skipped by the MSSI vertex count. */
export function isSkippedVolume(volumeName: string): boolean {
  return SKIPPED_VOLUME_SUBSTRINGS.some((s) => volumeName.includes(s));
}
