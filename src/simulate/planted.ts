// Planted events: deterministic events put into every file, among the random
// ones, that sit exactly at the cuts of SELECTION.md. For every cut there is
// the float32 just inside, the float32 exactly on it (where one exists) and
// the float32 just outside, found by float32 stepping and decided in float64,
// plus the special values (NaN, 0, negative) and the vertex-counting corners.

import { wallRadius as wallOf } from '../selection/compiled.js';
import { DEFAULT_SELECTION } from '../selection/definition.js';
import { float32Boundary, nextDownF32, nextUpF32 } from './float32.js';

// The events are planted at the cuts of the default selection (the notebook's).
const d = DEFAULT_SELECTION;
const [DRIFT_MIN_US, DRIFT_MAX_US] = d.fv.driftUs;
const [S1C_MIN_PHD, S1C_MAX_PHD] = d.roi.cs1Phd;
const LOG10_S2C_MAX = d.roi.log10Cs2Max;
const S2_RAW_MIN_PHD = d.roi.s2RawMinPhd;
const WALL_MARGIN_CM = d.fv.wallStandoffCm;
const wallRadius = (driftUs: number) => wallOf(d.fv.wallPoly, driftUs);

export interface PlantedVertex {
  readonly volume: string;
  readonly s1: number;
  readonly s2: number;
  readonly energy_keV: number;
}

/** The float32 values of the Scatters columns the selection reads. */
export interface PlantedScatter {
  readonly x_cm: number;
  readonly y_cm: number;
  readonly driftTime_ns: number;
  readonly s1Area_phd: number;
  readonly s2Area_phd: number;
  readonly correctedS1Area_phd: number;
  readonly correctedS2Area_phd: number;
}

export type Side = 'inside' | 'on' | 'outside';

export interface PlantedEvent {
  /** Unique, readable: e.g. `driftMin/on`. */
  readonly name: string;
  /** For boundary events: which cut, which side, and the column stepped. */
  readonly cut?: string;
  readonly side?: Side;
  readonly field?: keyof PlantedScatter;
  readonly scatter: PlantedScatter;
  readonly vertices: readonly PlantedVertex[];
  /** The intended decision. */
  readonly expect: { readonly fv: boolean; readonly roi: boolean; readonly mssi: boolean };
}

/** An event that passes FV and ROI, with one ordinary vertex (not MSSI). */
const BASE: PlantedScatter = {
  x_cm: 10,
  y_cm: -20,
  driftTime_ns: 500_000,
  s1Area_phd: 45,
  s2Area_phd: 4200,
  correctedS1Area_phd: 50,
  correctedS2Area_phd: 5000,
};
const ONE_VERTEX: readonly PlantedVertex[] = [{ volume: 'LiquidXenonTarget', s1: 140, s2: 9000, energy_keV: 17 }];
const v = (volume: string, s1: number, s2: number, energy_keV = 5): PlantedVertex => ({ volume, s1, s2, energy_keV });

/**
 * The inside / on / outside float32 values of a strict cut on q(value):
 * `lower` cuts pass when q(value) > cut, `upper` cuts when q(value) < cut.
 * `on` exists only when some float32 gives q(value) === cut exactly.
 */
export function cutNeighbours(
  q: (value: number) => number,
  cut: number,
  kind: 'lower' | 'upper',
  lo: number,
  hi: number,
): { inside: number; on?: number; outside: number } {
  const pass = kind === 'lower' ? (x: number) => q(x) > cut : (x: number) => q(x) < cut;
  const { below, above } = float32Boundary(lo, hi, pass);
  if (kind === 'lower') {
    // below fails, above passes
    return q(below) === cut ? { inside: above, on: below, outside: nextDownF32(below) } : { inside: above, outside: below };
  }
  return q(above) === cut ? { inside: below, on: above, outside: nextUpF32(above) } : { inside: below, outside: above };
}

/**
 * A float32 pair (x, y) with sqrt(x*x + y*y) === boundary exactly in float64, if
 * one is found: walks x down from the boundary and tries the float32s nearest
 * the matching y. Small y makes the sum fine-grained enough to hit it.
 */
export function exactRadiusPoint(boundary: number, tries = 2000): { x: number; y: number } | undefined {
  let x = Math.fround(boundary);
  if (x >= boundary) x = nextDownF32(x);
  for (let k = 0; k < tries; k++, x = nextDownF32(x)) {
    const rest = boundary * boundary - x * x;
    if (rest <= 0) continue;
    let y = nextDownF32(nextDownF32(Math.fround(Math.sqrt(rest))));
    for (let j = 0; j < 5; j++, y = nextUpF32(y)) {
      if (Math.sqrt(x * x + y * y) === boundary) return { x, y };
    }
  }
  return undefined;
}

