// GPU selection throughput: the kernel alone (data already on the device), the
// whole GPU path (packing, upload, kernel, float64 fallback) and the CPU
// reference, on the same 10 million events.

import { boundaryEvents } from '../src/gpu/boundaryEvents.js';
import { DEFAULT_THRESHOLDS } from '../src/gpu/thresholds.js';
import { acquireDevice, adapterLabel, defaultBackends, type DeviceHandle } from '../src/gpu/device.js';
import { kernelSizes, SelectionKernel } from '../src/gpu/kernel.js';
import { ChunkPacker, vertexLayout } from '../src/gpu/pack.js';
import { openGpuSelector } from '../src/gpu/selector.js';
import { CHUNK_ENTRIES } from '../src/analysis/analyseRange.js';
import { selectReference } from '../src/selection/reference.js';
import { selectCpu } from '../src/selection/wasmSelect.js';
import { DEFAULT_SELECTION } from '../src/selection/definition.js';
import { COUNT_KEYS, type EventColumns } from '../src/selection/types.js';
import { gpuRunRows, timedRun } from './run.js';
import type { BenchRow } from './table.js';

const EVENTS = 10_000_000;
const PART = 1_000_000;
const REPEATS = 3;
/** Files are cut into ranges of this many entries, so that many workers all get work. */
const SPLIT_ENTRIES = 4 * CHUNK_ENTRIES;

function concatEvents(parts: EventColumns[]): EventColumns {
  // One set of columns, as a reader would hand them over.
  const entries = parts.reduce((n, p) => n + p.entries, 0);
  const scalar = <K extends 'x_cm' | 'y_cm' | 'driftTime_ns' | 's2Area_phd' | 'correctedS1Area_phd' | 'correctedS2Area_phd'>(k: K) => {
    const out = new Float32Array(entries);
    let at = 0;
    for (const p of parts) {
      out.set(p[k] as Float32Array, at);
      at += p.entries;
    }
    return out;
  };
  const nv = new Int32Array(entries);
  const offsets = new Int32Array(entries + 1);
  const total = parts.reduce((n, p) => n + p.vertexSkipped.values.length, 0);
  const skip = new Uint8Array(total);
  const s1 = new Float32Array(total);
  const s2 = new Float32Array(total);
  let e = 0;
  let v = 0;
  for (const p of parts) {
    nv.set(p.nRQMCTruthVertices as Int32Array, e);
    for (let i = 1; i <= p.entries; i++) offsets[e + i] = v + p.vertexSkipped.offsets[i]!;
    skip.set(p.vertexSkipped.values, v);
    s1.set(p.detectedS1Photons.values as Float32Array, v);
    s2.set(p.detectedS2Photons.values as Float32Array, v);
    e += p.entries;
    v += p.vertexSkipped.values.length;
  }
  return {
    entries,
    x_cm: scalar('x_cm'),
    y_cm: scalar('y_cm'),
    driftTime_ns: scalar('driftTime_ns'),
    s2Area_phd: scalar('s2Area_phd'),
    correctedS1Area_phd: scalar('correctedS1Area_phd'),
    correctedS2Area_phd: scalar('correctedS2Area_phd'),
    nRQMCTruthVertices: nv,
    vertexSkipped: { offsets, values: skip },
    detectedS1Photons: { offsets, values: s1 },
    detectedS2Photons: { offsets, values: s2 },
  };
}

/** Dispatches per timed batch are chosen so that a batch takes about this long. */
const BATCH_TARGET_MS = 200;

interface KernelTimes {
  /** Mean ms of one dispatch of a chunk with its counts read back (latency included). */
  perDispatchMs: number;
  /** Events/s of dispatches batched in one submission (one readback per batch). */
  batchedEventsPerSecond: number;
  chunkEvents: number;
}

/** Kernel time only: each chunk uploaded once, then dispatched again and again. */
async function kernelOnly(handle: DeviceHandle, c: EventColumns): Promise<KernelTimes> {
  const kernel = await SelectionKernel.create(handle.device, adapterLabel(handle.adapter), kernelSizes(handle.device.limits));
  kernel.setThresholds(DEFAULT_THRESHOLDS);
  const packer = new ChunkPacker();
  const layout = vertexLayout(c)!;
  let ms = 0;
  let dispatches = 0;
  let batchedEvents = 0;
  let batchedMs = 0;
  try {
    for (let start = 0; start < c.entries; start += kernel.sizes.maxEvents) {
      const stop = Math.min(c.entries, start + kernel.sizes.maxEvents);
      kernel.upload(packer.pack(c, layout, start, stop));
      await kernel.run(); // warm-up
      let chunkMs = 0;
      for (let r = 0; r < REPEATS; r++) chunkMs += (await kernel.run()).ms;
      ms += chunkMs;
      dispatches += REPEATS;
      const repeats = Math.max(1, Math.min(1000, Math.ceil(BATCH_TARGET_MS / (chunkMs / REPEATS))));
      batchedMs += await kernel.timeDispatches(repeats);
      batchedEvents += repeats * (stop - start);
    }
    return { perDispatchMs: ms / dispatches, batchedEventsPerSecond: batchedEvents / (batchedMs / 1000), chunkEvents: kernel.sizes.maxEvents };
  } finally {
    kernel.destroy();
  }
}

