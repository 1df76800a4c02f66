// Fills one cluster of LZ-like events at a time into preallocated TypedArrays
// (no per-event objects). One RNG stream per file, consumed event by event, so
// the values do not depend on the cluster size; planted events overwrite the
// random event at their entry after it has been drawn.

import { wallRadius as wallOf } from '../selection/compiled.js';
import { DEFAULT_SELECTION } from '../selection/definition.js';
import { MAX_VERTICES, VOLUMES, volumeIndex, type LzColumns } from './lzModel.js';
import { plantedEvents, plantedPositions, type PlantedEvent } from './planted.js';
import { Rng } from './rng.js';
import type { SourceParams } from './sources.js';

/** Drift time (µs) of the cathode; larger drift times are reconstructed below it. */
const CATHODE_US = 1040;
/** Largest drift time generated (µs). */
const MAX_DRIFT_US = 1100;
/** Reconstructed radii of the uniform component reach beyond the wall (cm). */
const MAX_RADIUS_CM = 80;
/** Electron lifetime (µs): raw S2 = corrected S2 * exp(-t / lifetime). */
const ELECTRON_LIFETIME_US = 6000;
/** Detected S1 phd and S2 phd per keV of electron recoil (g1, g2 and the LZ field). */
const S1_PHD_PER_KEV = 2.9;
const S2_PHD_PER_KEV = 2230;

/** Cumulative weights for Rng.pick. */
function cumulative(weights: Float64Array): Float64Array {
  const c = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => (c[i] = acc += w));
  return c;
}

export class LzEventGenerator {
  private readonly rng: Rng;
  private readonly volumeCum: Float64Array;
  private readonly s1Prob: Float64Array;
  private readonly s2Prob: Float64Array;
  private readonly inS1: Uint8Array;
  private readonly inS2: Uint8Array;
  private readonly planted: readonly PlantedEvent[];
  private readonly plantedAt: Int32Array;
  private nextPlanted = 0;
  private entry = 0;
  private eventID = 0;

  /** `events`: the file's total entries (decides where planted events go). */
  constructor(
    private readonly params: SourceParams,
    seed: number,
    events: number,
  ) {
    this.rng = new Rng(seed, params.source);
    this.volumeCum = cumulative(params.volumeWeights);
    this.s1Prob = Float64Array.from(VOLUMES, (v) => v.s1Prob);
    this.s2Prob = Float64Array.from(VOLUMES, (v) => v.s2Prob);
    this.inS1 = Uint8Array.from(VOLUMES, (v) => (v.inS1 ? 1 : 0));
    this.inS2 = Uint8Array.from(VOLUMES, (v) => (v.inS2 ? 1 : 0));
    this.planted = plantedEvents();
    this.plantedAt = plantedPositions(events);
    this.eventID = this.rng.int(1000);
  }

  /** Entries generated so far. */
  get generated(): number {
    return this.entry;
  }

  /** Generates the next `n` events into `c` (overwriting it), n <= c.capacity. */
  fill(c: LzColumns, n: number): void {
    if (n > c.capacity) throw new RangeError(`cluster of ${n} events does not fit columns of capacity ${c.capacity}`);
    const p = this.params;
    c.entries = n;
    c.parentParticleNames = p.parentParticles;
    c.parentVolumeNames = [p.parentVolume];
    c.vertexOffsets[0] = 0;
    let cursor = 0;
    for (let i = 0; i < n; i++, this.entry++) {
      cursor = this.randomEvent(c, i, cursor);
      if (this.nextPlanted < this.plantedAt.length && this.plantedAt[this.nextPlanted] === this.entry) {
        cursor = this.plant(c, i, this.planted[this.nextPlanted]!);
        this.nextPlanted++;
      }
      c.vertexOffsets[i + 1] = cursor;
    }
  }

  /** Vertex energy (keV): a low-energy (ROI-like) part, a Compton continuum, and the full line. */
  private vertexEnergy(): number {
    const p = this.params;
    const rng = this.rng;
    const u = rng.uniform();
    if (u < p.lowEnergyFraction) return rng.exponential(6);
    if (u < 0.93) return rng.uniform() * p.lineKeV * 0.8;
    return p.lineKeV * (0.97 + 0.03 * rng.uniform());
  }