/**
 * A drift time near `driftNs` (float32, stepping by 1 µs) and a point exactly on
 * its wall boundary. A hit is rare for one boundary, so several are tried.
 */
export function exactWallPoint(driftNs: number, attempts = 400): { driftNs: number; x: number; y: number } | undefined {
  for (let k = 0; k < attempts; k++) {
    const d = Math.fround(driftNs + 1000 * k);
    const point = exactRadiusPoint(wallRadius(d / 1000) - WALL_MARGIN_CM);
    if (point) return { driftNs: d, ...point };
  }
  return undefined;
}

function boundaryEvents(
  cut: string,
  field: keyof PlantedScatter,
  values: { inside: number; on?: number; outside: number },
  fvCut: boolean,
  scatter: (value: number) => PlantedScatter,
): PlantedEvent[] {
  const sides: [Side, number | undefined][] = [
    ['inside', values.inside],
    ['on', values.on],
    ['outside', values.outside],
  ];
  return sides.flatMap(([side, value]) =>
    value === undefined
      ? []
      : [
          {
            name: `${cut}/${side}`,
            cut,
            side,
            field,
            scatter: scatter(value),
            vertices: ONE_VERTEX,
            expect: { fv: fvCut ? side === 'inside' : true, roi: fvCut ? true : side === 'inside', mssi: false },
          },
        ],
  );
}

function special(name: string, change: Partial<PlantedScatter>, expect: { fv: boolean; roi: boolean }): PlantedEvent {
  return { name, scatter: { ...BASE, ...change }, vertices: ONE_VERTEX, expect: { ...expect, mssi: false } };
}

function vertexCase(name: string, vertices: PlantedVertex[], mssi: boolean): PlantedEvent {
  return { name, scatter: BASE, vertices, expect: { fv: true, roi: true, mssi } };
}

/** Drift times (ns) at which the wall cut is probed: near the top, middle and bottom of the TPC. */
export const WALL_PROBE_DRIFT_NS: readonly number[] = [100_000, 500_000, 1_000_000];

