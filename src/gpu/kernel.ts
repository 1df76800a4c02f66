// The compute pipeline of kernels/mssi.wgsl and its buffers, allocated once per
// device for the largest chunk the adapter's limits allow and reused by every
// chunk. A selection: setThresholds() (its Cuts uniform, edge keys and histogram
// cells). One chunk: upload(), then run() (dispatch, counts reduced and events
// binned on the device, the flagged-event list and the cells read back).

import { readFile } from 'node:fs/promises';
import { packagePath } from '../packageRoot.js';
import { GpuDeviceError } from './errors.js';
import { BYTES_PER_VERTEX, WORDS_PER_EVENT, type PackedChunk } from './pack.js';
import { CUTS_WORDS, cutsUniform, edgeTable, type GpuThresholds } from './thresholds.js';

// WebGPU's flag values (the spec's numbers; Dawn's globals are not installed on globalThis).
const BUFFER = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_MODE_READ = 0x1;

/** Threads per workgroup; must match WG in the kernel. */
const WORKGROUP = 128;
/** Events per thread; must match PER_THREAD in the kernel. */
const PER_THREAD = 16;
/** Words before the flagged-index list in the output buffer. */
const HEADER_WORDS = 8;
const FLAG_COUNT_WORD = 5;
/** The kernel's Params: events, vertexBase, vertices, flagCapacity, photon kinds, 3 spare. */
const PARAM_WORDS = 8;
/** Photon kinds: which photon column holds int32 rather than float32 bits (as in the kernel). */
const PHOTONS_S1_INT = 1;
const PHOTONS_S2_INT = 2;

export interface KernelSizes {
  /** Events per dispatch. */
  readonly maxEvents: number;
  /** Vertices per dispatch. */
  readonly maxVertices: number;
  /** Flagged events a dispatch can report; more and the chunk goes to the CPU. */
  readonly flagCapacity: number;
}

export interface KernelSizeOptions {
  chunkEvents?: number;
  chunkVertices?: number;
  flagCapacity?: number;
}

/** Buffer sizes that fit the device's limits (and a wish for smaller ones). */
export function kernelSizes(limits: GPUSupportedLimits, wish: KernelSizeOptions = {}): KernelSizes {
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const byBinding = Math.floor((binding / 4 - 1) / WORDS_PER_EVENT);
  const byDispatch = limits.maxComputeWorkgroupsPerDimension * WORKGROUP * PER_THREAD;
  const maxEvents = Math.max(1, Math.min(wish.chunkEvents ?? 1 << 20, byBinding, byDispatch));
  const maxVertices = Math.max(4, Math.min(wish.chunkVertices ?? 1 << 23, Math.floor((binding - 16) / BYTES_PER_VERTEX) & ~3));
  const flagCapacity = Math.max(1, Math.min(wish.flagCapacity ?? 1 << 16, Math.floor(binding / 4) - HEADER_WORDS));
  return { maxEvents, maxVertices, flagCapacity };
}

/** What one dispatch found: the five device-side counts and the flagged events (null: the list overflowed). */
export interface KernelResult {
  /** nSSFV, nSSFVROI, nMSSI, nMSSIFV, nMSSIFVROI over the events the kernel decided. */
  readonly counts: readonly [number, number, number, number, number];
  readonly flagged: Uint32Array | null;
  /**
   * The decided FV ROI events binned: SS cells, MSSI cells (cellsPerHistogram each,
   * ROOT's layout), then the SS and MSSI NaN tallies.
   */
  readonly cells: Uint32Array;
  /** Submit to readback, ms. */
  readonly ms: number;
}

export class SelectionKernel {
  private vertexBuffer: GPUBuffer | undefined;
  private vertexCapacity = 0;
  private bindGroup: GPUBindGroup | undefined;
  private events = 0;
  private readonly params = new Uint32Array(PARAM_WORDS);
  private readonly skipTail = new Uint8Array(4);
  private edgeBuffer: GPUBuffer | undefined;
  private cellBuffer: GPUBuffer | undefined;
  private readBuffer: GPUBuffer | undefined;
  private cellWords = 0;
  private thresholds: GpuThresholds | undefined;
  /** For tests only: alters each readback (counts and flags, cells), to prove the self-test catches a wrong device. */
  tamper: ((words: Uint32Array, cells: Uint32Array) => void) | undefined;

  private constructor(
    private readonly device: GPUDevice,
    private readonly adapterName: string,
    private readonly pipeline: GPUComputePipeline,
    readonly sizes: KernelSizes,
    private readonly paramBuffer: GPUBuffer,
    private readonly eventBuffer: GPUBuffer,
    private readonly outBuffer: GPUBuffer,
    private readonly cutsBuffer: GPUBuffer,
  ) {}

