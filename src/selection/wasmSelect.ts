// The CPU selection of a run: the WebAssembly kernel of kernels/wasm/select.ts
// (the reference's operations in the same order, ~1.7x faster than the JIT's
// code for them), for the column types it has variants for; the float64
// reference (reference.ts) for any other, and to report an event whose vertex
// count exceeds its vectors.

import { endianness } from 'node:os';
import { align8, WasmKernel } from '../wasmKernel.js';
import { DRIFT_MAX_US, DRIFT_MIN_US, LOG10_S2C_MAX, S1C_MAX_PHD, S1C_MIN_PHD, S2_RAW_MIN_PHD, WALL_MARGIN_CM, WALL_POLY } from './cuts.js';
import { S2C_SURELY_ABOVE, S2C_SURELY_BELOW, selectReference } from './reference.js';
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

  constructor() {
    this.kernel.exports.configure(
      ...WALL_POLY,
      WALL_MARGIN_CM,
      DRIFT_MIN_US,
      DRIFT_MAX_US,
      S1C_MIN_PHD,
      S1C_MAX_PHD,
      S2C_SURELY_BELOW,
      S2C_SURELY_ABOVE,
      LOG10_S2C_MAX,
      S2_RAW_MIN_PHD,
    );
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
  select(c: EventColumns, run: SelectExport): SelectionCounts | null {
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
    const scratch = align8(out + 20); // the kernel's prefix sums: one int32 per vertex, and one
    k.ensure(scratch + 4 * (c.detectedS1Photons.values.length + 1));
    for (const [a, at, bytes] of places) k.u8.set(new Uint8Array(a.buffer, a.byteOffset, bytes), at);
    if (run(...args, out, scratch) !== 0) return null;
    const r = k.i32.subarray(out >>> 2, (out >>> 2) + 5);
    return { nSS: n, nSSFV: r[0]!, nSSFVROI: r[1]!, nMSSI: r[2]!, nMSSIFV: r[3]!, nMSSIFVROI: r[4]! };
  }
}

let kernel: SelectKernel | null = null;
// WebAssembly memory is little-endian; the columns' bytes are copied in as they are in host order.
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** The six counts over all events of `c`: SELECTION.md, the same as selectReference to the event. */
export function selectCpu(c: EventColumns): SelectionCounts {
  if (!LITTLE_ENDIAN_HOST) return selectReference(c);
  kernel ??= new SelectKernel();
  const run = kernel.variant(c);
  // The reference also throws the VertexCountError that names the event and the vector.
  return (run && kernel.select(c, run)) ?? selectReference(c);
}
