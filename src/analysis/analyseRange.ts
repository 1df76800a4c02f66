// One task of a worker: read an entry range of a file, in cluster-aligned chunks
// (memory bounded by the chunk, not the file), and run the selection on it.

import { clusterRanges, openRootFile, type RootFile } from '../root/read/reader.js';
import type { TreeInfo } from '../root/read/metadata.js';
import { RecyclingMemory } from '../root/read/columnMemory.js';
import { VertexCountError } from '../selection/reference.js';
import { selectCpu } from '../selection/wasmSelect.js';
import { addCounts, zeroCounts, type EventColumns, type SelectionCounts } from '../selection/types.js';
import type { RangeOutcome, RangeTask } from '../run/tasks.js';
import {
  BRANCHES_READ,
  EVENT_WEIGHT_BRANCH,
  eventWeightOf,
  SCATTERS_TREE,
  toEventColumns,
  TRUTH_TREE,
} from './lzColumns.js';

/**
 * Entries read and selected at a time (at least one cluster). Small enough that a
 * chunk's baskets and columns (about 10 MB for LZ files) stay mostly in cache between
 * being read, decoded and selected: 65k-entry chunks ran 5-10% faster than 262k ones,
 * with one worker and with two.
 */
export const CHUNK_ENTRIES = 65_536;

export class InputShapeError extends Error {
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'InputShapeError';
  }
}

/** A selection over columns; the CPU reference, or a GPU kernel with its float64 fallback. */
export type SelectFn = (columns: EventColumns) => SelectionCounts | Promise<SelectionCounts>;

export async function analyseRange(
  task: RangeTask,
  select: SelectFn = selectCpu,
  reportProgress: (events: number) => void = () => {},
): Promise<RangeOutcome> {
  const file = await openRootFile(task.path);
  try {
    return await analyseOpened(file, task, select, reportProgress);
  } finally {
    file.close();
  }
}

/** Both trees, entry-aligned, with every branch the selection reads. */
function checkShape(file: RootFile): { scatters: TreeInfo; truth: TreeInfo } {
  const scatters = file.tree(SCATTERS_TREE);
  const truth = file.tree(TRUTH_TREE);
  if (scatters.entries !== truth.entries) {
    throw new InputShapeError(
      file.path,
      `trees ${SCATTERS_TREE} (${scatters.entries} entries) and ${TRUTH_TREE} (${truth.entries} entries) must have the same number of entries`,
    );
  }
  for (const [tree, branches] of Object.entries(BRANCHES_READ)) {
    for (const b of branches) file.branch(tree, b);
  }
  return { scatters, truth };
}

async function analyseOpened(
  file: RootFile,
  task: RangeTask,
  select: SelectFn,
  reportProgress: (events: number) => void,
): Promise<RangeOutcome> {
  const { scatters } = checkShape(file);
  const entries = scatters.entries;
  const start = task.entryStart;
  const stop = task.entryStop ?? entries;
  if (start < 0 || stop > entries || start > stop) {
    throw new InputShapeError(file.path, `entry range ${start}..${stop} is outside the file's ${entries} entries`);
  }
  // A chunk's columns are done with once it is selected: the next chunk, and the next
  // task's chunks, reuse their memory.
  const memory = idleMemories.pop() ?? new RecyclingMemory();
  try {
    return await analyseChunks(file, scatters, start, stop, memory, select, reportProgress);
  } finally {
    idleMemories.push(memory); // reclaimed by the next task's first chunk
  }
}

/** Column memory of finished tasks: a worker's next task reuses it instead of faulting in new pages. */
const idleMemories: RecyclingMemory[] = [];

/** The counts of entries [start, stop), chunk by chunk, each chunk's columns in `memory`. */
async function analyseChunks(
  file: RootFile,
  scatters: TreeInfo,
  start: number,
  stop: number,
  memory: RecyclingMemory,
  select: SelectFn,
  reportProgress: (events: number) => void,
): Promise<RangeOutcome> {
  const entries = scatters.entries;
  const scatterBranches = BRANCHES_READ[SCATTERS_TREE]!;
  const truthBranches = BRANCHES_READ[TRUTH_TREE]!.filter((b) => b !== EVENT_WEIGHT_BRANCH);
  const counts = zeroCounts();
  let readMs = 0;
  let selectMs = 0;
  // Sampled while a chunk's columns are alive. Not getrusage's maxRSS: on Linux that
  // survives execve, so a worker would report the peak of the process that spawned it.
  let peakRss = process.memoryUsage.rss();
  for (const chunk of chunksOf(scatters, start, stop)) {
    memory.reclaimAll();
    const t0 = performance.now();
    const s = await file.readColumns(SCATTERS_TREE, scatterBranches, chunk.start, chunk.stop, memory);
    const t = await file.readColumns(TRUTH_TREE, truthBranches, chunk.start, chunk.stop, memory);
    const n = chunk.stop - chunk.start;
    const columns = toEventColumns(s, t, n, memory);
    const t1 = performance.now();
    try {
      addCounts(counts, await select(columns));
    } catch (err) {
      if (err instanceof VertexCountError) {
        throw new InputShapeError(
          file.path,
          `tree ${TRUTH_TREE}, entry ${chunk.start + err.entry}: nRQMCTruthVertices is ${err.vertexCount} but ${err.column} has only ${err.length} element(s)`,
        );
      }
      throw err;
    }
    readMs += t1 - t0;
    selectMs += performance.now() - t1;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    reportProgress(n);
  }
  let eventWeight: number | null = null;
  if (start === 0 && entries > 0) {
    eventWeight = eventWeightOf(await file.readColumns(TRUTH_TREE, [EVENT_WEIGHT_BRANCH], 0, 1));
  }
  return {
    fileEntries: entries,
    entryStart: start,
    entryStop: stop,
    counts,
    eventWeight,
    readMs,
    selectMs,
    workerPeakRssBytes: peakRss,
  };
}

/** [start, stop) cut at the tree's cluster boundaries into chunks of about CHUNK_ENTRIES. */
function chunksOf(tree: TreeInfo, start: number, stop: number): { start: number; stop: number }[] {
  const out: { start: number; stop: number }[] = [];
  for (const r of clusterRanges(tree, CHUNK_ENTRIES)) {
    const a = Math.max(r.start, start);
    const b = Math.min(r.stop, stop);
    if (a < b) out.push({ start: a, stop: b });
  }
  return out;
}
