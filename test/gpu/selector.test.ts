// The selector's machinery: several dispatches, flag-list overflow, the
// self-test's teeth, other backends, and a quiet stderr.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundaryEvents } from '../../src/gpu/boundaryEvents.js';
import { formatDoctorReport, gpuDoctor, GpuUnavailableError, openGpuSelector } from '../../src/gpu/index.js';
import { packagePath } from '../../src/packageRoot.js';
import { selectReference } from '../../src/selection/reference.js';
import { COUNT_KEYS } from '../../src/selection/types.js';
import { probe } from './adapter.js';

const noGpu = !!probe.reason;
const countsOf = (c: Record<(typeof COUNT_KEYS)[number], number>) => Object.fromEntries(COUNT_KEYS.map((k) => [k, c[k]]));

describe.skipIf(noGpu)('GPU selector', () => {
  it('splits into many dispatches (small chunks, small vertex buffers) with the same counts', async () => {
    const s = await openGpuSelector({ chunkEvents: 997, chunkVertices: 1500 });
    try {
      const c = boundaryEvents(60_000, 21);
      const got = await s.select(c);
      expect(countsOf(got)).toEqual(countsOf(selectReference(c)));
      expect(got.chunks).toBeGreaterThan(60);
      expect(got.cpuChunks).toBe(0);
    } finally {
      s.close();
    }
  });

  it('a single event with more vertices than a dispatch holds goes to the CPU', async () => {
    const s = await openGpuSelector({ chunkVertices: 4 });
    try {
      const c = boundaryEvents(5_000, 22, { maxVertices: 8 });
      const got = await s.select(c);
      expect(countsOf(got)).toEqual(countsOf(selectReference(c)));
      expect(got.cpuChunks).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });

  it('an overflowing flag list sends that chunk to the CPU, and only that chunk', async () => {
    const s = await openGpuSelector({ chunkEvents: 1_000 });
    try {
      const c = boundaryEvents(40_000, 23);
      // A flag list as long as a chunk's mean number of flagged events: some overflow, some do not.
      const all = await s.select(c);
      s.resize({ chunkEvents: 1_000, flagCapacity: Math.round(all.flaggedEvents / all.chunks) });
      const got = await s.select(c);
      expect(countsOf(got)).toEqual(countsOf(selectReference(c)));
      expect(got.cpuChunks).toBeGreaterThan(0);
      expect(got.cpuChunkEvents).toBeLessThan(c.entries);
    } finally {
      s.close();
    }
  });

  it('the self-test rejects an adapter that returns a wrong result', async () => {
    // One count off by one, on a device that is otherwise fine.
    const tamper = (words: Uint32Array) => {
      words[2] = words[2]! + 1;
    };
    const err = await openGpuSelector({ tamper }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuUnavailableError);
    expect((err as Error).message).toMatch(/failed mssi's self-test: wrong counts: nMSSI/);
  });

  it('the self-test rejects an adapter that leaves everything to the CPU', async () => {
    const tamper = (words: Uint32Array) => {
      words[5] = 1 << 30; // "flag list overflowed"
    };
    const err = await openGpuSelector({ tamper }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/self-test/);
  });

  it("the self-test rejects Dawn's null backend, which returns garbage without an error", async () => {
    const err = await openGpuSelector({ backends: ['null'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuUnavailableError);
    expect((err as Error).message).toMatch(/null-backend.*self-test/);
    expect((err as Error).message).toMatch(/install-gpu-driver\.sh/);
  });

  it('the doctor reports the adapter, its limits and the self-test', async () => {
    const r = await gpuDoctor();
    expect(r.ok).toBe(true);
    expect(r.selfTest?.passed).toBe(true);
    const text = formatDoctorReport(r);
    expect(text).toMatch(/backend/);
    console.log(text);
  });

  it('every other backend that exists here passes the self-test and agrees', async () => {
    for (const backend of ['vulkan', 'opengles'] as const) {
      const s = await openGpuSelector({ backends: [backend] }).catch(() => undefined);
      if (!s) {
        console.warn(`backend ${backend}: no adapter here, not compared`);
        continue;
      }
      try {
        const c = boundaryEvents(200_000, 31);
        expect(countsOf(await s.select(c))).toEqual(countsOf(selectReference(c)));
      } finally {
        s.close();
      }
    }
  });

  it('keeps native driver noise off stderr and lets the process exit', () => {
    const script = `
      import { openGpuSelector } from ${JSON.stringify(packagePath('src', 'gpu', 'index.ts'))};
      const s = await openGpuSelector();
      s.close();
      process.stdout.write('ok ' + s.adapterInfo.backend);
    `;
    const env = { ...process.env };
    delete env.XDG_RUNTIME_DIR;
    // stderr to a file, as a terminal or a shell redirection would be (a Node 'pipe'
    // is a socket, which cannot be muted in-process; mssi's pool never shows those).
    const dir = mkdtempSync(join(tmpdir(), 'mssi-gpu-quiet-'));
    const file = join(dir, 'open.ts');
    writeFileSync(file, script);
    const outFd = openSync(join(dir, 'out'), 'w');
    const errFd = openSync(join(dir, 'err'), 'w');
    const out = spawnSync(process.execPath, [packagePath('node_modules', 'vite-node', 'vite-node.mjs'), file], {
      stdio: ['ignore', outFd, errFd],
      env,
      timeout: 60_000,
    });
    closeSync(outFd);
    closeSync(errFd);
    const stdout = readFileSync(join(dir, 'out'), 'utf8');
    const stderr = readFileSync(join(dir, 'err'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    expect(stdout).toMatch(/^ok /);
    expect(stderr).toBe('');
    expect(out.status).toBe(0);
  });
});
