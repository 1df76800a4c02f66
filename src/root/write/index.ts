// Public API of the ROOT file writer.
export { RootFileWriter, type WriterTestingOptions } from './file.js';
export { TreeWriter } from './tree.js';
export { loadZstdEncoder } from './zstd.js';
export { RootWriteError, RootWriteSpecError, RootWriteStateError } from './errors.js';
export type * from './types.js';
export { th2dObject, type Th2dAxis, type Th2dSpec, type Th2dStats } from './th2d.js';
