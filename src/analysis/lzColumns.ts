// Which branches the MSSI selection reads, and how the reader's columns become
// the selection's EventColumns (SELECTION.md "Inputs, per ROOT file").

import type { NumericArray } from '../root/write/types.js';
import { FRESH_MEMORY, type ColumnMemory } from '../root/read/columnMemory.js';
import { classesFromIndices, type ColumnData, type ReadOptions } from '../root/read/columns.js';
import { isSkippedVolume } from '../selection/cuts.js';
import type { EventColumns, JaggedColumn, NumberArray } from '../selection/types.js';

export const SCATTERS_TREE = 'Scatters';
export const TRUTH_TREE = 'RQMCTruth';

export const SCATTER_BRANCHES = {
  x_cm: 'ss.x_cm',
  y_cm: 'ss.y_cm',
  driftTime_ns: 'ss.driftTime_ns',
  s2Area_phd: 'ss.s2Area_phd',
  correctedS1Area_phd: 'ss.correctedS1Area_phd',
  correctedS2Area_phd: 'ss.correctedS2Area_phd',
} as const;

export const TRUTH_BRANCHES = {
  nRQMCTruthVertices: 'mcTruthVertices.nRQMCTruthVertices',
  volumeName: 'mcTruthVertices.volumeName',
  detectedS1Photons: 'mcTruthVertices.detectedS1Photons',
  detectedS2Photons: 'mcTruthVertices.detectedS2Photons',
} as const;

export const EVENT_WEIGHT_BRANCH = 'mcTruthEvent.eventWeight';

/** Every branch read, by tree: part of the selection's definition (and so of the cache key). */
export const BRANCHES_READ: Readonly<Record<string, readonly string[]>> = {
  [SCATTERS_TREE]: Object.values(SCATTER_BRANCHES),
  [TRUTH_TREE]: [...Object.values(TRUTH_BRANCHES), EVENT_WEIGHT_BRANCH],
};

/** Skip flags are read by class: 1 for a volume whose vertices are skipped, 0 for any other. */
const skipClass = (volumeName: string): number => (isSkippedVolume(volumeName) ? 1 : 0);

/** How the truth tree is read: volume names as skip flags, each distinct name decided once. */
export const TRUTH_READ_OPTIONS: ReadOptions = { stringClasses: new Map([[TRUTH_BRANCHES.volumeName, skipClass]]) };

/** A branch whose data is not what the selection expects. */
export class BranchShapeError extends Error {
  constructor(
    readonly tree: string,
    readonly branch: string,
    detail: string,
  ) {
    super(`tree ${tree}, branch ${branch}: ${detail}`);
    this.name = 'BranchShapeError';
  }
}

/** Widens 64-bit integers to float64; exact for the sign tests the selection makes on them. */
function asNumberArray(values: NumericArray): NumberArray {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]!);
    return out;
  }
  return values;
}

function take(columns: ReadonlyMap<string, ColumnData>, tree: string, branch: string): ColumnData {
  const chunk = columns.get(branch);
  if (!chunk) throw new BranchShapeError(tree, branch, 'not read');
  return chunk;
}

function scalar(columns: ReadonlyMap<string, ColumnData>, tree: string, branch: string, entries: number): NumberArray {
  const chunk = take(columns, tree, branch);
  if (chunk.kind !== 'scalar') {
    throw new BranchShapeError(tree, branch, `expected one number per entry, found ${chunk.kind}`);
  }
  if (chunk.values.length !== entries) {
    throw new BranchShapeError(tree, branch, `expected ${entries} values, found ${chunk.values.length}`);
  }
  return asNumberArray(chunk.values);
}

function jaggedNumbers(
  columns: ReadonlyMap<string, ColumnData>,
  tree: string,
  branch: string,
  entries: number,
): JaggedColumn {
  const chunk = take(columns, tree, branch);
  if (chunk.kind !== 'vector') {
    throw new BranchShapeError(tree, branch, `expected a std::vector of numbers per entry, found ${chunk.kind}`);
  }
  checkOffsets(chunk.offsets, entries, tree, branch);
  return { offsets: chunk.offsets, values: asNumberArray(chunk.values) };
}

function checkOffsets(offsets: Int32Array, entries: number, tree: string, branch: string): void {
  if (offsets.length !== entries + 1) {
    throw new BranchShapeError(tree, branch, `expected ${entries + 1} offsets, found ${offsets.length}`);
  }
}

/**
 * Per-vertex skip flags, deciding "contains Skin or Scint" once per distinct volume name:
 * the names as read by class (TRUTH_READ_OPTIONS) are the flags; names read as
 * dictionary indices are mapped here.
 */
function skippedVertices(
  columns: ReadonlyMap<string, ColumnData>,
  tree: string,
  branch: string,
  entries: number,
  memory: ColumnMemory,
): JaggedColumn<Uint8Array> {
  const chunk = take(columns, tree, branch);
  if (chunk.kind === 'vectorStringClass') {
    checkOffsets(chunk.offsets, entries, tree, branch);
    return { offsets: chunk.offsets, values: chunk.classes };
  }
  if (chunk.kind !== 'vectorString') {
    throw new BranchShapeError(tree, branch, `expected a std::vector<std::string> per entry, found ${chunk.kind}`);
  }
  checkOffsets(chunk.offsets, entries, tree, branch);
  return { offsets: chunk.offsets, values: classesFromIndices(chunk.indices, Uint8Array.from(chunk.dictionary, skipClass), memory) };
}

/**
 * EventColumns of `entries` events from the columns of both trees over the same entry
 * range; the arrays it makes (the skip flags) come from `memory`.
 */
export function toEventColumns(
  scatters: ReadonlyMap<string, ColumnData>,
  truth: ReadonlyMap<string, ColumnData>,
  entries: number,
  memory: ColumnMemory = FRESH_MEMORY,
): EventColumns {
  const s = (branch: string) => scalar(scatters, SCATTERS_TREE, branch, entries);
  return {
    entries,
    x_cm: s(SCATTER_BRANCHES.x_cm),
    y_cm: s(SCATTER_BRANCHES.y_cm),
    driftTime_ns: s(SCATTER_BRANCHES.driftTime_ns),
    s2Area_phd: s(SCATTER_BRANCHES.s2Area_phd),
    correctedS1Area_phd: s(SCATTER_BRANCHES.correctedS1Area_phd),
    correctedS2Area_phd: s(SCATTER_BRANCHES.correctedS2Area_phd),
    nRQMCTruthVertices: scalar(truth, TRUTH_TREE, TRUTH_BRANCHES.nRQMCTruthVertices, entries),
    vertexSkipped: skippedVertices(truth, TRUTH_TREE, TRUTH_BRANCHES.volumeName, entries, memory),
    detectedS1Photons: jaggedNumbers(truth, TRUTH_TREE, TRUTH_BRANCHES.detectedS1Photons, entries),
    detectedS2Photons: jaggedNumbers(truth, TRUTH_TREE, TRUTH_BRANCHES.detectedS2Photons, entries),
  };
}

/** The file's weight: eventWeight of entry 0, from the truth columns of a range starting at 0. */
export function eventWeightOf(truth: ReadonlyMap<string, ColumnData>): number {
  const chunk = take(truth, TRUTH_TREE, EVENT_WEIGHT_BRANCH);
  if (chunk.kind !== 'scalar' || chunk.values.length === 0) {
    throw new BranchShapeError(TRUTH_TREE, EVENT_WEIGHT_BRANCH, `expected one number per entry, found ${chunk.kind}`);
  }
  return Number(chunk.values[0]!);
}