  static async create(device: GPUDevice, adapterName: string, sizes: KernelSizes): Promise<SelectionKernel> {
    const code = await readFile(packagePath('kernels', 'mssi.wgsl'), 'utf8');
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: 'mssi.wgsl', code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      await device.popErrorScope();
      const text = errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
      throw new GpuDeviceError(adapterName, `kernels/mssi.wgsl does not compile: ${text}`);
    }
    const pipeline = await device.createComputePipelineAsync({
      label: 'mssi',
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const outBytes = (HEADER_WORDS + sizes.flagCapacity) * 4;
    const paramBuffer = device.createBuffer({ label: 'mssi params', size: PARAM_WORDS * 4, usage: BUFFER.UNIFORM | BUFFER.COPY_DST });
    const eventBuffer = device.createBuffer({
      label: 'mssi events',
      size: (WORDS_PER_EVENT * sizes.maxEvents + 1) * 4,
      usage: BUFFER.STORAGE | BUFFER.COPY_DST,
    });
    const outBuffer = device.createBuffer({ label: 'mssi out', size: outBytes, usage: BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST });
    const cutsBuffer = device.createBuffer({ label: 'mssi cuts', size: CUTS_WORDS * 4, usage: BUFFER.UNIFORM | BUFFER.COPY_DST });
    const error = await device.popErrorScope();
    if (error) throw new GpuDeviceError(adapterName, `cannot build the kernel: ${error.message}`);
    return new SelectionKernel(device, adapterName, pipeline, sizes, paramBuffer, eventBuffer, outBuffer, cutsBuffer);
  }

  /** The selection the next chunks run: its cut uniform, its edge keys, histogram cells for its binning. */
  setThresholds(t: GpuThresholds): void {
    if (this.thresholds === t) return;
    const { device } = this;
    device.queue.writeBuffer(this.cutsBuffer, 0, cutsUniform(t));
    const edges = edgeTable(t);
    const cellWords = 2 * (t.x.count + 2) * (t.y.count + 2) + 2;
    if (!this.edgeBuffer || this.edgeBuffer.size !== edges.byteLength || cellWords !== this.cellWords) {
      for (const b of [this.edgeBuffer, this.cellBuffer, this.readBuffer]) b?.destroy();
      this.edgeBuffer = device.createBuffer({ label: 'mssi edges', size: edges.byteLength, usage: BUFFER.STORAGE | BUFFER.COPY_DST });
      this.cellBuffer = device.createBuffer({ label: 'mssi cells', size: cellWords * 4, usage: BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST });
      const outBytes = (HEADER_WORDS + this.sizes.flagCapacity) * 4;
      this.readBuffer = device.createBuffer({ label: 'mssi readback', size: outBytes + cellWords * 4, usage: BUFFER.MAP_READ | BUFFER.COPY_DST });
      this.cellWords = cellWords;
      this.bindGroup = undefined;
    }
    device.queue.writeBuffer(this.edgeBuffer, 0, edges);
    this.thresholds = t;
  }

  /** Copies a packed chunk to the device (it must fit kernelSizes). */
  upload(chunk: PackedChunk, flagLimit = this.sizes.flagCapacity): void {
    const { device } = this;
    if (!this.thresholds) throw new GpuDeviceError(this.adapterName, 'no selection set on the kernel');
    if (chunk.events > this.sizes.maxEvents || chunk.vertices > this.sizes.maxVertices) {
      throw new GpuDeviceError(this.adapterName, `chunk of ${chunk.events} events, ${chunk.vertices} vertices exceeds the kernel's sizes`);
    }
    this.reserveVertices(chunk.vertices);
    const q = device.queue;
    let at = 0;
    for (const section of chunk.eventSections) {
      q.writeBuffer(this.eventBuffer, at, section);
      at += section.byteLength;
    }
    const v = this.vertexCapacity;
    if (chunk.vertices > 0) {
      // Sections at the capacity's offsets, so the bind group never changes between chunks.
      q.writeBuffer(this.vertexBuffer!, 0, chunk.s1);
      q.writeBuffer(this.vertexBuffer!, v * 4, chunk.s2);
      // Writes are whole words: the skip bytes' last partial word goes through a padded copy.
      const whole = chunk.vertices & ~3;
      if (whole > 0) q.writeBuffer(this.vertexBuffer!, v * 8, chunk.skip, 0, whole);
      if (whole < chunk.vertices) {
        this.skipTail.fill(0);
        this.skipTail.set(chunk.skip.subarray(whole));
        q.writeBuffer(this.vertexBuffer!, v * 8 + whole, this.skipTail);
      }
    }
    this.params[0] = chunk.events;
    this.params[1] = chunk.vertexBase;
    this.params[2] = v;
    this.params[3] = Math.min(flagLimit, this.sizes.flagCapacity);
    this.params[4] = (chunk.s1 instanceof Int32Array ? PHOTONS_S1_INT : 0) | (chunk.s2 instanceof Int32Array ? PHOTONS_S2_INT : 0);
    q.writeBuffer(this.paramBuffer, 0, this.params);
    this.events = chunk.events;
  }

  /** Runs the kernel on the uploaded chunk (again, if called again: the benchmark does). */
  async run(): Promise<KernelResult> {
    const { device } = this;
    const began = performance.now();
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    device.queue.writeBuffer(this.outBuffer, 0, new Uint32Array(HEADER_WORDS));
    device.queue.submit([this.encode(1)]);
    // Asked for now, not after the error scopes: the readback's roundtrip then runs
    // while the caller reads its next chunk.
    const readBuffer = this.readBuffer!;
    const mapped = readBuffer.mapAsync(MAP_MODE_READ);
    const [oom, invalid] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
    const error = oom ?? invalid;
    if (error) {
      await mapped.then(
        () => readBuffer.unmap(),
        () => undefined,
      );
      throw new GpuDeviceError(this.adapterName, error.message);
    }
    await mapped;
    const outBytes = this.outBuffer.size;
    const words = new Uint32Array(readBuffer.getMappedRange(0, outBytes).slice(0));
    const cells = new Uint32Array(readBuffer.getMappedRange(outBytes, this.cellWords * 4).slice(0));
    readBuffer.unmap();
    const ms = performance.now() - began;
    this.tamper?.(words, cells);
    const counts = [words[0]!, words[1]!, words[2]!, words[3]!, words[4]!] as const;
    const nFlagged = words[FLAG_COUNT_WORD]!;
    const flagged = nFlagged > this.params[3]! ? null : words.slice(HEADER_WORDS, HEADER_WORDS + nFlagged);
    return { counts, flagged, cells, ms };
  }

  /**
   * Benchmark only: `repeats` dispatches of the uploaded chunk in one submission and
   * one readback, so that the kernel's throughput is not hidden behind the latency
   * of a readback per dispatch. Returns the milliseconds; the counts it leaves in
   * the output buffer are not meaningful (the next run() clears them).
   */
  async timeDispatches(repeats: number): Promise<number> {
    const { device } = this;
    const began = performance.now();
    device.pushErrorScope('validation');
    device.queue.submit([this.encode(repeats)]);
    const error = await device.popErrorScope();
    if (error) throw new GpuDeviceError(this.adapterName, error.message);
    await this.readBuffer!.mapAsync(MAP_MODE_READ);
    this.readBuffer!.unmap();
    return performance.now() - began;
  }

  /** `dispatches` runs of the kernel on the uploaded chunk, then the output copied to the readback buffer. */
  private encode(dispatches: number): GPUCommandBuffer {
    this.bind();
    const encoder = this.device.createCommandEncoder({ label: 'mssi' });
    encoder.clearBuffer(this.cellBuffer!);
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup!);
    const groups = Math.max(1, Math.ceil(this.events / (WORKGROUP * PER_THREAD)));
    for (let r = 0; r < dispatches; r++) pass.dispatchWorkgroups(groups);
    pass.end();
    encoder.copyBufferToBuffer(this.outBuffer, 0, this.readBuffer!, 0, this.outBuffer.size);
    encoder.copyBufferToBuffer(this.cellBuffer!, 0, this.readBuffer!, this.outBuffer.size, this.cellWords * 4);
    return encoder.finish();
  }

