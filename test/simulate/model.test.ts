import { describe, expect, it } from 'vitest';
import { readRatesTable } from '../../src/report/rates.js';
import { DRIFT_MAX_US, DRIFT_MIN_US, isSkippedVolume, WALL_MARGIN_CM, wallRadius } from '../../src/selection/cuts.js';
import { decideEvent, FV, MSSI, ROI, selectReference } from '../../src/selection/reference.js';
import type { SelectionCounts } from '../../src/selection/types.js';
import { float32Boundary, nextDownF32, nextUpF32 } from '../../src/simulate/float32.js';
import { LzEventGenerator } from '../../src/simulate/generate.js';
import { allocateColumns, eventColumnsOf, MAX_VERTICES, VOLUME_NAMES, type LzColumns } from '../../src/simulate/lzModel.js';
import { plantedEvents, plantedPositions } from '../../src/simulate/planted.js';
import { Rng } from '../../src/simulate/rng.js';
import { sourceParams } from '../../src/simulate/sources.js';

const SOURCES = readRatesTable('fixtures/rates.csv').map((r) => r.source);

/** One cluster holding a whole small file. */
function generate(source: string, events: number, seed = 1, clusterSize = events): LzColumns[] {
  const g = new LzEventGenerator(sourceParams(source), seed, events);
  const out: LzColumns[] = [];
  while (g.generated < events) {
    const c = allocateColumns(clusterSize);
    g.fill(c, Math.min(clusterSize, events - g.generated));
    out.push(c);
  }
  return out;
}

/** The float32 bit pattern, read independently of src/simulate/float32.ts. */
function bits(v: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, v);
  return view.getUint32(0);
}

describe('rng', () => {
  it('is deterministic per (seed, stream) and differs across streams and seeds', () => {
    const draw = (seed: number, stream: string) => {
      const r = new Rng(seed, stream);
      return Array.from({ length: 8 }, () => r.nextU32());
    };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
  });
  it('gives sane uniform, normal and poisson moments', () => {
    const r = new Rng(7, 'moments');
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sp = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outOfRange++;
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      sp += r.poisson(3.2);
    }
    expect(outOfRange).toBe(0);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sp / n).toBeCloseTo(3.2, 1);
  });
});

describe('float32 stepping', () => {
  it('steps to the adjacent float32', () => {
    for (const v of [1, 3, 600, 645.25, 71000, 1030000, 31622.7766, 1e-40, 65.9]) {
      const f = Math.fround(v);
      expect(bits(nextUpF32(f))).toBe(bits(f) + 1);
      expect(bits(nextDownF32(f))).toBe(bits(f) - 1);
    }
    expect(nextUpF32(0)).toBeGreaterThan(0);
    expect(nextDownF32(0)).toBeLessThan(0);
    expect(nextUpF32(-1)).toBeGreaterThan(-1);
    expect(bits(-nextUpF32(-1))).toBe(bits(1) - 1);
  });
  it('finds where a predicate flips', () => {
    const { below, above } = float32Boundary(30000, 33000, (v) => Math.log10(v) < 4.5);
    expect(Math.log10(below)).toBeLessThan(4.5);
    expect(Math.log10(above)).toBeGreaterThanOrEqual(4.5);
    expect(bits(above)).toBe(bits(below) + 1);
  });
});

