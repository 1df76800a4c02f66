// GPU selection throughput: the kernel alone (data already on the device), the
// whole GPU path (packing, upload, kernel, float64 fallback) and the CPU
// reference, on the same 10 million events.

import { boundaryEvents } from '../src/gpu/boundaryEvents.js';
import { acquireDevice, adapterLabel, defaultBackends, type DeviceHandle } from '../src/gpu/device.js';
import { kernelSizes, SelectionKernel } from '../src/gpu/kernel.js';
import { ChunkPacker, vertexLayout } from '../src/gpu/pack.js';
import { openGpuSelector } from '../src/gpu/selector.js';
import { selectReference } from '../src/selection/reference.js';
import { selectCpu } from '../src/selection/wasmSelect.js';
import type { EventColumns } from '../src/selection/types.js';
import type { BenchRow } from './table.js';

const EVENTS = 10_000_000;
const PART = 1_000_000;
const REPEATS = 3;

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

/** Kernel time only: each chunk uploaded once, then dispatched (and its counts read back) REPEATS times. */
async function kernelOnly(handle: DeviceHandle, c: EventColumns): Promise<number> {
  const kernel = await SelectionKernel.create(handle.device, adapterLabel(handle.adapter), kernelSizes(handle.device.limits));
  const packer = new ChunkPacker();
  const layout = vertexLayout(c)!;
  let ms = 0;
  try {
    for (let start = 0; start < c.entries; start += kernel.sizes.maxEvents) {
      const stop = Math.min(c.entries, start + kernel.sizes.maxEvents);
      kernel.upload(packer.pack(c, layout, start, stop));
      await kernel.run(); // warm-up
      for (let r = 0; r < REPEATS; r++) ms += (await kernel.run()).ms;
    }
  } finally {
    kernel.destroy();
  }
  return ms / REPEATS;
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
  selectCpu(c); // compiles the kernel
  const cpuBegan2 = performance.now();
  const cpu = selectCpu(c);
  const cpuMs = performance.now() - cpuBegan2;
  if (JSON.stringify(cpu) !== JSON.stringify(expected)) throw new Error('the CPU selection differs from the reference');
  const cpuLimit = `CPU selection ${(c.entries / (cpuMs / 1000)).toExponential(2)}`;

  for (const backend of defaultBackends()) {
    const selector = await openGpuSelector({ backends: [backend] }).catch(() => undefined);
    if (!selector) continue;
    const name = `${adapterLabel(selector.adapterInfo)}`;
    try {
      const began = performance.now();
      const got = await selector.select(c);
      const totalMs = performance.now() - began;
      if (got.nSSFVROI !== expected.nSSFVROI || got.nMSSIFVROI !== expected.nMSSIFVROI) throw new Error(`GPU counts differ from the reference on ${name}`);
      rows.push({
        name: `GPU path, ${backend} (pack + upload + kernel + float64 fallback)`,
        value: c.entries / (totalMs / 1000),
        unit: 'events/s',
        limit: cpuLimit,
        note: `${name}; host ${got.hostMs.toFixed(0)} ms, kernel ${got.kernelMs.toFixed(0)} ms, ${got.flaggedEvents} events in float64`,
      });
    } finally {
      selector.close();
    }
    const handle = await acquireDevice(backend);
    try {
      const ms = await kernelOnly(handle, c);
      rows.push({
        name: `GPU kernel only, ${backend} (dispatch + counts readback)`,
        value: c.entries / (ms / 1000),
        unit: 'events/s',
        limit: cpuLimit,
        note: name,
      });
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