  private randomEvent(c: LzColumns, i: number, cursor: number): number {
    const p = this.params;
    const rng = this.rng;

    // Truth vertices: their volumes decide which energy the TPC's S1 and S2 see.
    const nv = Math.min(MAX_VERTICES, rng.poisson(p.meanVertices));
    let s1Energy = 0;
    let s2Energy = 0;
    for (let k = 0; k < nv; k++) {
      const vol = rng.pick(this.volumeCum);
      const e = this.vertexEnergy();
      const j = cursor + k;
      c.volumeIndex[j] = vol;
      c.energyDep_keV[j] = e;
      c.detectedS1Photons[j] = rng.uniform() < this.s1Prob[vol]! ? 1 + rng.poisson(e * S1_PHD_PER_KEV) : 0;
      c.detectedS2Photons[j] = rng.uniform() < this.s2Prob[vol]! ? 1 + Math.round(e * S2_PHD_PER_KEV * (1 + 0.05 * rng.normal())) : 0;
      if (this.inS1[vol]) s1Energy += e;
      if (this.inS2[vol]) s2Energy += e;
    }
    c.nRQMCTruthVertices[i] = nv;
    // Skims keep events whose truth misses the TPC deposit (no vertices, or only passive ones).
    if (s2Energy === 0) s2Energy = this.vertexEnergy();
    if (s1Energy === 0) s1Energy = s2Energy;
    // A few events extract only a handful of electrons: raw S2 around the 645.25 phd threshold.
    if (rng.uniform() < p.smallS2Fraction) s2Energy = 0.05 + 0.6 * rng.uniform();

    // Depth: near the top, near the cathode (and beyond it), or anywhere.
    const u = rng.uniform();
    let t: number;
    if (u < p.topFraction) t = rng.exponential(p.depthUs);
    else if (u < p.topFraction + p.bottomFraction) t = CATHODE_US - rng.exponential(p.depthUs) + 20 * rng.normal();
    else t = rng.uniform() * MAX_DRIFT_US;
    if (t < 0) t = -t;

    // Radius: hugging the wall (and reconstructed beyond it), or uniform in area.
    let r: number;
    if (rng.uniform() < p.wallFraction) r = wallOf(DEFAULT_SELECTION.fv.wallPoly, Math.min(t, MAX_DRIFT_US)) - rng.exponential(p.wallDepthCm) + 1.5 * rng.normal();
    else r = MAX_RADIUS_CM * Math.sqrt(rng.uniform());
    if (r < 0) r = -r;
    const phi = 2 * Math.PI * rng.uniform();
    const x = r * Math.cos(phi);
    const y = r * Math.sin(phi);
    // Field distortion pulls deep events inwards; the raw position is before correction.
    const shrink = 1 - 0.12 * (t / MAX_DRIFT_US);

    const s1c = s1Energy * S1_PHD_PER_KEV * (1 + 0.1 * rng.normal()) + 0.5 * rng.normal();
    const s2c = s2Energy * S2_PHD_PER_KEV * (1 + 0.08 * rng.normal());
    c.nSingleScatters[i] = 1;
    c.s1PulseID[i] = rng.int(3);
    c.s2PulseID[i] = c.s1PulseID[i]! + 1 + rng.int(2);
    c.driftTime_ns[i] = Math.round(t * 100) * 10; // LZ digitises in 10 ns samples
    c.x_cm[i] = x;
    c.y_cm[i] = y;
    c.x_raw_cm[i] = x * shrink;
    c.y_raw_cm[i] = y * shrink;
    c.correctedS1Area_phd[i] = s1c;
    c.correctedS2Area_phd[i] = s2c;
    c.s1Area_phd[i] = s1c * (0.85 + 0.25 * (t / MAX_DRIFT_US));
    c.s2Area_phd[i] = s2c * Math.exp(-t / ELECTRON_LIFETIME_US);

    this.eventID += 1 + rng.int(40); // skimming leaves gaps in the IDs
    c.eventID[i] = this.eventID;
    c.eventWeight[i] = p.eventWeight;
    c.parentParticle[i] = rng.int(p.parentParticles.length);
    c.parentVolume[i] = 0;
    return cursor + nv;
  }

  /** Overwrites event i (whose vertices start at vertexOffsets[i]) with a planted event. */
  private plant(c: LzColumns, i: number, e: PlantedEvent): number {
    const s = e.scatter;
    c.driftTime_ns[i] = s.driftTime_ns;
    c.x_cm[i] = s.x_cm;
    c.y_cm[i] = s.y_cm;
    c.x_raw_cm[i] = s.x_cm;
    c.y_raw_cm[i] = s.y_cm;
    c.s1Area_phd[i] = s.s1Area_phd;
    c.s2Area_phd[i] = s.s2Area_phd;
    c.correctedS1Area_phd[i] = s.correctedS1Area_phd;
    c.correctedS2Area_phd[i] = s.correctedS2Area_phd;
    let cursor = c.vertexOffsets[i]!;
    for (const v of e.vertices) {
      c.volumeIndex[cursor] = volumeIndex(v.volume);
      c.detectedS1Photons[cursor] = v.s1;
      c.detectedS2Photons[cursor] = v.s2;
      c.energyDep_keV[cursor] = v.energy_keV;
      cursor++;
    }
    c.nRQMCTruthVertices[i] = e.vertices.length;
    return cursor;
  }
}
