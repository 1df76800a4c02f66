// One task of a worker: read an entry range of a file, in cluster-aligned chunks
// (memory bounded by the chunk, not the file), and run the selection on it.

import { clusterRanges, openRootFile, type RootFile } from '../root/read/reader.js';
import type { TreeInfo } from '../root/read/metadata.js';
import { RecyclingMemory } from '../root/read/columnMemory.js';
import { VertexCountError } from '../selection/reference.js';
import { selectCpu } from '../selection/wasmSelect.js';
import { addCounts, zeroCounts, type EventColumns, type SelectionCounts } from '../selection/types.js';
import type { RangeOutcome, RangeTask } from '../run/tasks.js';
import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import { branchesRead, eventBranches, eventWeightOf, toEventColumns, truthReadOptions } from './lzColumns.js';
import { addModel, emptyModel, modelAxes, ModelBinner } from '../model/bin.js';
import type { ModelCounts } from '../model/types.js';
import { decisionBits } from '../model/decisionBits.js';

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

/** A selection's answer for a chunk: its counts and, from a selection that bins (the GPU's), the chunk's model counts. */
export type SelectOutcome = SelectionCounts & { readonly model?: ModelCounts };

/**
 * A selection over columns (a GPU kernel with its float64 fallback). One that gives no
 * model has the chunk binned from the float64 reference's decision bits.
 */
export type SelectFn = (columns: EventColumns) => SelectOutcome | Promise<SelectOutcome>;

/** `events` more are selected; `total`, in the first report: the range's events in all. */
export type RangeProgress = (events: number, total?: number) => void;

/**
 * The task's range under the task's selection. Without `select`, the CPU's (selectCpu),
 * whose kernel also gives each event's decision bits for the model as it counts; another
 * selection's bits are asked of the float64 reference (decisionBits) for the model.
 */
export async function analyseRange(task: RangeTask, select?: SelectFn, reportProgress: RangeProgress = () => {}): Promise<RangeOutcome> {
  const file = await openRootFile(task.path);
  try {
    return await analyseOpened(file, task, select, reportProgress);
  } finally {
    file.close();
  }
}

/** Both trees, entry-aligned, with every branch the selection reads. */
function checkShape(file: RootFile, selection: Selection): { scatters: TreeInfo; truth: TreeInfo } {
  const { trees } = selection;
  const scatters = file.tree(trees.scatters);
  const truth = file.tree(trees.truth);
  if (scatters.entries !== truth.entries) {
    throw new InputShapeError(
      file.path,
      `trees ${trees.scatters} (${scatters.entries} entries) and ${trees.truth} (${truth.entries} entries) must have the same number of entries`,
    );
  }
  for (const [tree, branches] of Object.entries(branchesRead(selection))) {
    for (const b of branches) file.branch(tree, b);
  }
  return { scatters, truth };
}

async function analyseOpened(
  file: RootFile,
  task: RangeTask,
  select: SelectFn | undefined,
  reportProgress: RangeProgress,
): Promise<RangeOutcome> {
  const selection = task.selection;
  const { scatters } = checkShape(file, selection);
  const entries = scatters.entries;
  const start = task.entryStart;
  const stop = task.entryStop ?? entries;
  if (start < 0 || stop > entries || start > stop) {
    throw new InputShapeError(file.path, `entry range ${start}..${stop} is outside the file's ${entries} entries`);
  }
  // Known now, before the first chunk: how many events this task has (a progress bar
  // can then show how far into one big file the run is).
  reportProgress(0, stop - start);
  // A chunk's columns are done with once it is selected: the next chunk, and the next
  // task's chunks, reuse their memory. The second memory holds the next chunk while
  // an asynchronous selection (the GPU's) still reads this one.
  const memories = [idleMemories.pop() ?? new RecyclingMemory(), idleMemories.pop() ?? new RecyclingMemory()] as const;
  try {
    return await analyseChunks(file, scatters, start, stop, memories, select, reportProgress, selection, task.skipModel !== true);
  } finally {
    idleMemories.push(memories[1], memories[0]); // reclaimed by the next task's chunks, the first first
  }
}

/** Column memory of finished tasks: a worker's next task reuses it instead of faulting in new pages. */
const idleMemories: RecyclingMemory[] = [];

/** A chunk whose selection is still running (on the GPU) while the next chunk is read. */
interface PendingSelection {
  readonly counts: Promise<SelectOutcome>;
  readonly columns: EventColumns;
  readonly chunkStart: number;
  readonly events: number;
  readonly memory: RecyclingMemory;
}

/**
 * The counts of entries [start, stop), chunk by chunk. A synchronous selection (the
 * CPU's) runs on each chunk as soon as it is read, in memories[0]. An asynchronous
 * one is started on a chunk and awaited after the next chunk is read, in the other
 * memory, so that the device works while this process decodes.
 */
