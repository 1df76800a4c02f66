// Builds EventColumns from a readable list of events, for hand-worked tests.
import { isSkippedVolume } from '../../src/selection/cuts.js';
import type { EventColumns, JaggedColumn } from '../../src/selection/types.js';

export interface TestVertex {
  volume: string;
  s1: number;
  s2: number;
}

export interface TestEvent {
  x?: number;
  y?: number;
  driftNs?: number;
  s2?: number;
  s1c?: number;
  s2c?: number;
  vertices?: TestVertex[];
  /** Overrides nRQMCTruthVertices (default: vertices.length). */
  nVertices?: number;
}

/** An event that passes FV and ROI and has no vertices. */
export const GOOD: Required<Omit<TestEvent, 'vertices' | 'nVertices'>> = {
  x: 10,
  y: 10,
  driftNs: 500_000,
  s2: 2000,
  s1c: 50,
  s2c: 5000,
};

function jagged<T extends Float64Array | Uint8Array>(
  events: TestEvent[],
  make: (n: number) => T,
  pick: (v: TestVertex) => number,
): JaggedColumn<T> {
  const offsets = new Int32Array(events.length + 1);
  const all: number[] = [];
  events.forEach((e, i) => {
    for (const v of e.vertices ?? []) all.push(pick(v));
    offsets[i + 1] = all.length;
  });
  const values = make(all.length);
  values.set(all);
  return { offsets, values };
}

export function columnsOf(events: TestEvent[], float32 = false): EventColumns {
  const col = (pick: (e: Required<Omit<TestEvent, 'vertices' | 'nVertices'>>) => number) => {
    const values = events.map((e) => pick({ ...GOOD, ...e }));
    return float32 ? Float32Array.from(values) : Float64Array.from(values);
  };
  return {
    entries: events.length,
    x_cm: col((e) => e.x),
    y_cm: col((e) => e.y),
    driftTime_ns: col((e) => e.driftNs),
    s2Area_phd: col((e) => e.s2),
    correctedS1Area_phd: col((e) => e.s1c),
    correctedS2Area_phd: col((e) => e.s2c),
    nRQMCTruthVertices: Int32Array.from(events.map((e) => e.nVertices ?? e.vertices?.length ?? 0)),
    vertexSkipped: jagged(events, (n) => new Uint8Array(n), (v) => (isSkippedVolume(v.volume) ? 1 : 0)),
    detectedS1Photons: jagged(events, (n) => new Float64Array(n), (v) => v.s1),
    detectedS2Photons: jagged(events, (n) => new Float64Array(n), (v) => v.s2),
  };
}
