// The GPU selection of a batch of events under a Selection: chunks that fit the
// kernel, the float64 path (float64.ts) for every event the kernel flags (near a
// cut or a bin edge) and for any chunk it cannot take, counts and model cells
// summed in the order the reference would meet them.

import type { ModelCounts } from '../model/types.js';
import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import { zeroCounts, type EventColumns, type SelectionCounts } from '../selection/types.js';
import { addEvent64, select64, zeroModel } from './float64.js';
import { thresholdsFor, type GpuThresholds } from './thresholds.js';
import { acquireDevice, adapterLabel, defaultBackends, type AdapterSummary, type BackendName, type DeviceHandle, type RelevantLimits } from './device.js';
import { GpuPackageMissingError } from './env.js';
import { GpuDeviceError, GpuSelfTestError, GpuUnavailableError, type GpuAttempt } from './errors.js';
import { kernelSizes, SelectionKernel, type KernelSizeOptions, type KernelSizes } from './kernel.js';
import { ChunkPacker, vertexLayout } from './pack.js';
import { runSelfTest, type SelfTestResult } from './selfTest.js';

export interface GpuSelectStats {
  /** Kernel dispatches. */
  chunks: number;
  /** Events decided by the kernel. */
  gpuEvents: number;
  /** Events the kernel (or the packer) flagged, decided in float64. */
  flaggedEvents: number;
  /** Chunks run entirely in float64 (flag list overflow, malformed vertex columns, huge events). */
  cpuChunks: number;
  /** Events in those chunks. */
  cpuChunkEvents: number;
  /** Submit-to-readback time of the kernel, ms. */
  kernelMs: number;
  /** Host packing and upload, ms. */
  hostMs: number;
}

/** What select() gives: the six counts, the model's cells, and how they were reached. */
export type GpuSelection = GpuSelectStats & SelectionCounts & { readonly model: ModelCounts };

export interface GpuSelectorOptions extends KernelSizeOptions {
  /** The selection select() runs when given none (default: DEFAULT_SELECTION). */
  selection?: Selection;
  /** Backends to try, in order (default: defaultBackends()). */
  backends?: BackendName[];
  /** false: a software adapter (llvmpipe, SwiftShader, WARP: adapterKind.ts) is passed over, as `--backend auto` wants; default true. */
  allowSoftware?: boolean;
  /** For tests only: alters every readback of the kernel (e.g. to prove the self-test catches it). */
  tamper?: (words: Uint32Array, cells: Uint32Array) => void;
}

export interface GpuSelector {
  readonly adapterInfo: AdapterSummary;
  readonly limits: RelevantLimits;
  readonly sizes: KernelSizes;
  readonly selfTest: SelfTestResult;
  /** The selection select() runs when given none. */
  readonly selection: Selection;
  /** Counts and model of `columns` under `selection` (default: the selector's), equal to float64's. */
  select(columns: EventColumns, selection?: Selection): Promise<GpuSelection>;
  /** Smaller chunks or flag lists than the device allows, from the next select() on. */
  resize(wish: KernelSizeOptions): void;
  /** Releases the device; the selector cannot be used afterwards. */
  close(): void;
}

/** The first backend whose device passes the self-test; GpuUnavailableError says what each gave. */
export async function openGpuSelector(options: GpuSelectorOptions = {}): Promise<GpuSelector> {
  const attempts: GpuAttempt[] = [];
  const backends = options.backends ?? defaultBackends();
  for (const backend of backends) {
    let handle: DeviceHandle;
    try {
      handle = await acquireDevice(backend);
    } catch (err) {
      if (err instanceof GpuPackageMissingError) throw err;
      attempts.push({ backend, outcome: (err as Error).message });
      continue;
    }
    const label = adapterLabel(handle.adapter);
    if (options.allowSoftware === false && handle.adapter.kind.kind === 'software') {
      handle.device.destroy();
      attempts.push({ backend, outcome: `${label}: a software adapter, a CPU driver (${handle.adapter.kind.why})`, software: true });
      continue;
    }
    let selector: Selector | undefined;
    try {
      const kernel = await SelectionKernel.create(handle.device, label, kernelSizes(handle.device.limits));
      kernel.tamper = options.tamper;
      selector = new Selector(handle, kernel, options.selection ?? DEFAULT_SELECTION);
      // At the full sizes (a caller's tiny test sizes would send the self-test's events to the CPU).
      const result = await runSelfTest(selector);
      if (!result.passed) throw new GpuSelfTestError(label, result.detail ?? 'failed');
      selector.selfTest = result;
      selector.resize(options);
      return selector;
    } catch (err) {
      selector?.close();
      if (!selector) handle.device.destroy();
      const known = err instanceof GpuDeviceError || err instanceof GpuSelfTestError;
      attempts.push({ backend, outcome: known ? (err as Error).message : `${label}: ${(err as Error).message}` });
    }
  }
  throw new GpuUnavailableError(attempts, backends.length === 0 ? 'no backend to try' : undefined);
}