async function analyseChunks(
  file: RootFile,
  scatters: TreeInfo,
  start: number,
  stop: number,
  memories: readonly [RecyclingMemory, RecyclingMemory],
  select: SelectFn | undefined,
  reportProgress: RangeProgress,
  selection: Selection,
  binModel: boolean,
): Promise<RangeOutcome> {
  const entries = scatters.entries;
  const { trees, branches } = selection;
  const read = eventBranches(selection);
  const truthOptions = truthReadOptions(selection);
  const model = emptyModel(modelAxes(selection));
  const binner = new ModelBinner(model);
  const counts = zeroCounts();
  let readMs = 0;
  let selectMs = 0;
  // Sampled while a chunk's columns are alive. Not getrusage's maxRSS: on Linux that
  // survives execve, so a worker would report the peak of the process that spawned it.
  let peakRss = process.memoryUsage.rss();
  let pending: PendingSelection | undefined;
  // A chunk of another selection than the CPU's: its model counts as it gives them, or
  // binned from the reference's bits (its columns stay alive until it is settled).
  const settle = async (chunkStart: number, events: number, counted: SelectOutcome | Promise<SelectOutcome>, columns: EventColumns) => {
    try {
      const outcome = await counted;
      addCounts(counts, outcome);
      if (binModel && select) {
        if (outcome.model) addModel(model, outcome.model, `${file.path}, entries ${chunkStart}..${chunkStart + events}`);
        else {
          const bits = bitsFor(events);
          decisionBits(columns, bits, selection);
          binner.add(bits, columns.correctedS1Area_phd, columns.correctedS2Area_phd, events);
        }
      }
    } catch (err) {
      throw asInputError(err, file.path, chunkStart, selection);
    }
    reportProgress(events);
  };
  const settlePending = async () => {
    const p = pending;
    pending = undefined;
    if (p) await settle(p.chunkStart, p.events, p.counts, p.columns);
  };
  try {
    for (const chunk of chunksOf(scatters, start, stop)) {
      const memory = pending?.memory === memories[0] ? memories[1] : memories[0];
      memory.reclaimAll();
      const t0 = performance.now();
      const s = await file.readColumns(trees.scatters, read.scatters, chunk.start, chunk.stop, memory);
      // Reading does not return to the event loop, where a device's completions are
      // noticed (Dawn polls from it): one turn here, and the pending selection is
      // usually done by the time it is awaited.
      if (pending) await new Promise((resolve) => setImmediate(resolve));
      const t = await file.readColumns(trees.truth, read.truth, chunk.start, chunk.stop, memory, truthOptions);
      const n = chunk.stop - chunk.start;
      const columns = toEventColumns(s, t, n, memory, selection);
      const t1 = performance.now();
      readMs += t1 - t0;
      await settlePending();
      let counted: SelectOutcome | Promise<SelectOutcome>;
      try {
        if (select) counted = select(columns);
        else {
          // The CPU kernel gives each event's decision bits as it counts: binned at once.
          const bits = binModel ? bitsFor(n) : undefined;
          counted = selectCpu(columns, selection, bits);
          if (bits) binner.add(bits, columns.correctedS1Area_phd, columns.correctedS2Area_phd, n);
        }
      } catch (err) {
        throw asInputError(err, file.path, chunk.start, selection);
      }
      if (counted instanceof Promise) {
        counted.catch(() => undefined); // awaited after the next read; until then not "unhandled"
        pending = { counts: counted, columns, chunkStart: chunk.start, events: n, memory };
      } else {
        await settle(chunk.start, n, counted, columns);
      }
      selectMs += performance.now() - t1;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
    const t1 = performance.now();
    await settlePending();
    selectMs += performance.now() - t1;
  } finally {
    // On an error, let a selection still running finish before its memory is reused.
    if (pending) await pending.counts.catch(() => undefined);
  }
  let eventWeight: number | null = null;
  if (start === 0 && entries > 0) {
    eventWeight = eventWeightOf(await file.readColumns(trees.truth, [branches.eventWeight], 0, 1), selection);
  }
  return {
    fileEntries: entries,
    entryStart: start,
    entryStop: stop,
    counts,
    model,
    eventWeight,
    readMs,
    selectMs,
    workerPeakRssBytes: peakRss,
  };
}

/** Decision bits of a chunk, reused from chunk to chunk (grown when a chunk is larger). */
let bitsScratch = new Uint8Array(0);

function bitsFor(n: number): Uint8Array {
  if (bitsScratch.length < n) bitsScratch = new Uint8Array(n);
  return bitsScratch.subarray(0, n);
}

/**
 * A VertexCountError of the selection, as the input error it is: its entry made
 * absolute, the vector named by the selection's branch (the reference names the
 * default's).
 */
function asInputError(err: unknown, path: string, chunkStart: number, selection: Selection): unknown {
  if (!(err instanceof VertexCountError)) return err;
  const { branches, trees } = selection;
  const role = (Object.keys(DEFAULT_SELECTION.branches) as (keyof Selection['branches'])[]).find((r) => DEFAULT_SELECTION.branches[r] === err.column);
  const column = role ? branches[role] : err.column;
  return new InputShapeError(
    path,
    `tree ${trees.truth}, entry ${chunkStart + err.entry}: nRQMCTruthVertices is ${err.vertexCount} but ${column} has only ${err.length} element(s)`,
  );
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