function buildPlanted(): PlantedEvent[] {
  const events: PlantedEvent[] = [];
  const usToNs = (us: number) => us * 1000;

  // Drift-time window (the /1000 happens in float64 on the float32 value).
  const driftQ = (ns: number) => ns / 1000;
  events.push(
    ...boundaryEvents('driftMin', 'driftTime_ns', cutNeighbours(driftQ, DRIFT_MIN_US, 'lower', usToNs(DRIFT_MIN_US) * 0.9, usToNs(DRIFT_MIN_US) * 1.1), true, (d) => ({ ...BASE, driftTime_ns: d })),
    ...boundaryEvents('driftMax', 'driftTime_ns', cutNeighbours(driftQ, DRIFT_MAX_US, 'upper', usToNs(DRIFT_MAX_US) * 0.9, usToNs(DRIFT_MAX_US) * 1.1), true, (d) => ({ ...BASE, driftTime_ns: d })),
  );

  // The wall: r against P(t) - 3 at a few drift times, along x (y = 0: r is x exactly) and along the diagonal (-v, v).
  for (const driftNs of WALL_PROBE_DRIFT_NS) {
    const b = wallRadius(driftNs / 1000) - WALL_MARGIN_CM;
    const t = `wall@${driftNs / 1000}us`;
    const axis = cutNeighbours((x) => Math.sqrt(x * x), b, 'upper', b * 0.9, b * 1.1);
    events.push(...boundaryEvents(`${t}/axis`, 'x_cm', axis, true, (x) => ({ ...BASE, driftTime_ns: driftNs, x_cm: x, y_cm: 0 })));
    const diag = cutNeighbours((u) => Math.sqrt(u * u + u * u), b, 'upper', (b / Math.SQRT2) * 0.9, (b / Math.SQRT2) * 1.1);
    events.push(...boundaryEvents(`${t}/diagonal`, 'y_cm', diag, true, (u) => ({ ...BASE, driftTime_ns: driftNs, x_cm: -u, y_cm: u })));
    const on = exactWallPoint(driftNs);
    if (on) {
      events.push({
        name: `${t}/exact/on`,
        cut: `${t}/exact`,
        side: 'on',
        scatter: { ...BASE, driftTime_ns: on.driftNs, x_cm: on.x, y_cm: on.y },
        vertices: ONE_VERTEX,
        expect: { fv: false, roi: true, mssi: false },
      });
    }
  }

  // ROI: corrected S1 window, log10(corrected S2), raw S2.
  events.push(
    ...boundaryEvents('s1cMin', 'correctedS1Area_phd', cutNeighbours((s) => s, S1C_MIN_PHD, 'lower', S1C_MIN_PHD * 0.5, S1C_MIN_PHD * 1.5), false, (s) => ({ ...BASE, correctedS1Area_phd: s })),
    ...boundaryEvents('s1cMax', 'correctedS1Area_phd', cutNeighbours((s) => s, S1C_MAX_PHD, 'upper', S1C_MAX_PHD * 0.5, S1C_MAX_PHD * 1.5), false, (s) => ({ ...BASE, correctedS1Area_phd: s })),
  );
  const s2cCut = 10 ** LOG10_S2C_MAX;
  events.push(
    ...boundaryEvents('log10S2cMax', 'correctedS2Area_phd', cutNeighbours(Math.log10, LOG10_S2C_MAX, 'upper', s2cCut * 0.9, s2cCut * 1.1), false, (s) => ({ ...BASE, correctedS2Area_phd: s })),
    ...boundaryEvents('s2RawMin', 's2Area_phd', cutNeighbours((s) => s, S2_RAW_MIN_PHD, 'lower', S2_RAW_MIN_PHD * 0.5, S2_RAW_MIN_PHD * 1.5), false, (s) => ({ ...BASE, s2Area_phd: s })),
  );

  // Special values: log10(0) = -inf passes the S2c cut; NaN and negatives fail every comparison they meet.
  events.push(
    special('s2c/zero', { correctedS2Area_phd: 0 }, { fv: true, roi: true }),
    special('s2c/negative', { correctedS2Area_phd: -12.5 }, { fv: true, roi: false }),
    special('s2c/NaN', { correctedS2Area_phd: NaN }, { fv: true, roi: false }),
    special('s2Raw/zero', { s2Area_phd: 0 }, { fv: true, roi: false }),
    special('s2Raw/negative', { s2Area_phd: -3 }, { fv: true, roi: false }),
    special('s2Raw/NaN', { s2Area_phd: NaN }, { fv: true, roi: false }),
    special('s1c/NaN', { correctedS1Area_phd: NaN }, { fv: true, roi: false }),
    special('drift/NaN', { driftTime_ns: NaN }, { fv: false, roi: true }),
    special('x/NaN', { x_cm: NaN }, { fv: false, roi: true }),
  );

  // Vertex counting.
  const lxe = v('LiquidXenonTarget', 140, 9000, 17);
  events.push(
    vertexCase('vertices/empty', [], false),
    vertexCase('vertices/allSkipped', [v('SideSkinXenon', 30, 0), v('ScintillatorCenter', 4, 0), v('BottomSkinXenon', 12, 0)], false),
    vertexCase('vertices/skipTipsBalance', [lxe, v('SideSkinXenon', 30, 0)], false),
    vertexCase('vertices/nS1==nS2', [lxe, v('ReverseFieldRegion', 25, 0), v('GaseousXenon', 0, 40)], false),
    vertexCase('vertices/nS1==nS2+1', [lxe, v('ReverseFieldRegion', 25, 0)], true),
    vertexCase('vertices/zeroPhotons', [v('LiquidXenonTarget', 0, 0), v('ReverseFieldRegion', 0, 0)], false),
    vertexCase('vertices/s1ZeroInTarget', [v('LiquidXenonTarget', 0, 5000), v('ReverseFieldRegion', 12, 0)], false),
    vertexCase('vertices/GdLSCounts', [lxe, v('GdLSVolume', 4, 0)], true),
    vertexCase('vertices/ten', [
      ...Array.from({ length: 4 }, () => lxe),
      ...Array.from({ length: 5 }, () => v('ReverseFieldRegion', 9, 0)),
      v('BottomSkinXenon', 3, 0),
    ], true),
  );
  return events;
}

let cached: readonly PlantedEvent[] | undefined;

/** The planted events, in planting order (computed once). */
export function plantedEvents(): readonly PlantedEvent[] {
  cached ??= Object.freeze(buildPlanted());
  return cached;
}

/**
 * Entry index of each planted event in a file of `events` entries: spread evenly
 * when they fit, otherwise the first `events` of them at 0..events-1.
 */
export function plantedPositions(events: number): Int32Array {
  const planted = plantedEvents().length;
  if (events < planted) return Int32Array.from({ length: events }, (_, k) => k);
  return Int32Array.from({ length: planted }, (_, k) => Math.floor(((2 * k + 1) * events) / (2 * planted)));
}