describe('generator', () => {
  it('is deterministic and independent of the cluster size', () => {
    const [a] = generate('K40_DomePMTs', 3000);
    const [b] = generate('K40_DomePMTs', 3000);
    const split = generate('K40_DomePMTs', 3000, 1, 700);
    expect(a!.x_cm).toEqual(b!.x_cm);
    expect(a!.volumeIndex).toEqual(b!.volumeIndex);
    const joined = (cs: LzColumns[], pick: (c: LzColumns) => Float32Array) => cs.flatMap((c) => Array.from(pick(c).subarray(0, c.entries)));
    expect(joined(split, (c) => c.driftTime_ns)).toEqual(joined([a!], (c) => c.driftTime_ns));
    expect(joined(split, (c) => c.correctedS2Area_phd)).toEqual(joined([a!], (c) => c.correctedS2Area_phd));
    const [other] = generate('K40_DomePMTs', 3000, 2);
    expect(other!.x_cm).not.toEqual(a!.x_cm);
  });

  it('spans the cuts: beyond the wall, outside the drift window, both sides of every ROI edge', () => {
    const [c] = generate('Th232-late_HVInnerCone', 20000);
    const n = c!.entries;
    let beyondWall = 0;
    let insideFv = 0;
    let early = 0;
    let late = 0;
    let s1Low = 0;
    let s1High = 0;
    let s2cHigh = 0;
    let s2Low = 0;
    for (let i = 0; i < n; i++) {
      const t = c!.driftTime_ns[i]! / 1000;
      const r = Math.hypot(c!.x_cm[i]!, c!.y_cm[i]!);
      if (r > wallRadius(t)) beyondWall++;
      if (r < wallRadius(t) - WALL_MARGIN_CM) insideFv++;
      if (t < DRIFT_MIN_US) early++;
      if (t > DRIFT_MAX_US) late++;
      if (c!.correctedS1Area_phd[i]! < 3) s1Low++;
      if (c!.correctedS1Area_phd[i]! > 600) s1High++;
      if (Math.log10(c!.correctedS2Area_phd[i]!) > 4.5) s2cHigh++;
      if (c!.s2Area_phd[i]! < 645.25) s2Low++;
    }
    for (const count of [beyondWall, insideFv, early, late, s1Low, s1High, s2cHigh, s2Low]) {
      expect(count).toBeGreaterThan(n / 200);
      expect(count).toBeLessThan(n);
    }
  });

  it('writes 0..10 vertices with skin, scintillator and ordinary volumes and zero photon counts', () => {
    const [c] = generate('K40_BottomTruss', 20000);
    const histogram = new Array<number>(MAX_VERTICES + 1).fill(0);
    for (let i = 0; i < c!.entries; i++) {
      const nv = c!.nRQMCTruthVertices[i]!;
      expect(c!.vertexOffsets[i + 1]! - c!.vertexOffsets[i]!).toBe(nv);
      histogram[nv]!++;
    }
    expect(histogram[0]).toBeGreaterThan(0);
    expect(histogram[MAX_VERTICES]).toBeGreaterThan(0);
    const nv = c!.vertexOffsets[c!.entries]!;
    const names = new Set(Array.from(c!.volumeIndex.subarray(0, nv), (k) => VOLUME_NAMES[k]!));
    expect([...names].some((n) => n.includes('Skin'))).toBe(true);
    expect([...names].some((n) => n.includes('Scint'))).toBe(true);
    expect([...names].filter((n) => !isSkippedVolume(n)).length).toBeGreaterThan(3);
    const s1 = c!.detectedS1Photons.subarray(0, nv);
    const s2 = c!.detectedS2Photons.subarray(0, nv);
    expect(s1.some((x) => x === 0) && s1.some((x) => x > 0)).toBe(true);
    expect(s2.some((x) => x === 0) && s2.some((x) => x > 0)).toBe(true);
  });
});

describe('per-source selection counts', () => {
  const counts = new Map<string, SelectionCounts>(SOURCES.map((s) => [s, selectReference(eventColumnsOf(generate(s, 4000)[0]!))]));
  it('are all non-zero', () => {
    for (const [source, c] of counts) {
      for (const [k, v] of Object.entries(c)) expect(v, `${source} ${k}`).toBeGreaterThan(0);
    }
  });
  it('differ by source', () => {
    const keys = new Set([...counts.values()].map((c) => JSON.stringify(c)));
    expect(keys.size).toBe(SOURCES.length);
    // The physics shows: bottom sources (RFR below the cathode) are MSSI-richer than top ones.
    expect(counts.get('Th232-late_BottomTPCPMTBodies')!.nMSSI).toBeGreaterThan(counts.get('Co60_DomePMTs')!.nMSSI);
  });
  it('have per-source event weights', () => {
    const weights = new Set(SOURCES.map((s) => sourceParams(s).eventWeight));
    expect(weights.size).toBe(SOURCES.length);
  });
});