const SCALAR_COLUMNS = [
  'x_cm',
  'y_cm',
  'driftTime_ns',
  's2Area_phd',
  'correctedS1Area_phd',
  'correctedS2Area_phd',
  'nRQMCTruthVertices',
] as const;

class Selector implements GpuSelector {
  readonly adapterInfo: AdapterSummary;
  readonly limits: RelevantLimits;
  sizes: KernelSizes;
  selfTest: SelfTestResult = { passed: false, events: 0, flagged: 0, ms: 0, detail: 'not run' };
  private readonly packer = new ChunkPacker();
  private closed = false;
  private busy: Promise<unknown> = Promise.resolve();
  /** Calls of select() not yet settled. */
  private inFlight = 0;

  constructor(
    private handle: DeviceHandle,
    private readonly kernel: SelectionKernel,
    readonly selection: Selection,
  ) {
    this.adapterInfo = handle.adapter;
    this.limits = handle.limits;
    this.sizes = kernel.sizes;
  }

  select(columns: EventColumns, selection: Selection = this.selection): Promise<GpuSelection> {
    // One chunk at a time on the shared buffers, whatever the caller awaits. When
    // idle, the host's part (packing, upload, submit) runs now, within this call, so
    // that the caller's own work overlaps the device's, not the host's.
    const run = this.inFlight === 0 ? this.selectNow(columns, selection) : this.busy.then(() => this.selectNow(columns, selection));
    this.inFlight++;
    const done = run.finally(() => this.inFlight--);
    this.busy = done.catch(() => undefined);
    return done;
  }

  private async selectNow(c: EventColumns, sel: Selection): Promise<GpuSelection> {
    if (this.closed) throw new GpuDeviceError(adapterLabel(this.adapterInfo), 'the selector is closed');
    const stats: GpuSelectStats = { chunks: 0, gpuEvents: 0, flaggedEvents: 0, cpuChunks: 0, cpuChunkEvents: 0, kernelMs: 0, hostMs: 0 };
    const counts = zeroCounts();
    const model = zeroModel(sel);
    const entries = c.entries;
    const layout = SCALAR_COLUMNS.every((k) => c[k].length >= entries) ? vertexLayout(c) : undefined;
    if (!layout) {
      // Malformed columns: the float64 path decides (and reports) everything.
      select64(c, sel, 0, entries, counts, model);
      stats.cpuChunks = 1;
      stats.cpuChunkEvents = entries;
      return { ...counts, ...stats, model };
    }
    const thresholds = thresholdsFor(sel);
    this.kernel.setThresholds(thresholds);
    counts.nSS = entries;
    const { maxEvents, maxVertices, flagCapacity } = this.sizes;
    const offsets = layout.offsets;
    let start = 0;
    while (start < entries) {
      let stop = Math.min(entries, start + maxEvents);
      if (offsets[stop]! - offsets[start]! > maxVertices) stop = lastStopWithin(offsets, start, stop, maxVertices);
      if (stop === start) {
        // One event with more vertices than a dispatch holds.
        addEvent64(c, start, sel, counts, model);
        stats.cpuChunks++;
        stats.cpuChunkEvents++;
        start++;
        continue;
      }
      const hostBegan = performance.now();
      const chunk = this.packer.pack(c, layout, start, stop);
      if (chunk.hostFlagged > flagCapacity) {
        stats.hostMs += performance.now() - hostBegan;
        this.reference(c, sel, start, stop, counts, model, stats);
        start = stop;
        continue;
      }
      this.kernel.upload(chunk, flagCapacity);
      stats.hostMs += performance.now() - hostBegan;
      this.checkAlive();
      const result = await this.kernel.run();
      this.checkAlive();
      stats.kernelMs += result.ms;
      stats.chunks++;
      if (result.flagged === null) {
        this.reference(c, sel, start, stop, counts, model, stats);
      } else {
        const flagged = checkedFlags(result.flagged, stop - start, adapterLabel(this.adapterInfo));
        const [fv, fvRoi, mssi, mssiFv, mssiFvRoi] = result.counts;
        counts.nSSFV += fv;
        counts.nSSFVROI += fvRoi;
        counts.nMSSI += mssi;
        counts.nMSSIFV += mssiFv;
        counts.nMSSIFVROI += mssiFvRoi;
        addCells(model, result.cells, thresholds);
        // In entry order, so that a VertexCountError names the entry the reference would.
        for (const i of flagged) addEvent64(c, start + i, sel, counts, model);
        stats.flaggedEvents += flagged.length;
        stats.gpuEvents += stop - start - flagged.length;
      }
      start = stop;
    }
    return { ...counts, ...stats, model };
  }

