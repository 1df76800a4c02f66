// Typed errors of the writer; messages name the file and, where known, the tree and branch.

export class RootWriteError extends Error {
  override readonly name: string = 'RootWriteError';
  constructor(
    message: string,
    readonly file?: string,
    readonly branch?: string,
  ) {
    super(message);
  }
}

/** The chunks handed to writeCluster do not match the tree's spec. */
export class RootWriteSpecError extends RootWriteError {
  override readonly name = 'RootWriteSpecError';
}

/** Writing after close(), or a cluster on a closed file. */
export class RootWriteStateError extends RootWriteError {
  override readonly name = 'RootWriteStateError';
}
