// Per-source simulation parameters, derived from the source name alone
// (`<Isotope>[-early|-late]_<Component>`, as in LZ's rates tables): where in
// the detector its events land, how energetic they are, how often they also
// scatter in the reverse-field region or the skin, and the file's event weight.

import { hashString } from './rng.js';
import { VOLUME_NAMES } from './lzModel.js';

/** Where a component sits, which decides where its gammas interact. */
export type Placement = 'top' | 'bottom' | 'side' | 'far' | 'uniform';

export interface SourceParams {
  readonly source: string;
  readonly isotope: string;
  readonly component: string;
  readonly placement: Placement;
  /** Fractions of events near the top (small drift time) and the bottom (cathode, RFR). */
  readonly topFraction: number;
  readonly bottomFraction: number;
  /** Exponential depth (µs of drift) of the top/bottom components. */
  readonly depthUs: number;
  /** Fraction of events near the wall, and their exponential depth (cm). */
  readonly wallFraction: number;
  readonly wallDepthCm: number;
  /** Main gamma line (keV) and the fraction of low-energy (ROI-like) vertices. */
  readonly lineKeV: number;
  readonly lowEnergyFraction: number;
  /** Fraction of events with a tiny S2 (a few extracted electrons). */
  readonly smallS2Fraction: number;
  /** Mean number of truth vertices (0..10 per event). */
  readonly meanVertices: number;
  /** Relative weights of the volumes of VOLUME_NAMES for a vertex. */
  readonly volumeWeights: Float64Array;
  /** Same for every entry of the file: 1 / simulated decays. */
  readonly eventWeight: number;
  /** Dictionaries of mcTruthEvent.parentParticle / parentVolume. */
  readonly parentParticles: readonly string[];
  readonly parentVolume: string;
}

export class SourceNameError extends Error {
  constructor(readonly source: string) {
    super(`source name "${source}" cannot be used as a file name (it must be non-empty, without / \\ or NUL)`);
    this.name = 'SourceNameError';
  }
}

const LINE_KEV: Record<string, number> = { Co60: 1332, K40: 1461, Th232: 2615, U238: 1764, U235: 186, Cs137: 662 };
const DAUGHTERS: Record<string, readonly string[]> = {
  Co60: ['Co60'],
  K40: ['K40'],
  'Th232-early': ['Ac228', 'Ra228'],
  'Th232-late': ['Pb212', 'Bi212', 'Tl208'],
  'U238-early': ['Pa234m', 'Th234'],
  'U238-late': ['Pb214', 'Bi214'],
};

function placementOf(component: string): Placement {
  if (/Truss|Tank|Shield|Water|Cavern|Rock/i.test(component)) return 'far';
  if (/Dome|Top|Anode|Gate|Weir/i.test(component)) return 'top';
  if (/Bottom|Cathode|HV|ReverseField/i.test(component)) return 'bottom';
  if (/Field|Resistor|Side|Wall|Calibration|Tube|PTFE|Vessel/i.test(component)) return 'side';
  return 'uniform';
}

const BASE: Record<Placement, { top: number; bottom: number; wall: number; wallDepth: number; vertices: number }> = {
  top: { top: 0.55, bottom: 0.05, wall: 0.25, wallDepth: 6, vertices: 2.6 },
  bottom: { top: 0.05, bottom: 0.55, wall: 0.25, wallDepth: 6, vertices: 3.2 },
  side: { top: 0.1, bottom: 0.1, wall: 0.6, wallDepth: 4, vertices: 2.8 },
  far: { top: 0.15, bottom: 0.35, wall: 0.45, wallDepth: 9, vertices: 4.0 },
  uniform: { top: 0.2, bottom: 0.2, wall: 0.3, wallDepth: 8, vertices: 2.5 },
};

/** Per-volume weights: target xenon dominates; bottom sources see more RFR, far ones more skin and outer detector. */
function volumeWeights(placement: Placement, jitter: () => number): Float64Array {
  const w: Record<string, number> = {
    LiquidXenonTarget: 10,
    ReverseFieldRegion: placement === 'bottom' ? 3 : placement === 'far' ? 1.5 : 0.8,
    GaseousXenon: placement === 'top' ? 1.2 : 0.2,
    SideSkinXenon: placement === 'side' ? 3 : placement === 'far' ? 2.5 : 1,
    BottomSkinXenon: placement === 'bottom' || placement === 'far' ? 2 : 0.4,
    LiquidSkinXenonBank: 0.3,
    ScintillatorCenter: placement === 'far' ? 3 : 0.4,
    ScintillatorTankSide: placement === 'far' ? 1.5 : 0.2,
    GdLSVolume: placement === 'far' ? 1 : 0.15,
    InnerTitaniumVessel: 0.8,
    PTFEWalls: placement === 'side' ? 1.5 : 0.6,
    BottomPMTHolder: placement === 'bottom' ? 1 : 0.2,
  };
  return Float64Array.from(VOLUME_NAMES, (n) => (w[n] ?? 0) * jitter());
}

export function sourceParams(source: string): SourceParams {
  if (source === '' || /[/\\\0]/.test(source)) throw new SourceNameError(source);
  const underscore = source.indexOf('_');
  const chain = underscore > 0 ? source.slice(0, underscore) : source;
  const component = underscore > 0 ? source.slice(underscore + 1) : source;
  const isotope = chain.split('-')[0] ?? chain;
  const placement = placementOf(component);
  const base = BASE[placement];

  // A per-source jitter keeps two sources of the same placement apart (e.g. PMT bodies vs bases).
  const h = hashString(source);
  let state = h;
  const jitter = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 0.8 + 0.4 * (state / 4294967296);
  };
  const late = /-late/.test(chain);
  return {
    source,
    isotope,
    component,
    placement,
    topFraction: base.top * jitter(),
    bottomFraction: base.bottom * jitter(),
    depthUs: 60 * jitter(),
    wallFraction: base.wall * jitter(),
    wallDepthCm: base.wallDepth * jitter(),
    lineKeV: LINE_KEV[isotope] ?? 1000,
    lowEnergyFraction: (late ? 0.3 : 0.22) * jitter(),
    smallS2Fraction: 0.04 * jitter(),
    meanVertices: base.vertices * jitter(),
    volumeWeights: volumeWeights(placement, jitter),
    // 1 / simulated decays, between 1e-8 and 1e-6.
    eventWeight: 1 / (1e5 * (10 + (h % 991))),
    parentParticles: DAUGHTERS[chain] ?? [isotope],
    parentVolume: component,
  };
}
