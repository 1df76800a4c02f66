// The CPU selection of a run: the WebAssembly kernel of kernels/wasm/select.ts
// (the reference's operations in the same order, ~1.7x faster than the JIT's
// code for them), for the column types it has variants for; the float64
// reference (reference.ts) for any other, and to report an event whose vertex
// count exceeds its vectors.

import { endianness } from 'node:os';
import { align8, WasmKernel } from '../wasmKernel.js';
import { compileSelection, type CompiledSelection } from './compiled.js';
import type { Selection } from './definition.js';
import { selectReference } from './reference.js';
import { MAX_WALL_DEGREE } from './limits.js';
import type { EventColumns, JaggedColumn, NumberArray, SelectionCounts } from './types.js';

type SelectExport = (
  n: number,
  x: number,
  y: number,
  drift: number,
  s2: number,
  s1c: number,
  s2c: number,
  nVertices: number,
  skipOffsets: number,
  skip: number,
  s1Offsets: number,
  s1: number,
  s2Offsets: number,
  s2v: number,
  skipLength: number,
  s1Length: number,
  s2Length: number,
  out: number,
  scratch: number,
  bits: number,
  wantBits: number,
) => number;

interface SelectExports {
  configure(...constants: number[]): void;
  [variant: `select_${string}`]: SelectExport;
}

/** The kernel's name for a column type it reads, or null. */
function typeName(a: NumberArray): 'f32' | 'f64' | 'i32' | null {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  return null;
}

class SelectKernel {
  private readonly kernel = new WasmKernel<SelectExports>('select.wasm', { log10: Math.log10 });
  private configured: CompiledSelection | null = null;

  /** Sets the kernel's numbers to this selection's (when they are not already). */
  configure(cs: CompiledSelection): void {
    if (this.configured === cs) return;
    const terms = cs.wallPoly.length;
    if (terms > MAX_WALL_DEGREE + 1) throw new RangeError(`the wall polynomial has ${terms} coefficients; the kernel takes at most ${MAX_WALL_DEGREE + 1}`);
    // leading zeros: the same float64 Horner result (kernels/wasm/select.ts)
    const padded = new Float64Array(MAX_WALL_DEGREE + 1);
    padded.set(cs.wallPoly, padded.length - terms);
    this.kernel.exports.configure(
      terms,
      ...padded,
      cs.wallStandoffCm,
      cs.driftMinUs,
      cs.driftMaxUs,
      cs.s1cMin,
      cs.s1cMax,
      cs.s2cSurelyBelow,
      cs.s2cSurelyAbove,
      cs.log10S2cMax,
      cs.s2RawMin,
    );
    this.configured = cs;
  }

  /** The kernel's variant for these columns' types, or null when it has none. */
  variant(c: EventColumns): SelectExport | null {
    const scatters = [c.x_cm, c.y_cm, c.driftTime_ns, c.s2Area_phd, c.correctedS1Area_phd, c.correctedS2Area_phd];
    const t = typeName(c.x_cm);
    const p = typeName(c.detectedS1Photons.values);
    if (t === null || t === 'i32' || p === null) return null;
    if (!scatters.every((a) => typeName(a) === t) || typeName(c.detectedS2Photons.values) !== p) return null;
    if (!(c.nRQMCTruthVertices instanceof Int32Array)) return null;
    // shorter columns read as undefined in the reference: its semantics, not the kernel's
    if (![...scatters, c.nRQMCTruthVertices].every((a) => a.length >= c.entries)) return null;
    if (![c.vertexSkipped, c.detectedS1Photons, c.detectedS2Photons].every((v) => v.offsets.length > c.entries)) return null;
    return this.kernel.exports[`select_${t}_${p}`] ?? null;
  }

  /** The counts of events [0, c.entries), or null when an event's vertices are not all in its vectors. */
  select(c: EventColumns, run: SelectExport, bitsOut?: Uint8Array): SelectionCounts | null {
    const n = c.entries;
    const k = this.kernel;
    // Lay out every column, then copy them in (the memory may move while growing).
    let end = 0;
    const places: [ArrayBufferView, number, number][] = [];
    const put = (a: ArrayBufferView, bytes = a.byteLength): number => {
      const at = end;
      places.push([a, at, bytes]);
      end = align8(at + bytes);
      return at;
    };
    const scalar = (a: NumberArray) => put(a, n * a.BYTES_PER_ELEMENT);
    const offsetsAt = new Map<Int32Array, number>();
    const offsets = (col: JaggedColumn) => {
      let at = offsetsAt.get(col.offsets);
      if (at === undefined) offsetsAt.set(col.offsets, (at = put(col.offsets, 4 * (n + 1))));
      return at;
    };
    const args = [
      n,
      scalar(c.x_cm),
      scalar(c.y_cm),
      scalar(c.driftTime_ns),
      scalar(c.s2Area_phd),
      scalar(c.correctedS1Area_phd),
      scalar(c.correctedS2Area_phd),
      scalar(c.nRQMCTruthVertices),
      offsets(c.vertexSkipped),
      put(c.vertexSkipped.values),
      offsets(c.detectedS1Photons),
      put(c.detectedS1Photons.values),
      offsets(c.detectedS2Photons),
      put(c.detectedS2Photons.values),
      c.vertexSkipped.values.length,
      c.detectedS1Photons.values.length,
      c.detectedS2Photons.values.length,
    ] as const;
    const out = end;
    const bits = align8(out + 20);
    const scratch = align8(bits + (bitsOut ? n : 0)); // the kernel's prefix sums: one int32 per vertex, and one
    k.ensure(scratch + 4 * (c.detectedS1Photons.values.length + 1));
    for (const [a, at, bytes] of places) k.u8.set(new Uint8Array(a.buffer, a.byteOffset, bytes), at);
    if (run(...args, out, scratch, bits, bitsOut ? 1 : 0) !== 0) return null;
    if (bitsOut) bitsOut.set(k.u8.subarray(bits, bits + n));
    const r = k.i32.subarray(out >>> 2, (out >>> 2) + 5);
    return { nSS: n, nSSFV: r[0]!, nSSFVROI: r[1]!, nMSSI: r[2]!, nMSSIFV: r[3]!, nMSSIFVROI: r[4]! };
  }
}

let kernel: SelectKernel | null = null;
// WebAssembly memory is little-endian; the columns' bytes are copied in as they are in host order.
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * The six counts over all events of `c` under `selection`: SELECTION.md with its
 * numbers, the same as selectReference to the event. With `bitsOut` (at least
 * c.entries long), also each event's decision bits: bitsOut[i] = FV | ROI | MSSI
 * (reference.ts's values; ROI regardless of FV).
 */
export function selectCpu(c: EventColumns, selection: Selection, bitsOut?: Uint8Array): SelectionCounts {
  if (bitsOut && bitsOut.length < c.entries) throw new RangeError(`bitsOut holds ${bitsOut.length} events, not ${c.entries}`);
  if (!LITTLE_ENDIAN_HOST) return selectReference(c, 0, c.entries, selection, bitsOut);
  kernel ??= new SelectKernel();
  const run = kernel.variant(c);
  if (run) kernel.configure(compileSelection(selection));
  // The reference also throws the VertexCountError that names the event and the vector.
  return (run && kernel.select(c, run, bitsOut)) ?? selectReference(c, 0, c.entries, selection, bitsOut);
}
