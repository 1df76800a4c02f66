// A structured description of a ROOT file for `mssi inspect FILE`: trees,
// branches, types, entries, baskets, compression. Returns data; printing is
// the CLI's business.
import type { ColumnType } from '../write/types.js';
import { listBlocks, type CompressionName } from './compression.js';
import { parseBasketHeader } from './basket.js';
import { openRootFile } from './reader.js';
import type { BranchInfo } from './metadata.js';
import { FileSource } from './source.js';

export interface BranchDescription {
  readonly name: string;
  readonly rootType: string;
  /** Our column type, or null with `unsupported` saying why. */
  readonly type: ColumnType | null;
  readonly unsupported?: string;
  readonly entries: number;
  readonly baskets: number;
  readonly inMemoryBaskets: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  /** Algorithms found in the first basket's blocks ('none' when stored uncompressed). */
  readonly compression: readonly (CompressionName | 'none')[];
}

export interface TreeDescription {
  readonly name: string;
  readonly title: string;
  readonly entries: number;
  readonly clusters: number;
  readonly branches: readonly BranchDescription[];
}

export interface FileDescription {
  readonly path: string;
  readonly rootVersion: number;
  readonly compressSetting: number;
  readonly sizeBytes: number;
  readonly trees: readonly TreeDescription[];
}

function describeBranch(source: FileSource, b: BranchInfo): BranchDescription {
  let compressed = 0;
  let uncompressed = 0;
  let inMemory = 0;
  let compression: (CompressionName | 'none')[] = [];
  b.baskets.forEach((k, i) => {
    if (k.inMemory) {
      inMemory++;
      uncompressed += k.inMemory.data.length;
      return;
    }
    compressed += k.bytes;
    // only the key is read (small); the first basket's block headers too
    const head = source.read(k.seek, Math.min(k.bytes, i === 0 ? 4096 : 128));
    const h = parseBasketHeader(head, { file: source.path, branch: b.name });
    uncompressed += h.keylen + h.objlen;
    if (i === 0) {
      if (h.nbytes - h.keylen === h.objlen) compression = ['none'];
      else {
        const full = source.read(k.seek + h.keylen, h.nbytes - h.keylen);
        compression = [...new Set(listBlocks(full).map((x) => x.algorithm))];
      }
    }
  });
  const base = {
    name: b.name,
    rootType: b.rootType,
    entries: b.entries,
    baskets: b.baskets.length,
    inMemoryBaskets: inMemory,
    compressedBytes: compressed,
    uncompressedBytes: uncompressed,
    compression,
  };
  if (b.type.kind === 'unsupported') return { ...base, type: null, unsupported: b.type.reason };
  return { ...base, type: b.type };
}

export async function inspectRootFile(path: string): Promise<FileDescription> {
  const rf = await openRootFile(path);
  const source = new FileSource(path);
  try {
    return {
      path,
      rootVersion: rf.version,
      compressSetting: rf.compress,
      sizeBytes: source.size,
      trees: rf.trees().map((t) => ({
        name: t.name,
        title: t.title,
        entries: t.entries,
        clusters: Math.max(0, t.clusterBoundaries.length - 1),
        branches: t.branchList.map((b) => describeBranch(source, b)),
      })),
    };
  } finally {
    source.close();
    rf.close();
  }
}
