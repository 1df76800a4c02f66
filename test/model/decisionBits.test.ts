import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { describe, expect, it } from 'vitest';
import { decisionBits } from '../../src/model/decisionBits.js';
import { decideEvent, FV, ROI } from '../../src/selection/reference.js';
import { Rng } from '../../src/simulate/rng.js';
import { columnsOf, GOOD, type TestEvent } from '../selection/events.js';

const FV_ROI = FV | ROI;

describe('decisionBits (the seam until the kernel gives its bits)', () => {
  it('gives FV and ROI exactly to the SS FV ROI events, with their MSSI bit, on events drawn around every cut', () => {
    const rng = new Rng(18, 'model-bits');
    const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
    const events: TestEvent[] = [];
    for (let i = 0; i < 8000; i++) {
      events.push({
        x: pick([0, 10, 60, 65, 66, 67, 70, NaN]),
        y: pick([0, 5, 20]),
        driftNs: pick([70_999, 71_000, 71_001, 500_000, 1_029_999, 1_030_000, 1_030_001, NaN, -1]),
        s2: pick([645.25, 645.2500000000001, 645, 2000, NaN]),
        s1c: pick([3, 3.0000000000000004, 2.9999999999999996, 50, 599.9999999999999, 600, NaN, -1]),
        s2c: pick([0, 5000, 31622.776601683792, 31622.7766016838, 1e6, -5, NaN]),
        vertices: Array.from({ length: rng.int(4) }, () => ({ volume: pick(['LiquidXenonTarget', 'SideSkinXenon', 'Scint']), s1: rng.int(3), s2: rng.int(2) })),
      });
    }
    events.push(GOOD);
    for (const float32 of [false, true]) {
      const c = columnsOf(events, float32);
      const bits = new Uint8Array(c.entries);
      decisionBits(c, bits, DEFAULT_SELECTION);
      let fvRoi = 0;
      const wrong: string[] = [];
      for (let i = 0; i < c.entries; i++) {
        const want = decideEvent(c, i);
        const isFvRoi = (want & FV_ROI) === FV_ROI;
        if (isFvRoi) fvRoi++;
        if (((bits[i]! & FV_ROI) === FV_ROI) !== isFvRoi || (isFvRoi && bits[i] !== want)) wrong.push(`event ${i}: ${bits[i]}, reference ${want}`);
      }
      expect(wrong).toEqual([]);
      expect(fvRoi).toBeGreaterThan(5); // the draw reaches the case that matters
    }
  });
});
