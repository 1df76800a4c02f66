// The WebAssembly selection against the float64 reference: the same counts on
// events drawn around every cut, event by event and in bulk, for every column
// type it has a variant for; the reference's own result (or error) for the rest.
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { describe, expect, it } from 'vitest';
import { boundaryEvents } from '../../src/gpu/boundaryEvents.js';
import { selectReference, VertexCountError } from '../../src/selection/reference.js';
import { selectCpu } from '../../src/selection/wasmSelect.js';
import type { EventColumns, JaggedColumn, NumberArray } from '../../src/selection/types.js';
import { columnsOf, GOOD } from './events.js';

type Make = (values: ArrayLike<number>) => NumberArray;
const f32: Make = (v) => Float32Array.from(v);
const f64: Make = (v) => Float64Array.from(v);
const i32: Make = (v) => Int32Array.from(v, (x) => (Number.isFinite(x) ? Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(x))) : 0));
const i16: Make = (v) => Int16Array.from(v, (x) => (Number.isFinite(x) ? Math.trunc(x) : 0));
const u32: Make = (v) => Uint32Array.from(v, (x) => (Number.isFinite(x) && x > 0 ? Math.trunc(x) : 0));

/** The columns with the scatter and photon columns converted to other types. */
function retyped(c: EventColumns, scatter: Make, photons: Make): EventColumns {
  const jag = (j: JaggedColumn): JaggedColumn => ({ offsets: j.offsets, values: photons(j.values) });
  return {
    ...c,
    x_cm: scatter(c.x_cm),
    y_cm: scatter(c.y_cm),
    driftTime_ns: scatter(c.driftTime_ns),
    s2Area_phd: scatter(c.s2Area_phd),
    correctedS1Area_phd: scatter(c.correctedS1Area_phd),
    correctedS2Area_phd: scatter(c.correctedS2Area_phd),
    detectedS1Photons: jag(c.detectedS1Photons),
    detectedS2Photons: jag(c.detectedS2Photons),
  };
}

/** Events [i, i + 1) of the columns, as a one-event column set. */
function oneEvent(c: EventColumns, i: number): EventColumns {
  const jag = <T extends NumberArray>(j: JaggedColumn<T>): JaggedColumn<T> => {
    const a = j.offsets[i]!;
    const b = j.offsets[i + 1]!;
    return { offsets: Int32Array.of(0, b - a), values: j.values.slice(a, b) as T };
  };
  const s = (a: NumberArray) => a.slice(i, i + 1);
  return {
    entries: 1,
    x_cm: s(c.x_cm),
    y_cm: s(c.y_cm),
    driftTime_ns: s(c.driftTime_ns),
    s2Area_phd: s(c.s2Area_phd),
    correctedS1Area_phd: s(c.correctedS1Area_phd),
    correctedS2Area_phd: s(c.correctedS2Area_phd),
    nRQMCTruthVertices: s(c.nRQMCTruthVertices),
    vertexSkipped: jag(c.vertexSkipped),
    detectedS1Photons: jag(c.detectedS1Photons),
    detectedS2Photons: jag(c.detectedS2Photons),
  };
}

/** The same events with the skip flags' vectors one element longer per event (other offsets than the photons'). */
function unevenVectors(c: EventColumns): EventColumns {
  const offsets = new Int32Array(c.entries + 1);
  const values: number[] = [];
  for (let i = 0; i < c.entries; i++) {
    for (let k = c.vertexSkipped.offsets[i]!; k < c.vertexSkipped.offsets[i + 1]!; k++) values.push(c.vertexSkipped.values[k]!);
    values.push(1);
    offsets[i + 1] = values.length;
  }
  return { ...c, vertexSkipped: { offsets, values: Uint8Array.from(values) } };
}

describe('selectCpu (WebAssembly)', () => {
  it('decides every event as the reference does, event by event', () => {
    const c = boundaryEvents(3000, 41);
    for (let i = 0; i < c.entries; i++) {
      const one = oneEvent(c, i);
      expect(selectCpu(one, DEFAULT_SELECTION), `event ${i}`).toEqual(selectReference(one));
    }
  });

  const variants: [string, Make, Make][] = [
    ['float32 scatters, float32 photons', f32, f32],
    ['float32 scatters, int32 photons', f32, i32],
    ['float32 scatters, float64 photons', f32, f64],
    ['float64 scatters, int32 photons', f64, i32],
    ['float64 scatters, float64 photons', f64, f64],
    ['int16 scatters (no kernel variant)', i16, i32],
    ['uint32 photons (no kernel variant)', f32, u32],
  ];
  it.each(variants)('gives the reference counts on 100k events around every cut: %s', (_name, scatter, photons) => {
    for (const seed of [1]) {
      const c = retyped(boundaryEvents(100_000, seed), scatter, photons);
      expect(selectCpu(c, DEFAULT_SELECTION)).toEqual(selectReference(c));
      expect(selectCpu(unevenVectors(c), DEFAULT_SELECTION)).toEqual(selectReference(unevenVectors(c)));
    }
  });

  it('gives the reference counts on hand-made events: ties, skipped volumes, zero and negative counts', () => {
    const v = (volume: string, s1: number, s2: number) => ({ volume, s1, s2 });
    const events = [
      { vertices: [v('LiquidXenonTarget', 5, 0)] },
      { vertices: [v('LiquidXenonTarget', 5, 0), v('LiquidXenonTarget', 0, 3)] },
      { vertices: [v('SideSkinXenon', 5, 0)] },
      { vertices: [v('ScintillatorCenter', 5, 0), v('LiquidXenonTarget', 1, 0)] },
      { vertices: [v('LiquidXenonTarget', 5, 0)], nVertices: 0 },
      { vertices: [v('LiquidXenonTarget', 5, 0)], nVertices: -2 },
      { vertices: [v('LiquidXenonTarget', 5, 0), v('LiquidXenonTarget', 5, 0)], nVertices: 1 },
      { vertices: [] },
      { ...GOOD, x: NaN },
      { ...GOOD, s2c: 0 },
      { ...GOOD, s2c: -1 },
    ];
    for (const float32 of [false, true]) {
      const c = columnsOf(events, float32);
      const typed = { ...c, nRQMCTruthVertices: Int32Array.from(c.nRQMCTruthVertices) };
      expect(selectCpu(typed, DEFAULT_SELECTION)).toEqual(selectReference(typed));
      expect(selectCpu(typed, DEFAULT_SELECTION).nMSSI).toBe(3);
    }
  });

  it('throws the reference’s VertexCountError for an event with more vertices than its vectors', () => {
    const c = boundaryEvents(1000, 5);
    const nv = Int32Array.from(c.nRQMCTruthVertices);
    nv[700] = 1 + c.detectedS1Photons.offsets[701]! - c.detectedS1Photons.offsets[700]!;
    const bad = { ...c, nRQMCTruthVertices: nv };
    expect(() => selectReference(bad)).toThrow(VertexCountError);
    expect(() => selectCpu(bad, DEFAULT_SELECTION)).toThrow(expect.objectContaining({ name: 'VertexCountError', entry: 700 }));
  });
});
