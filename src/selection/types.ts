// The seam between whatever read the events (a ROOT reader, a test, a simulator)
// and the selection. Columns are plain numeric TypedArrays: 64-bit integer
// columns are widened to Float64Array by the caller (exact for the only
// comparison made on them, `> 0`, since the sign survives the conversion).

export type NumberArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** A jagged per-vertex column in CSR form: event i owns values[offsets[i] .. offsets[i+1]). */
export interface JaggedColumn<T extends NumberArray = NumberArray> {
  readonly offsets: Int32Array;
  readonly values: T;
}

/** The columns the MSSI selection reads, for `entries` consecutive events. */
export interface EventColumns {
  readonly entries: number;
  readonly x_cm: NumberArray;
  readonly y_cm: NumberArray;
  readonly driftTime_ns: NumberArray;
  readonly s2Area_phd: NumberArray;
  readonly correctedS1Area_phd: NumberArray;
  readonly correctedS2Area_phd: NumberArray;
  readonly nRQMCTruthVertices: NumberArray;
  /** Per vertex: 1 when its volume name contains "Skin" or "Scint" (decided once per distinct name). */
  readonly vertexSkipped: JaggedColumn<Uint8Array>;
  readonly detectedS1Photons: JaggedColumn;
  readonly detectedS2Photons: JaggedColumn;
}

/** The six counts of SELECTION.md for a run of events. */
export interface SelectionCounts {
  nSS: number;
  nSSFV: number;
  nSSFVROI: number;
  nMSSI: number;
  nMSSIFV: number;
  nMSSIFVROI: number;
}

/** The names of the six counts, in SELECTION.md's order. */
export const COUNT_KEYS = ['nSS', 'nSSFV', 'nSSFVROI', 'nMSSI', 'nMSSIFV', 'nMSSIFVROI'] as const satisfies readonly (keyof SelectionCounts)[];

export function zeroCounts(): SelectionCounts {
  return { nSS: 0, nSSFV: 0, nSSFVROI: 0, nMSSI: 0, nMSSIFV: 0, nMSSIFVROI: 0 };
}

export function addCounts(into: SelectionCounts, more: SelectionCounts): SelectionCounts {
  into.nSS += more.nSS;
  into.nSSFV += more.nSSFV;
  into.nSSFVROI += more.nSSFVROI;
  into.nMSSI += more.nMSSI;
  into.nMSSIFV += more.nMSSIFV;
  into.nMSSIFVROI += more.nMSSIFVROI;
  return into;
}