describe('planted events', () => {
  const planted = plantedEvents();
  const expected = (e: (typeof planted)[number]) => (e.expect.fv ? FV : 0) | (e.expect.roi ? ROI : 0) | (e.expect.mssi ? MSSI : 0);

  it.each([4000, 200, 17])('decide as intended at their entries in a file of %i events', (events) => {
    const clusters = generate('U238-late_AnodeGridWires', events, 3, 1000);
    const positions = plantedPositions(events);
    expect(new Set(positions).size).toBe(positions.length);
    positions.forEach((entry, k) => {
      const c = clusters[Math.floor(entry / 1000)]!;
      const e = planted[k]!;
      expect(decideEvent(eventColumnsOf(c), entry % 1000), e.name).toBe(expected(e));
    });
  });

  it('cover every cut on each side, with an exact "on" where a float32 sits on the cut', () => {
    const names = new Set(planted.map((e) => e.name));
    for (const cut of ['driftMin', 'driftMax', 's1cMin', 's1cMax', 's2RawMin']) {
      for (const side of ['inside', 'on', 'outside']) expect(names.has(`${cut}/${side}`), `${cut}/${side}`).toBe(true);
    }
    for (const cut of ['log10S2cMax', 'wall@100us/axis', 'wall@500us/diagonal', 'wall@1000us/axis']) {
      for (const side of ['inside', 'outside']) expect(names.has(`${cut}/${side}`), `${cut}/${side}`).toBe(true);
    }
    for (const t of [100, 500, 1000]) expect(names.has(`wall@${t}us/exact/on`)).toBe(true);
    for (const n of ['s2c/zero', 's2c/negative', 's2c/NaN', 's2Raw/zero', 's2Raw/NaN', 'vertices/empty', 'vertices/allSkipped', 'vertices/nS1==nS2', 'vertices/nS1==nS2+1']) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('decide as intended with the float64 reference, and their values are float32', () => {
    for (const e of planted) {
      for (const v of Object.values(e.scatter)) expect(Object.is(Math.fround(v), v) || Number.isNaN(v), e.name).toBe(true);
    }
    // Through Float32Array columns, as a reader would hand them over.
    const c = allocateColumns(planted.length);
    const g = new LzEventGenerator(sourceParams('Co60_DomePMTs'), 9, planted.length);
    g.fill(c, planted.length); // as many events as planted: every event is planted, in order
    planted.forEach((e, i) => expect(decideEvent(eventColumnsOf(c), i), e.name).toBe(expected(e)));
  });

  it('are float32 neighbours across each cut', () => {
    const groups = new Map<string, Map<string, number>>();
    for (const e of planted) {
      if (!e.cut || !e.side || !e.field) continue;
      const g = groups.get(e.cut) ?? new Map<string, number>();
      g.set(e.side, e.scatter[e.field]);
      groups.set(e.cut, g);
    }
    expect(groups.size).toBeGreaterThanOrEqual(11);
    for (const [cut, sides] of groups) {
      const inside = sides.get('inside')!;
      const outside = sides.get('outside')!;
      const on = sides.get('on');
      const seq = on === undefined ? [inside, outside] : [inside, on, outside];
      const b = seq.map((v) => bits(Math.abs(v)));
      const step = b[1]! - b[0]!;
      expect(Math.abs(step), cut).toBe(1);
      for (let k = 1; k < b.length; k++) expect(b[k]! - b[k - 1]!, cut).toBe(step);
    }
  });

  it('put the exact wall points on the boundary in float64', () => {
    for (const e of planted.filter((p) => p.name.endsWith('/exact/on'))) {
      const { x_cm: x, y_cm: y, driftTime_ns } = e.scatter;
      expect(Math.sqrt(x * x + y * y), e.name).toBe(wallRadius(driftTime_ns / 1000) - WALL_MARGIN_CM);
    }
  });
});
