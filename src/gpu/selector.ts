// The GPU selection of a batch of events: chunks that fit the kernel, the
// float64 reference for every event the kernel flags (and for any chunk it
// cannot take), counts summed in the order the reference would meet them.

import { countDecision, decideEvent, selectReference } from '../selection/reference.js';
import { addCounts, zeroCounts, type EventColumns, type SelectionCounts } from '../selection/types.js';
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

export interface GpuSelectorOptions extends KernelSizeOptions {
  /** Backends to try, in order (default: defaultBackends()). */
  backends?: BackendName[];
  /** false: a software adapter (llvmpipe, SwiftShader, WARP: adapterKind.ts) is passed over, as `--backend auto` wants; default true. */
  allowSoftware?: boolean;
  /** For tests only: alters every readback of the kernel (e.g. to prove the self-test catches it). */
  tamper?: (words: Uint32Array) => void;
}

export interface GpuSelector {
  readonly adapterInfo: AdapterSummary;
  readonly limits: RelevantLimits;
  readonly sizes: KernelSizes;
  readonly selfTest: SelfTestResult;
  select(columns: EventColumns): Promise<GpuSelectStats & SelectionCounts>;
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
      selector = new Selector(handle, kernel);
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
  ) {
    this.adapterInfo = handle.adapter;
    this.limits = handle.limits;
    this.sizes = kernel.sizes;
  }

  select(columns: EventColumns): Promise<GpuSelectStats & SelectionCounts> {
    // One chunk at a time on the shared buffers, whatever the caller awaits. When
    // idle, the host's part (packing, upload, submit) runs now, within this call, so
    // that the caller's own work overlaps the device's, not the host's.
    const run = this.inFlight === 0 ? this.selectNow(columns) : this.busy.then(() => this.selectNow(columns));
    this.inFlight++;
    const done = run.finally(() => this.inFlight--);
    this.busy = done.catch(() => undefined);
    return done;
  }

  private async selectNow(c: EventColumns): Promise<GpuSelectStats & SelectionCounts> {
    if (this.closed) throw new GpuDeviceError(adapterLabel(this.adapterInfo), 'the selector is closed');
    const stats: GpuSelectStats = { chunks: 0, gpuEvents: 0, flaggedEvents: 0, cpuChunks: 0, cpuChunkEvents: 0, kernelMs: 0, hostMs: 0 };
    const counts = zeroCounts();
    const entries = c.entries;
    const layout = SCALAR_COLUMNS.every((k) => c[k].length >= entries) ? vertexLayout(c) : undefined;
    if (!layout) {
      // Malformed columns: the reference decides (and reports) everything.
      addCounts(counts, selectReference(c));
      stats.cpuChunks = 1;
      stats.cpuChunkEvents = entries;
      return { ...counts, ...stats };
    }
    counts.nSS = entries;
    const { maxEvents, maxVertices, flagCapacity } = this.sizes;
    const offsets = layout.offsets;
    let start = 0;
    while (start < entries) {
      let stop = Math.min(entries, start + maxEvents);
      if (offsets[stop]! - offsets[start]! > maxVertices) stop = lastStopWithin(offsets, start, stop, maxVertices);
      if (stop === start) {
        // One event with more vertices than a dispatch holds.
        countDecision(counts, decideEvent(c, start));
        stats.cpuChunks++;
        stats.cpuChunkEvents++;
        start++;
        continue;
      }
      const hostBegan = performance.now();
      const chunk = this.packer.pack(c, layout, start, stop);
      if (chunk.hostFlagged > flagCapacity) {
        stats.hostMs += performance.now() - hostBegan;
        this.reference(c, start, stop, counts, stats);
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
        this.reference(c, start, stop, counts, stats);
      } else {
        const flagged = checkedFlags(result.flagged, stop - start, adapterLabel(this.adapterInfo));
        const [fv, fvRoi, mssi, mssiFv, mssiFvRoi] = result.counts;
        counts.nSSFV += fv;
        counts.nSSFVROI += fvRoi;
        counts.nMSSI += mssi;
        counts.nMSSIFV += mssiFv;
        counts.nMSSIFVROI += mssiFvRoi;
        // In entry order, so that a VertexCountError names the entry the reference would.
        for (const i of flagged) countDecision(counts, decideEvent(c, start + i));
        stats.flaggedEvents += flagged.length;
        stats.gpuEvents += stop - start - flagged.length;
      }
      start = stop;
    }
    return { ...counts, ...stats };
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

  private reference(c: EventColumns, start: number, stop: number, counts: SelectionCounts, stats: GpuSelectStats): void {
    const ref = selectReference(c, start, stop);
    ref.nSS = 0;
    addCounts(counts, ref);
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
