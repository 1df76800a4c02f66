// Errors of the decompression layer: plain messages (what was expected, what was
// found, where in the compressed data); the basket layer adds file, tree and branch.

/** The compressed bytes cannot be decoded into what their headers promise. */
export class DecompressionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecompressionError';
  }
}

/** The LZMA decoder is loaded asynchronously: call loadLzma() and retry. */
export class LzmaNotLoadedError extends DecompressionError {
  constructor() {
    super('LZMA decoder not loaded (call loadLzma() first)');
    this.name = 'LzmaNotLoadedError';
  }
}

/**
 * Valid compressed data this reader cannot decode (ROOT's old "CS" algorithm, xz
 * layouts jsroot's LZMA decoder does not read): not damage, and said so.
 */
export class UnsupportedCompressionError extends DecompressionError {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedCompressionError';
  }
}
