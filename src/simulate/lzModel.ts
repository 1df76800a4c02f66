// The LZ event model on disk: which trees, branches and C++ classes an
// LZ-like SS skim has, in two layouts of the same data, and the per-cluster
// columns (TypedArrays) the generators fill.

import type { BranchSpec, ColumnChunk, ColumnType, MemberSpec, TreeSpec } from '../root/write/types.js';
import type { EventColumns } from '../selection/types.js';
import { SCATTERS_TREE, toEventColumns, TRUTH_TREE } from '../analysis/lzColumns.js';
import type { Layout } from './defaults.js';

export { LAYOUTS, type Layout } from './defaults.js';

/** Truth vertices per event are 0..MAX_VERTICES (the vertex arrays are sized for it). */
export const MAX_VERTICES = 10;

/** How a detector volume shows up in the TPC's light and charge signals. */
export interface VolumeInfo {
  readonly name: string;
  /** Probability that a vertex here gives detected S1 photons (> 0). */
  readonly s1Prob: number;
  /** Probability that a vertex here gives detected S2 photons (> 0). */
  readonly s2Prob: number;
  /** Whether its energy reaches the SS event's S1 / S2 (active xenon regions). */
  readonly inS1: boolean;
  readonly inS2: boolean;
}

/**
 * LZ-like volume names (BACCARAT style). Skin and outer-detector scintillator
 * volumes are skipped by the selection; `GdLSVolume` is scintillator too but
 * its name contains neither "Skin" nor "Scint", so the selection counts it.
 */
export const VOLUMES: readonly VolumeInfo[] = [
  { name: 'LiquidXenonTarget', s1Prob: 0.97, s2Prob: 0.95, inS1: true, inS2: true },
  { name: 'ReverseFieldRegion', s1Prob: 0.9, s2Prob: 0, inS1: true, inS2: false },
  { name: 'GaseousXenon', s1Prob: 0.6, s2Prob: 0.3, inS1: true, inS2: false },
  { name: 'SideSkinXenon', s1Prob: 0.7, s2Prob: 0, inS1: false, inS2: false },
  { name: 'BottomSkinXenon', s1Prob: 0.6, s2Prob: 0, inS1: false, inS2: false },
  { name: 'LiquidSkinXenonBank', s1Prob: 0.5, s2Prob: 0, inS1: false, inS2: false },
  { name: 'ScintillatorCenter', s1Prob: 0.2, s2Prob: 0, inS1: false, inS2: false },
  { name: 'ScintillatorTankSide', s1Prob: 0.1, s2Prob: 0, inS1: false, inS2: false },
  { name: 'GdLSVolume', s1Prob: 0.05, s2Prob: 0, inS1: false, inS2: false },
  { name: 'InnerTitaniumVessel', s1Prob: 0, s2Prob: 0, inS1: false, inS2: false },
  { name: 'PTFEWalls', s1Prob: 0, s2Prob: 0, inS1: false, inS2: false },
  { name: 'BottomPMTHolder', s1Prob: 0, s2Prob: 0, inS1: false, inS2: false },
];
export const VOLUME_NAMES: readonly string[] = VOLUMES.map((v) => v.name);

export function volumeIndex(name: string): number {
  const i = VOLUME_NAMES.indexOf(name);
  if (i < 0) throw new RangeError(`unknown LZ volume name ${name}`);
  return i;
}

/** One cluster's worth of every column, preallocated for `capacity` events. */
export interface LzColumns {
  entries: number;
  readonly capacity: number;
  // Scatters / ss (RQ::SingleScatters)
  readonly nSingleScatters: Int32Array;
  readonly s1PulseID: Int32Array;
  readonly s2PulseID: Int32Array;
  readonly driftTime_ns: Float32Array;
  readonly s1Area_phd: Float32Array;
  readonly s2Area_phd: Float32Array;
  readonly correctedS1Area_phd: Float32Array;
  readonly correctedS2Area_phd: Float32Array;
  readonly x_cm: Float32Array;
  readonly y_cm: Float32Array;
  readonly x_raw_cm: Float32Array;
  readonly y_raw_cm: Float32Array;
  // RQMCTruth / mcTruthVertices (RQ::RQMCTruthVertices): CSR over vertices
  readonly nRQMCTruthVertices: Int32Array;
  readonly vertexOffsets: Int32Array;
  readonly volumeIndex: Uint32Array;
  readonly detectedS1Photons: Int32Array;
  readonly detectedS2Photons: Int32Array;
  readonly energyDep_keV: Float32Array;
  // RQMCTruth / mcTruthEvent (RQ::RQMCTruthEvent)
  readonly eventID: Int32Array;
  readonly eventWeight: Float64Array;
  readonly parentParticle: Uint32Array;
  readonly parentVolume: Uint32Array;
  /** Dictionaries of the two string members (fixed per file). */
  parentParticleNames: readonly string[];
  parentVolumeNames: readonly string[];
}

