// What the reader returns for a branch: the columns the writer also takes
// (ColumnChunk), or, for a std::vector<std::string> branch read by class, one
// small class number per string instead of its dictionary index. A class is
// decided once per distinct value (e.g. "is this volume skipped?"), so the
// caller never turns the strings of every entry into JS strings, nor maps every
// index to what it needs.

import type { ColumnChunk } from '../write/types.js';
import { FRESH_MEMORY, type ColumnMemory } from './columnMemory.js';
import type { ErrorPlace } from './errors.js';
import { RootReadError } from './errors.js';

/** The class (an integer 0-255) of one distinct string value. */
export type StringClassifier = (value: string) => number;

/** A std::vector<std::string> column read by class: entry i's strings are classes[offsets[i]..offsets[i + 1]). */
export interface StringClassColumn {
  readonly kind: 'vectorStringClass';
  readonly offsets: Int32Array;
  readonly classes: Uint8Array;
  /** The distinct values seen, for messages and tests. */
  readonly dictionary: readonly string[];
}

export type ColumnData = ColumnChunk | StringClassColumn;

/** How columns are read, beyond which entries and where their memory comes from. */
export interface ReadOptions {
  /** std::vector<std::string> branches (by name) to read by class, each with its classifier. */
  readonly stringClasses?: ReadonlyMap<string, StringClassifier>;
}

/** `classify(value)`, checked to be a class. */
export function classOf(classify: StringClassifier, value: string, place: ErrorPlace): number {
  const c = classify(value);
  if (!Number.isInteger(c) || c < 0 || c > 255) {
    throw new RootReadError(place, `the string classifier gave ${c} for '${value}'; a class is an integer from 0 to 255`);
  }
  return c;
}

/** The classes of a column read as dictionary indices (the decoders without a class kernel). */
export function classesOfIndices(
  column: Extract<ColumnChunk, { kind: 'vectorString' }>,
  classify: StringClassifier,
  place: ErrorPlace,
  memory: ColumnMemory = FRESH_MEMORY,
): StringClassColumn {
  const byValue = Uint8Array.from(column.dictionary, (v) => classOf(classify, v, place));
  return { kind: 'vectorStringClass', offsets: column.offsets, classes: classesFromIndices(column.indices, byValue, memory), dictionary: column.dictionary };
}

/** Each string's class, from its dictionary index and the class of each dictionary value. */
export function classesFromIndices(indices: Uint32Array, classOfValue: Uint8Array, memory: ColumnMemory = FRESH_MEMORY): Uint8Array {
  const classes = memory.allocate('uint8', indices.length) as Uint8Array;
  for (let k = 0; k < indices.length; k++) classes[k] = classOfValue[indices[k]!]!;
  return classes;
}
