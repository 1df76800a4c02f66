import { describe, expect, it } from 'vitest';
import { addModel, axisBinner, axisEdges, binOf, emptyModel, filledEntries, modelAxes, ModelBinner } from '../../src/model/bin.js';
import { FV, MSSI, ROI } from '../../src/selection/reference.js';
import { DEFAULT_SELECTION, type AxisSpec } from '../../src/selection/definition.js';

/** The float64 next to v, towards +Infinity (up) or -Infinity (down). */
function ulp(v: number, dir: 1 | -1): number {
  if (v === 0) return dir * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, bits + BigInt((v > 0 ? 1 : -1) * dir));
  return view.getFloat64(0);
}
const up = (v: number) => ulp(v, 1);
const down = (v: number) => ulp(v, -1);

describe('axis edges', () => {
  it("are low + k * ((high - low) / count) in float64, the last one high: ROOT's TAxis::GetBinLowEdge and numpy.linspace (uproot's edges())", () => {
    const e = axisEdges({ count: 80, low: 2.5, high: 4.5 });
    expect(e).toHaveLength(81);
    expect(e[0]).toBe(2.5);
    expect(e[1]).toBe(2.5 + 1 * (2 / 80));
    expect(e[37]).toBe(2.5 + 37 * ((4.5 - 2.5) / 80));
    // where the two readings of the formula differ, uproot 5.x's edges() of a written
    // TH2D gave 3.5250000000000004 (numpy.linspace: start + k * step), not 3.525
    expect(e[41]).toBe(3.5250000000000004);
    expect(2.5 + (41 * 2) / 80).toBe(3.525);
    expect(e[80]).toBe(4.5);
    expect(axisEdges({ count: 120, low: 0, high: 600 })[7]).toBe(35);
  });
});

describe('binOf', () => {
  const axes: AxisSpec[] = [
    DEFAULT_SELECTION.model.cs1Bins,
    DEFAULT_SELECTION.model.log10Cs2Bins,
    // edges that are not exact binary fractions: the arithmetic guess is off next to some
    { count: 7, low: 0.1, high: 0.7 },
    { count: 3, low: -1e-9, high: 3e-9 },
    { count: 1000, low: 3, high: 80 },
  ];
  it.each(axes)('puts each edge in the bin above it, one ulp below in the bin below (%o)', (axis) => {
    const b = axisBinner(axis);
    const e = b.edges;
    for (let k = 0; k <= axis.count; k++) {
      const above = k === axis.count ? axis.count + 1 : k + 1;
      expect(binOf(e[k]!, b), `edge ${k} = ${e[k]}`).toBe(above);
      expect(binOf(up(e[k]!), b), `one ulp above edge ${k}`).toBe(above);
      expect(binOf(down(e[k]!), b), `one ulp below edge ${k}`).toBe(k);
    }
  });

  it('has underflow, overflow and no bin for NaN', () => {
    const b = axisBinner({ count: 80, low: 2.5, high: 4.5 });
    expect(binOf(-Infinity, b)).toBe(0);
    expect(binOf(Math.log10(0), b)).toBe(0);
    expect(binOf(-3, b)).toBe(0);
    expect(binOf(4.5, b)).toBe(81);
    expect(binOf(1e300, b)).toBe(81);
    expect(binOf(Infinity, b)).toBe(81);
    expect(binOf(NaN, b)).toBe(-1);
    expect(binOf(Math.log10(-5), b)).toBe(-1);
  });
});

describe('ModelBinner', () => {
  const axes = modelAxes(DEFAULT_SELECTION);
  const stride = axes.x.count + 2; // 122
  const cell = (ix: number, iy: number) => ix + stride * iy;
  const A = FV | ROI;

  it('bins hand-worked events: SS FV ROI into ss, with MSSI into mssi too, in ROOT cells with flow', () => {
    // s1c bins of 5 phd from 0; log10(s2c) bins of 0.025 from 2.5
    const events: [bits: number, s1c: number, s2c: number][] = [
      [A, 5, 1000], //           x bin 2 (edge 5 is its low edge), y: log10 = 3 exactly, edge 20 -> bin 21
      [A | MSSI, 4.999999, 1000], // x bin 1, MSSI too
      [A, 600, 10_000], //          x overflow (121); y = 4: bin 61
      [A | MSSI, -1, 0], //         x underflow; log10(0) = -Infinity: y underflow
      [A, 100, 31622.78], //        log10 = 4.50000000... >= 4.5: y overflow (81)
      [A | MSSI, NaN, 1000], //     NaN cS1: no cell, in the NaN tallies
      [A, 50, -5], //               negative S2c: log10 NaN, in ss's NaN tally
      [FV, 50, 1000], //            not ROI: not binned
      [ROI | MSSI, 50, 1000], //    not FV: not binned
      [0, 50, 1000],
    ];
    const m = emptyModel(axes);
    const bits = Uint8Array.from(events.map((e) => e[0]));
    new ModelBinner(m).add(bits, Float64Array.from(events.map((e) => e[1])), Float64Array.from(events.map((e) => e[2])), events.length);
    const nonEmpty = (cells: Float64Array) => [...cells.entries()].filter(([, c]) => c !== 0);
    expect(nonEmpty(m.ss.cells)).toEqual(
      [
        [cell(0, 0), 1],
        [cell(2, 21), 1],
        [cell(1, 21), 1],
        [cell(21, 81), 1],
        [cell(121, 61), 1],
      ].sort((a, b) => a[0]! - b[0]!),
    );
    expect(m.ss.nan).toBe(2);
    expect(nonEmpty(m.mssi.cells)).toEqual([
      [cell(0, 0), 1],
      [cell(1, 21), 1],
    ]);
    expect(m.mssi.nan).toBe(1);
    expect(filledEntries(m.ss)).toBe(5);
  });

  it('reads float32 columns widened exactly (a float32 just below an edge stays below it)', () => {
    const below5 = Math.fround(4.9999995); // the float32 under 5
    expect(below5).toBeLessThan(5);
    const m = emptyModel(axes);
    new ModelBinner(m).add(Uint8Array.of(A, A), Float32Array.of(below5, 5), Float32Array.of(1000, 1000), 2);
    expect(m.ss.cells[cell(1, 21)]).toBe(1);
    expect(m.ss.cells[cell(2, 21)]).toBe(1);
  });

  it('adds models of the same binning, and refuses another', () => {
    const a = emptyModel(axes);
    const b = emptyModel(axes);
    a.ss.cells[7] = 2;
    b.ss.cells[7] = 3;
    b.mssi.nan = 1;
    addModel(a, b);
    expect(a.ss.cells[7]).toBe(5);
    expect(a.mssi.nan).toBe(1);
    const other = emptyModel({ x: { count: 10, low: 0, high: 600 }, y: axes.y });
    expect(() => addModel(a, other, 'f.root')).toThrow(/^f\.root: model counts of different binnings cannot be added/);
  });
});