export function allocateColumns(capacity: number): LzColumns {
  const f = () => new Float32Array(capacity);
  const i = () => new Int32Array(capacity);
  const v = capacity * MAX_VERTICES;
  return {
    entries: 0,
    capacity,
    nSingleScatters: i(),
    s1PulseID: i(),
    s2PulseID: i(),
    driftTime_ns: f(),
    s1Area_phd: f(),
    s2Area_phd: f(),
    correctedS1Area_phd: f(),
    correctedS2Area_phd: f(),
    x_cm: f(),
    y_cm: f(),
    x_raw_cm: f(),
    y_raw_cm: f(),
    nRQMCTruthVertices: i(),
    vertexOffsets: new Int32Array(capacity + 1),
    volumeIndex: new Uint32Array(v),
    detectedS1Photons: new Int32Array(v),
    detectedS2Photons: new Int32Array(v),
    energyDep_keV: new Float32Array(v),
    eventID: i(),
    eventWeight: new Float64Array(capacity),
    parentParticle: new Uint32Array(capacity),
    parentVolume: new Uint32Array(capacity),
    parentParticleNames: [],
    parentVolumeNames: [],
  };
}

const f32: ColumnType = { kind: 'scalar', type: 'float32' };
const i32: ColumnType = { kind: 'scalar', type: 'int32' };

/** A member of an RQ class and how to cut its chunk out of the cluster's columns. */
interface Member extends MemberSpec {
  chunk(c: LzColumns): ColumnChunk;
}

function scalar(name: string, type: ColumnType, pick: (c: LzColumns) => Float32Array | Int32Array | Float64Array, title?: string): Member {
  return { name, type, ...(title ? { title } : {}), chunk: (c) => ({ kind: 'scalar', values: pick(c).subarray(0, c.entries) }) };
}

function vertexVector(name: string, type: 'int32' | 'float32', pick: (c: LzColumns) => Int32Array | Float32Array): Member {
  return {
    name,
    type: { kind: 'vector', type },
    chunk: (c) => ({
      kind: 'vector',
      offsets: c.vertexOffsets.subarray(0, c.entries + 1),
      values: pick(c).subarray(0, c.vertexOffsets[c.entries]!),
    }),
  };
}

const SS_MEMBERS: readonly Member[] = [
  scalar('nSingleScatters', i32, (c) => c.nSingleScatters),
  scalar('s1PulseID', i32, (c) => c.s1PulseID),
  scalar('s2PulseID', i32, (c) => c.s2PulseID),
  scalar('driftTime_ns', f32, (c) => c.driftTime_ns, 'S1-S2 time (ns)'),
  scalar('s1Area_phd', f32, (c) => c.s1Area_phd),
  scalar('s2Area_phd', f32, (c) => c.s2Area_phd),
  scalar('correctedS1Area_phd', f32, (c) => c.correctedS1Area_phd),
  scalar('correctedS2Area_phd', f32, (c) => c.correctedS2Area_phd),
  scalar('x_cm', f32, (c) => c.x_cm),
  scalar('y_cm', f32, (c) => c.y_cm),
  scalar('x_raw_cm', f32, (c) => c.x_raw_cm),
  scalar('y_raw_cm', f32, (c) => c.y_raw_cm),
];