  destroy(): void {
    for (const b of [this.paramBuffer, this.eventBuffer, this.outBuffer, this.readBuffer, this.vertexBuffer, this.cutsBuffer, this.edgeBuffer, this.cellBuffer]) b?.destroy();
    this.vertexBuffer = undefined;
    this.readBuffer = undefined;
    this.edgeBuffer = undefined;
    this.cellBuffer = undefined;
    this.bindGroup = undefined;
  }

  private reserveVertices(v: number): void {
    if (this.vertexBuffer && v <= this.vertexCapacity) return;
    // Grow geometrically, within the sizes; a multiple of 4 keeps the skip section word-aligned.
    const cap = Math.min(this.sizes.maxVertices, Math.max(4, (Math.ceil(Math.max(v, this.vertexCapacity * 1.5)) + 3) & ~3));
    this.vertexBuffer?.destroy();
    this.vertexBuffer = this.device.createBuffer({
      label: 'mssi vertices',
      size: cap * 8 + cap,
      usage: BUFFER.STORAGE | BUFFER.COPY_DST,
    });
    this.vertexCapacity = cap;
    this.bindGroup = undefined;
  }

  /** The bind group of the current buffers (rebuilt after a new vertex buffer or selection). */
  private bind(): void {
    if (this.bindGroup) return;
    this.bindGroup = this.device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.paramBuffer } },
        { binding: 1, resource: { buffer: this.eventBuffer } },
        { binding: 2, resource: { buffer: this.vertexBuffer! } },
        { binding: 3, resource: { buffer: this.outBuffer } },
        { binding: 4, resource: { buffer: this.cutsBuffer } },
        { binding: 5, resource: { buffer: this.edgeBuffer! } },
        { binding: 6, resource: { buffer: this.cellBuffer! } },
      ],
    });
  }
}