  /** Smaller chunks or flag lists than the device allows (tests force several dispatches and overflows). */
  resize(wish: KernelSizeOptions): void {
    const max = this.kernel.sizes;
    this.sizes = {
      maxEvents: Math.max(1, Math.min(wish.chunkEvents ?? max.maxEvents, max.maxEvents)),
      maxVertices: Math.max(1, Math.min(wish.chunkVertices ?? max.maxVertices, max.maxVertices)),
      flagCapacity: Math.max(0, Math.min(wish.flagCapacity ?? max.flagCapacity, max.flagCapacity)),
    };
  }

  private reference(c: EventColumns, sel: Selection, start: number, stop: number, counts: SelectionCounts, model: ModelCounts, stats: GpuSelectStats): void {
    for (let i = start; i < stop; i++) addEvent64(c, i, sel, counts, model);
    stats.cpuChunks++;
    stats.cpuChunkEvents += stop - start;
  }

  private checkAlive(): void {
    if (this.handle.lostReason) throw new GpuDeviceError(adapterLabel(this.adapterInfo), `device lost (${this.handle.lostReason})`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.kernel.destroy();
    this.handle.device.destroy();
    // Dropping the last reference to Dawn's GPU object lets the process exit.
    this.handle = { ...this.handle, gpu: undefined as unknown as GPU };
  }
}

/** The largest stop in (start, limit] whose vertices fit, by bisection (offsets are non-decreasing). */
function lastStopWithin(offsets: Int32Array, start: number, limit: number, maxVertices: number): number {
  let lo = start;
  let hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (offsets[mid]! - offsets[start]! <= maxVertices) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sorted, in range and unique, or the device is not to be trusted. */
function checkedFlags(flags: Uint32Array, events: number, label: string): Uint32Array {
  flags.sort();
  for (let k = 0; k < flags.length; k++) {
    if (flags[k]! >= events || (k > 0 && flags[k] === flags[k - 1])) {
      throw new GpuDeviceError(label, `the kernel returned an invalid flagged-event list (index ${flags[k]} of ${events} events)`);
    }
  }
  return flags;
}

/** The kernel's cells (SS, MSSI, the two NaN tallies) added into the model; nothing when the host bins. */
function addCells(model: ModelCounts, cells: Uint32Array, t: GpuThresholds): void {
  if (!t.binOnDevice) return;
  const per = model.ss.cells.length;
  const ss = model.ss.cells;
  const mssi = model.mssi.cells;
  for (let i = 0; i < per; i++) {
    ss[i]! += cells[i]!;
    mssi[i]! += cells[per + i]!;
  }
  model.ss.nan += cells[2 * per]!;
  model.mssi.nan += cells[2 * per + 1]!;
}
