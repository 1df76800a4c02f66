// The seam between what is written (trees of typed columns) and how ROOT lays it
// out on disk. `simulate` and the test fixtures speak only these types.

import type { ClassDef } from './streamers.js';

/** Element types a column can hold, named after their C++ meaning. */
export type NumericType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

/** Bytes per element of each NumericType, on disk and in memory. */
export const NUMERIC_SIZE: Readonly<Record<NumericType, number>> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

export type NumericArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** What one entry of a column is. */
export type ColumnType =
  | { kind: 'scalar'; type: NumericType }
  | { kind: 'string' } // std::string
  | { kind: 'vector'; type: NumericType } // std::vector<T>
  | { kind: 'vectorString' }; // std::vector<std::string>

/**
 * The values of one column for a run of consecutive entries.
 * Jagged columns use CSR offsets: entry i owns elements offsets[i] .. offsets[i+1]-1
 * (offsets.length = entries + 1, offsets[0] = 0).
 * Strings are indices into a dictionary, so a vocabulary of volume names is
 * encoded once, not once per vertex.
 */
export type ColumnChunk =
  | { kind: 'scalar'; values: NumericArray }
  | { kind: 'string'; indices: Uint32Array; dictionary: readonly string[] }
  | { kind: 'vector'; offsets: Int32Array; values: NumericArray }
  | { kind: 'vectorString'; offsets: Int32Array; indices: Uint32Array; dictionary: readonly string[] };

export interface MemberSpec {
  /** Member name inside its class, e.g. `x_cm`. */
  readonly name: string;
  readonly type: ColumnType;
  readonly title?: string;
}

/**
 * A top-level branch.
 * - `leaf`: a flat branch named `name` (TBranch + TLeaf for scalars and strings,
 *   a top-level TBranchElement for std::vector columns).
 * - `object`: a split TBranchElement `name.` of a TObject-derived class; each member
 *   becomes the sub-branch `name.member` (the full dotted name, as ROOT writes it).
 */
export type BranchSpec =
  | { kind: 'leaf'; name: string; type: ColumnType; title?: string }
  | {
      kind: 'object';
      name: string;
      className: string;
      classVersion: number;
      members: readonly MemberSpec[];
    };

export interface TreeSpec {
  readonly name: string;
  readonly title: string;
  readonly branches: readonly BranchSpec[];
}

export type CompressionAlgorithm = 'none' | 'zlib' | 'lz4' | 'zstd';

export interface Compression {
  readonly algorithm: CompressionAlgorithm;
  /** 1..9; ignored for 'none'. */
  readonly level: number;
}

export interface WriteOptions {
  readonly compression: Compression;
  /** Target uncompressed bytes per basket; a branch gets several baskets per cluster when it outgrows this. */
  readonly basketSize: number;
  /** Fixed creation/modification time of every record, so that the same input gives byte-identical files. */
  readonly datime: Date;
  /** 16 bytes for the file's UUID (deterministic when derived from a seed). */
  readonly uuid: Uint8Array;
  /** File title (TFile title). */
  readonly title?: string;
  /**
   * Name recorded inside the file (TFile name, keys list, free segments). Defaults to
   * the basename of the path written; pass the final name when writing to a temporary path.
   */
  readonly fileName?: string;
}

/** An object other than a tree (a histogram) that RootFileWriter.writeObject stores under a key of its own. */
export interface KeyedObject {
  readonly className: string;
  readonly name: string;
  readonly title: string;
  /** The StreamerInfo records its classes need (see histogram-streamers.ts). */
  readonly classes: readonly ClassDef[];
  /** The object's bytes from its byte count on; `keylen` is where in-key offsets start. */
  serialize(keylen: number): Uint8Array;
}
