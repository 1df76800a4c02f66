// Public surface of the columnar ROOT reader.
export { openRootFile, clusterRanges } from './reader.js';
export type { RootFile, ColumnData, EntryRange, ReadOptions, StringClassifier, StringClassColumn } from './reader.js';
export type { TreeInfo, BranchInfo, BasketInfo, BranchType, Layout } from './metadata.js';
export { RootReadError, UnsupportedBranchError, CorruptBasketError, MissingObjectError } from './errors.js';
export { inspectRootFile } from './inspect.js';
export type { FileDescription, TreeDescription, BranchDescription } from './inspect.js';
