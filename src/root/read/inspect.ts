// A structured description of a ROOT file for `mssi inspect FILE`: trees,
// branches, types, entries, baskets, compression. Returns data; printing is
// the CLI's business.
import type { ColumnType } from '../write/types.js';
import { listBlocks, type CompressionName } from './compression.js';
import { parseBasketHeader } from './basket.js';
import { openRootFile } from './reader.js';
import type { BranchInfo } from './metadata.js';
import { FileSource } from './source.js';
import { RootReadError } from './errors.js';

export interface BranchDescription {
  readonly name: string;
  readonly rootType: string;
  /** Our column type, or null with `unsupported` saying why. */
  readonly type: ColumnType | null;
  readonly unsupported?: string;
  /**
   * Set for a split object's own branch (e.g. `ss.` of class RQ::SingleScatters): it holds
   * no data of its own (type null), its members are branches of their own, these.
   */
  readonly splitMembers?: readonly string[];
  /**
   * What went wrong describing this branch (its basket list or a basket key cannot be
   * read); the counts then cover the baskets read before it. The rest of the file is
   * still described.
   */
  readonly problem?: string;
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

/** Offset of fKeylen in a TKey (after fNbytes, fVersion, fObjlen, fDatime), and the key's fixed part. */
const KEYLEN_AT = 14;
const KEY_FIXED = 18;

/** The whole key of the basket at `seek` (its length read first: names make keys long). */
function basketKey(source: FileSource, seek: number, bytes: number, place: { file: string; branch: string }): ReturnType<typeof parseBasketHeader> {
  const fixed = source.read(seek, Math.min(bytes, KEY_FIXED));
  const keylen = fixed.length >= KEY_FIXED ? new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength).getInt16(KEYLEN_AT) : fixed.length;
  const key = keylen > fixed.length && keylen <= bytes ? source.read(seek, keylen) : fixed;
  return parseBasketHeader(key, place);
}

function describeBranch(source: FileSource, b: BranchInfo): BranchDescription {
  let compressed = 0;
  let uncompressed = 0;
  let inMemory = 0;
  let count = 0;
  let compression: (CompressionName | 'none')[] = [];
  let problem: string | undefined;
  let at = 'its basket list';
  try {
    const baskets = b.baskets;
    count = baskets.length;
    for (let i = 0; i < baskets.length; i++) {
      const k = baskets[i]!;
      if (k.inMemory) {
        inMemory++;
        uncompressed += k.inMemory.data.length;
        continue;
      }
      at = `basket ${i} at byte ${k.seek}`;
      // only the key is read (small); the first basket's block headers too
      const h = basketKey(source, k.seek, k.bytes, { file: source.path, branch: b.name });
      compressed += k.bytes;
      uncompressed += h.keylen + h.objlen;
      if (i === 0) {
        if (h.nbytes - h.keylen === h.objlen) compression = ['none'];
        else {
          const full = source.read(k.seek + h.keylen, h.nbytes - h.keylen);
          compression = [...new Set(listBlocks(full).map((x) => x.algorithm))];
        }
      }
    }
  } catch (e) {
    // one bad branch is reported as such; the rest of the file is still described
    problem = `${at}: ${e instanceof RootReadError ? e.detail : (e as Error).message}`;
  }
  const base = {
    name: b.name,
    rootType: b.rootType,
    entries: b.entries,
    baskets: count,
    inMemoryBaskets: inMemory,
    compressedBytes: compressed,
    uncompressedBytes: uncompressed,
    compression,
    ...(b.subBranches.length > 0 ? { splitMembers: b.subBranches } : {}),
    ...(problem !== undefined ? { problem } : {}),
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