/** The adapter a GPU run would use, or null (no adapter, or Dawn cannot load). */
export async function gpuAdapterName(): Promise<string | null> {
  try {
    const { gpuDoctor } = await import('../src/gpu/index.js');
    const r = await gpuDoctor();
    return r.ok && r.adapter ? `${r.adapter.device} (${r.adapter.backend}, ${r.adapter.description})` : null;
  } catch {
    return null;
  }
}

/**
 * `mssi run` with `jobs` workers on the CPU and with --gpu, alternating `rounds` times
 * (the best of each kept): whole-run events/s and the selection's share of worker time.
 */
export async function benchGpuRun(files: readonly string[], jobs: number, gpu: string, rounds = 2): Promise<BenchRow[]> {
  const fastest = <T extends { seconds: number }>(a: T | undefined, b: T) => (a && a.seconds <= b.seconds ? a : b);
  let cpu: Awaited<ReturnType<typeof timedRun>> | undefined;
  let onGpu: typeof cpu;
  for (let round = 0; round < rounds; round++) {
    cpu = fastest(cpu, await timedRun(files, jobs, null, SPLIT_ENTRIES, 'cpu'));
    onGpu = fastest(onGpu, await timedRun(files, jobs, null, SPLIT_ENTRIES, 'gpu'));
  }
  const events = cpu!.outcome.results.reduce((n, r) => n + r.counts.nSS, 0);
  return [
    { name: `run on the CPU, ${jobs} worker${jobs === 1 ? '' : 's'}`, value: events / cpu!.seconds, unit: 'events/s', note: `${cpu!.seconds.toFixed(2)} s (best of ${rounds}, alternating with --gpu)` },
    ...gpuRunRows(onGpu!, cpu!, events, jobs, gpu),
  ];
}

export async function benchGpu(): Promise<BenchRow[]> {
  const parts: EventColumns[] = [];
  for (let k = 0; k < EVENTS / PART; k++) parts.push(boundaryEvents(PART, 500 + k, { wallFraction: 0.01 }));
  const c = concatEvents(parts);
  parts.length = 0;

  const rows: BenchRow[] = [];
  const cpuBegan = performance.now();
  const expected = selectReference(c);
  const referenceMs = performance.now() - cpuBegan;
  // what `mssi run` uses on the CPU: the GPU's rival
  selectCpu(c, DEFAULT_SELECTION); // compiles the kernel
  const cpuBegan2 = performance.now();
  const cpu = selectCpu(c, DEFAULT_SELECTION);
  const cpuMs = performance.now() - cpuBegan2;
  if (JSON.stringify(cpu) !== JSON.stringify(expected)) throw new Error('the CPU selection differs from the reference');
  const cpuLimit = `CPU selection ${(c.entries / (cpuMs / 1000)).toExponential(2)}`;

  for (const backend of defaultBackends()) {
    const selector = await openGpuSelector({ backends: [backend] }).catch(() => undefined);
    if (!selector) continue;
    const name = `${adapterLabel(selector.adapterInfo)}`;
    try {
      // Whole dispatches as large as the device allows, then the reader's chunks (what `mssi run` sends).
      for (const chunkEvents of [selector.sizes.maxEvents, CHUNK_ENTRIES]) {
        selector.resize({ chunkEvents });
        await selector.select(c); // warm-up: buffers grown, pipelines hot
        const began = performance.now();
        const got = await selector.select(c);
        const totalMs = performance.now() - began;
        if (COUNT_KEYS.some((k) => got[k] !== expected[k])) throw new Error(`GPU counts differ from the reference on ${name}`);
        rows.push({
          name: `GPU path, ${backend}, ${chunkEvents.toLocaleString('en-US')}-event dispatches (pack + upload + kernel + float64 fallback)`,
          value: c.entries / (totalMs / 1000),
          unit: 'events/s',
          limit: cpuLimit,
          note: `${name}; host ${got.hostMs.toFixed(0)} ms, kernel ${got.kernelMs.toFixed(0)} ms (${got.chunks} dispatches), ${got.flaggedEvents} events in float64`,
        });
      }
    } finally {
      selector.close();
    }
    const handle = await acquireDevice(backend);
    try {
      const k = await kernelOnly(handle, c);
      rows.push(
        {
          name: `GPU kernel only, ${backend} (one dispatch + counts readback)`,
          value: k.chunkEvents / (k.perDispatchMs / 1000),
          unit: 'events/s',
          limit: cpuLimit,
          note: `${name}; ${k.perDispatchMs.toFixed(3)} ms per ${k.chunkEvents.toLocaleString('en-US')}-event dispatch, readback latency included`,
        },
        {
          name: `GPU kernel only, ${backend} (dispatches batched, one readback)`,
          value: k.batchedEventsPerSecond,
          unit: 'events/s',
          limit: '>= 1e9 on a real GPU',
          note: `${name}; the kernel's own throughput`,
        },
      );
    } finally {
      handle.device.destroy();
    }
  }
  rows.push({
    name: 'CPU selection (selectCpu: WebAssembly, float64, one thread)',
    value: c.entries / (cpuMs / 1000),
    unit: 'events/s',
    note: `${c.entries} events, drawn around every cut; what mssi run uses on the CPU`,
  });
  rows.push({
    name: 'CPU reference (selectReference, float64, one thread)',
    value: c.entries / (referenceMs / 1000),
    unit: 'events/s',
    note: 'the TypeScript reference every backend is tested against',
  });
  return rows;
}