const VERTEX_MEMBERS: readonly Member[] = [
  scalar('nRQMCTruthVertices', i32, (c) => c.nRQMCTruthVertices),
  {
    name: 'volumeName',
    type: { kind: 'vectorString' },
    chunk: (c) => ({
      kind: 'vectorString',
      offsets: c.vertexOffsets.subarray(0, c.entries + 1),
      indices: c.volumeIndex.subarray(0, c.vertexOffsets[c.entries]!),
      dictionary: VOLUME_NAMES,
    }),
  },
  vertexVector('detectedS1Photons', 'int32', (c) => c.detectedS1Photons),
  vertexVector('detectedS2Photons', 'int32', (c) => c.detectedS2Photons),
  vertexVector('energyDep_keV', 'float32', (c) => c.energyDep_keV),
];

const EVENT_MEMBERS: readonly Member[] = [
  scalar('eventID', i32, (c) => c.eventID),
  scalar('eventWeight', { kind: 'scalar', type: 'float64' }, (c) => c.eventWeight),
  {
    name: 'parentParticle',
    type: { kind: 'string' },
    chunk: (c) => ({ kind: 'string', indices: c.parentParticle.subarray(0, c.entries), dictionary: c.parentParticleNames }),
  },
  {
    name: 'parentVolume',
    type: { kind: 'string' },
    chunk: (c) => ({ kind: 'string', indices: c.parentVolume.subarray(0, c.entries), dictionary: c.parentVolumeNames }),
  },
];

interface ObjectBranch {
  readonly name: string;
  readonly className: string;
  readonly members: readonly Member[];
}

interface TreeModel {
  readonly name: string;
  readonly title: string;
  readonly objects: readonly ObjectBranch[];
}

export { SCATTERS_TREE, TRUTH_TREE };

const TREES: readonly TreeModel[] = [
  {
    name: SCATTERS_TREE,
    title: 'Single-scatter RQs',
    objects: [{ name: 'ss', className: 'RQ::SingleScatters', members: SS_MEMBERS }],
  },
  {
    name: TRUTH_TREE,
    title: 'MC truth RQs',
    objects: [
      { name: 'mcTruthVertices', className: 'RQ::RQMCTruthVertices', members: VERTEX_MEMBERS },
      { name: 'mcTruthEvent', className: 'RQ::RQMCTruthEvent', members: EVENT_MEMBERS },
    ],
  },
];

/** Version written into the streamer info of each RQ class. */
const RQ_CLASS_VERSION = 1;

function branchSpecs(tree: TreeModel, layout: Layout): BranchSpec[] {
  if (layout === 'split') {
    return tree.objects.map((o) => ({
      kind: 'object',
      name: o.name,
      className: o.className,
      classVersion: RQ_CLASS_VERSION,
      members: o.members.map(({ name, type, title }) => ({ name, type, ...(title ? { title } : {}) })),
    }));
  }
  return tree.objects.flatMap((o) =>
    o.members.map((m): BranchSpec => ({ kind: 'leaf', name: `${o.name}.${m.name}`, type: m.type, ...(m.title ? { title: m.title } : {}) })),
  );
}

/** The trees of an LZ-like file, in write order. */
export function treeSpecs(layout: Layout): TreeSpec[] {
  return TREES.map((t) => ({ name: t.name, title: t.title, branches: branchSpecs(t, layout) }));
}

/** Every full branch name (`ss.x_cm`, ...) per tree, the same in both layouts. */
export function branchNames(): Map<string, string[]> {
  return new Map(TREES.map((t) => [t.name, t.objects.flatMap((o) => o.members.map((m) => `${o.name}.${m.name}`))]));
}

/** The chunks of one cluster, per tree, keyed by full branch name. */
export function clusterChunks(c: LzColumns): Map<string, Map<string, ColumnChunk>> {
  return new Map(
    TREES.map((t) => [
      t.name,
      new Map(t.objects.flatMap((o) => o.members.map((m): [string, ColumnChunk] => [`${o.name}.${m.name}`, m.chunk(c)]))),
    ]),
  );
}

/** What the selection reads, from a cluster's chunks (as `clusterChunks` gives them). */
export function eventColumnsOf(c: LzColumns, chunks = clusterChunks(c)): EventColumns {
  return toEventColumns(chunks.get(SCATTERS_TREE)!, chunks.get(TRUTH_TREE)!, c.entries);
}
