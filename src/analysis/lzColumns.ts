// Which branches the MSSI selection reads, and how the reader's columns become
// the selection's EventColumns (SELECTION.md "Inputs, per ROOT file").

import type { NumericArray } from '../root/write/types.js';
import { FRESH_MEMORY, type ColumnMemory } from '../root/read/columnMemory.js';
import { classesFromIndices, type ColumnData, type ReadOptions } from '../root/read/columns.js';
import { isSkippedVolume } from '../selection/compiled.js';
import { DEFAULT_SELECTION, SCATTER_ROLES, TRUTH_ROLES, type Selection } from '../selection/definition.js';
import type { EventColumns, JaggedColumn, NumberArray } from '../selection/types.js';

// The default selection's names (what `mssi simulate` writes, and what the tests read
// by name). A run reads the names of its own selection (branchesRead and the rest).
const d = DEFAULT_SELECTION;
export const SCATTERS_TREE = d.trees.scatters;
export const TRUTH_TREE = d.trees.truth;
export const SCATTER_BRANCHES = Object.freeze(Object.fromEntries(SCATTER_ROLES.map((r) => [r, d.branches[r]]))) as Readonly<Record<(typeof SCATTER_ROLES)[number], string>>;
export const TRUTH_BRANCHES = Object.freeze({
  nRQMCTruthVertices: d.branches.nRQMCTruthVertices,
  volumeName: d.branches.volumeName,
  detectedS1Photons: d.branches.detectedS1Photons,
  detectedS2Photons: d.branches.detectedS2Photons,
});
export const EVENT_WEIGHT_BRANCH = d.branches.eventWeight;

const unique = (names: readonly string[]) => [...new Set(names)];

/** Every branch a selection reads, by tree (each once; its trees' names may be one). */
export function branchesRead(s: Selection): Readonly<Record<string, readonly string[]>> {
  const scatters = SCATTER_ROLES.map((r) => s.branches[r]);
  const truth = TRUTH_ROLES.map((r) => s.branches[r]);
  if (s.trees.scatters === s.trees.truth) return { [s.trees.scatters]: unique([...scatters, ...truth]) };
  return { [s.trees.scatters]: unique(scatters), [s.trees.truth]: unique(truth) };
}

/** The branches of the per-event read: every scatter role's, and the truth roles' but eventWeight (read once, at entry 0). */
export function eventBranches(s: Selection): { readonly scatters: readonly string[]; readonly truth: readonly string[] } {
  return {
    scatters: unique(SCATTER_ROLES.map((r) => s.branches[r])),
    truth: unique(TRUTH_ROLES.filter((r) => r !== 'eventWeight').map((r) => s.branches[r])),
  };
}

/** The default selection's branches, by tree (the tests' reads). */
export const BRANCHES_READ = branchesRead(d);

const readOptions = new WeakMap<Selection, ReadOptions>();

/**
 * How the truth tree is read: volume names as skip flags (1 for a volume whose
 * vertices are skipped, 0 for any other), each distinct name decided once.
 */
export function truthReadOptions(s: Selection): ReadOptions {
  let o = readOptions.get(s);
  if (!o) {
    o = { stringClasses: new Map([[s.branches.volumeName, skipClassOf(s)]]) };
    readOptions.set(s, o);
  }
  return o;
}

const skipClassOf = (s: Selection) => {
  const substrings = [...s.vertices.skipVolumeSubstrings];
  return (volumeName: string): number => (isSkippedVolume(volumeName, substrings) ? 1 : 0);
};

/** The default selection's truth read (the tests'). */
export const TRUTH_READ_OPTIONS: ReadOptions = truthReadOptions(d);

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
 * Per-vertex skip flags, deciding "contains a skipped substring" once per distinct volume
 * name: the names as read by class (truthReadOptions) are the flags; names read as
 * dictionary indices are mapped here.
 */
function skippedVertices(
  columns: ReadonlyMap<string, ColumnData>,
  tree: string,
  branch: string,
  entries: number,
  memory: ColumnMemory,
  skipClass: (volumeName: string) => number,
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
 * range, read by the selection's names; the arrays it makes (the skip flags) come from
 * `memory`.
 */
export function toEventColumns(
  scatters: ReadonlyMap<string, ColumnData>,
  truth: ReadonlyMap<string, ColumnData>,
  entries: number,
  memory: ColumnMemory = FRESH_MEMORY,
  selection: Selection = DEFAULT_SELECTION,
): EventColumns {
  const { branches: b, trees } = selection;
  const s = (branch: string) => scalar(scatters, trees.scatters, branch, entries);
  const skipClass = truthReadOptions(selection).stringClasses!.get(b.volumeName)!;
  return {
    entries,
    x_cm: s(b.x_cm),
    y_cm: s(b.y_cm),
    driftTime_ns: s(b.driftTime_ns),
    s2Area_phd: s(b.s2Area_phd),
    correctedS1Area_phd: s(b.correctedS1Area_phd),
    correctedS2Area_phd: s(b.correctedS2Area_phd),
    nRQMCTruthVertices: scalar(truth, trees.truth, b.nRQMCTruthVertices, entries),
    vertexSkipped: skippedVertices(truth, trees.truth, b.volumeName, entries, memory, skipClass),
    detectedS1Photons: jaggedNumbers(truth, trees.truth, b.detectedS1Photons, entries),
    detectedS2Photons: jaggedNumbers(truth, trees.truth, b.detectedS2Photons, entries),
  };
}

/** The file's weight: eventWeight of entry 0, from the truth columns of a range starting at 0. */
export function eventWeightOf(truth: ReadonlyMap<string, ColumnData>, selection: Selection = DEFAULT_SELECTION): number {
  const { trees, branches } = selection;
  const chunk = take(truth, trees.truth, branches.eventWeight);
  if (chunk.kind !== 'scalar' || chunk.values.length === 0) {
    throw new BranchShapeError(trees.truth, branches.eventWeight, `expected one number per entry, found ${chunk.kind}`);
  }
  return Number(chunk.values[0]!);
}
