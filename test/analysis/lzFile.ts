// Writes small LZ-shaped files with chosen branch types and contents, for the
// analysis edge cases: flat layout, so every branch's type can be picked freely.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RootFileWriter, type BranchSpec, type ColumnChunk, type ColumnType } from '../../src/root/write/index.js';

export interface BranchData {
  readonly type: ColumnType;
  readonly chunk: ColumnChunk;
}

export interface TreeData {
  readonly entries: number;
  readonly branches: Record<string, BranchData>;
}

const f32 = { kind: 'scalar', type: 'float32' } as const;

/** A valid two-event LZ file's branches; override or delete entries to break it. */
export function lzBranches(): { Scatters: TreeData; RQMCTruth: TreeData } {
  const scalar = (values: number[]): BranchData => ({ type: f32, chunk: { kind: 'scalar', values: Float32Array.from(values) } });
  return {
    Scatters: {
      entries: 2,
      branches: {
        'ss.x_cm': scalar([10, 80]),
        'ss.y_cm': scalar([0, 0]),
        'ss.driftTime_ns': scalar([500_000, 500_000]),
        'ss.s1Area_phd': scalar([60, 60]),
        'ss.s2Area_phd': scalar([2000, 2000]),
        'ss.correctedS1Area_phd': scalar([50, 50]),
        'ss.correctedS2Area_phd': scalar([5000, 5000]),
      },
    },
    RQMCTruth: {
      entries: 2,
      branches: {
        'mcTruthVertices.nRQMCTruthVertices': { type: { kind: 'scalar', type: 'int32' }, chunk: { kind: 'scalar', values: Int32Array.from([2, 1]) } },
        'mcTruthVertices.volumeName': {
          type: { kind: 'vectorString' },
          chunk: { kind: 'vectorString', offsets: Int32Array.from([0, 2, 3]), indices: Uint32Array.from([0, 1, 0]), dictionary: ['LiquidXenonTarget', 'SideSkinXenon'] },
        },
        'mcTruthVertices.detectedS1Photons': {
          type: { kind: 'vector', type: 'int32' },
          chunk: { kind: 'vector', offsets: Int32Array.from([0, 2, 3]), values: Int32Array.from([5, 9, 3]) },
        },
        'mcTruthVertices.detectedS2Photons': {
          type: { kind: 'vector', type: 'int32' },
          chunk: { kind: 'vector', offsets: Int32Array.from([0, 2, 3]), values: Int32Array.from([0, 0, 0]) },
        },
        'mcTruthEvent.eventWeight': { type: { kind: 'scalar', type: 'float64' }, chunk: { kind: 'scalar', values: Float64Array.from([0.125, 0.125]) } },
      },
    },
  };
}

/** Writes the trees (flat layout) to a new file named `name` in a temporary folder. */
export function writeLzFile(name: string, trees: Record<string, TreeData>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mssi-lzfile-')), name);
  const writer = RootFileWriter.open(path, {
    compression: { algorithm: 'zlib', level: 1 },
    basketSize: 4096,
    datime: new Date(Date.UTC(2025, 3, 1)),
    uuid: new Uint8Array(16),
  });
  try {
    for (const [treeName, tree] of Object.entries(trees)) {
      const specs: BranchSpec[] = Object.entries(tree.branches).map(([branch, d]) => ({ kind: 'leaf', name: branch, type: d.type }));
      const w = writer.tree({ name: treeName, title: treeName, branches: specs });
      if (tree.entries > 0) {
        w.writeCluster(tree.entries, new Map(Object.entries(tree.branches).map(([b, d]) => [b, d.chunk])));
      }
    }
    writer.close();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return path;
}

/** The same branches with no entries. */
export function emptyTree(tree: TreeData): TreeData {
  const empty = (d: BranchData): BranchData => {
    const c = d.chunk;
    const chunk =
      c.kind === 'scalar'
        ? { ...c, values: c.values.subarray(0, 0) }
        : c.kind === 'vector'
          ? { ...c, offsets: Int32Array.from([0]), values: c.values.subarray(0, 0) }
          : c.kind === 'vectorString'
            ? { ...c, offsets: Int32Array.from([0]), indices: new Uint32Array(0) }
            : c;
    return { type: d.type, chunk };
  };
  return { entries: 0, branches: Object.fromEntries(Object.entries(tree.branches).map(([k, v]) => [k, empty(v)])) };
}
