import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe } from '../gpu/adapter.js';
import { mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const noAdapter = probe.selector === undefined;
const software = probe.selector?.adapterInfo.kind.kind === 'software';
const hardware = probe.selector?.adapterInfo.kind.kind === 'hardware';

interface Report {
  files: { path: string; backend: string; counts: Record<string, number> }[];
  totals: unknown;
}

describe('mssi run --gpu', () => {
  it.skipIf(noAdapter)('prints the same report as the CPU on every fixture', async () => {
    const cpu = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q']);
    const gpu = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--gpu', '--jobs', '2']);
    expect(gpu.code).toBe(0);
    const a = JSON.parse(cpu.stdout) as Report;
    const b = JSON.parse(gpu.stdout) as Report;
    expect(b.files.map((f) => f.backend)).toEqual(Array(10).fill('gpu'));
    expect(b.files.map((f) => f.counts)).toEqual(a.files.map((f) => f.counts));
    expect(b.totals).toEqual(a.totals);
    // The text report too, byte for byte.
    const cpuText = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '-q']);
    const gpuText = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '-q', '--backend', 'gpu']);
    expect(gpuText.stdout).toBe(cpuText.stdout);
  });

  it.skipIf(noAdapter)('--gpu-workers K: at most K workers open a device (default 1), the others select on the CPU, same counts', async () => {
    /** The processes that loaded Dawn (npm webgpu): the main one (choosing the backend) and the workers that opened a device. */
    const dawnProcesses = async (extra: string[]) => {
      const log = join(mkdtempSync(join(tmpdir(), 'mssi-gpu-workers-')), 'log');
      const r = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--gpu', '--jobs', '3', '--split-entries', '2000', ...extra], {
        MSSI_TEST_LOAD_LOG: log,
        NODE_OPTIONS: `--import ${join(ROOT_DIR, 'test', 'cli', 'loadLog.mjs')}`,
      });
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      const all = new Set(lines.map((l) => l.split(' ')[0]));
      const dawn = new Set(lines.filter((l) => l.includes('/node_modules/webgpu/')).map((l) => l.split(' ')[0]));
      return { report: JSON.parse(r.stdout) as Report, processes: all.size, dawn: dawn.size };
    };
    const cpu = JSON.parse((await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q'])).stdout) as Report;
    const one = await dawnProcesses([]);
    expect(one.processes).toBe(4);
    expect(one.dawn).toBe(2);
    expect(one.report.files.map((f) => f.counts)).toEqual(cpu.files.map((f) => f.counts));
    const all = await dawnProcesses(['--gpu-workers', '3']);
    expect(all.dawn).toBeGreaterThan(2);
    expect(all.report.files.map((f) => f.counts)).toEqual(cpu.files.map((f) => f.counts));
    const bad = await mssi(['run', LZ, '--rates', RATES, '--gpu-workers', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--gpu-workers/);
  });

  it.skipIf(noAdapter)('--gpu with a selection other than the default (WS2024): the CPU report and model, on the GPU', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-gpu-selection-'));
    const ws = join(ROOT_DIR, 'examples', 'ws2024.toml');
    const args = ['run', LZ, '--rates', RATES, '--selection', ws, '--no-cache', '--json', '-q'];
    const cpu = await mssi([...args, '--model', join(dir, 'cpu.json')]);
    const gpu = await mssi([...args, '--gpu', '--jobs', '2', '--model', join(dir, 'gpu.json')]);
    expect(gpu.code, gpu.stderr).toBe(0);
    const a = JSON.parse(cpu.stdout) as Report;
    const b = JSON.parse(gpu.stdout) as Report;
    expect(b.files.map((f) => f.backend)).toEqual(Array(10).fill('gpu'));
    expect(b.files.map((f) => f.counts)).toEqual(a.files.map((f) => f.counts));
    expect(b.totals).toEqual(a.totals);
    expect(readFileSync(join(dir, 'gpu.json'), 'utf8')).toBe(readFileSync(join(dir, 'cpu.json'), 'utf8'));
  });

  it.skipIf(noAdapter)('mssi gpu shows the adapter and the self-test, and no native noise on stderr', async () => {
    // stderr to a file, as from a shell (a Node child's stderr is a socket, which is left alone).
    const errFile = join(mkdtempSync(join(tmpdir(), 'mssi-gpu-')), 'stderr');
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      execFile('sh', ['-c', `"${process.execPath}" bin/mssi gpu 2>"${errFile}"`], { cwd: ROOT_DIR }, (err, stdout) =>
        err && typeof err.code !== 'number' ? reject(err) : resolve({ code: err ? (err.code as number) : 0, stdout }),
      );
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GPU: ok\n {2}adapter/);
    expect(r.stdout).toMatch(/self-test {4}passed/);
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });

  it('refuses --gpu with exit 3 when no adapter passes the self-test, and auto falls back to the CPU', async () => {
    // Dawn's null backend answers with garbage: the self-test must reject it.
    const env = { MSSI_GPU_BACKEND: 'null' };
    const gpu = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '-q', '--gpu'], env);
    expect(gpu.code).toBe(3);
    expect(gpu.stderr).toMatch(/--gpu: no usable GPU adapter/);
    expect(gpu.stderr).toMatch(/failed mssi's self-test/);
    expect(gpu.stderr).toMatch(/install-gpu-driver\.sh/);
    const auto = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--backend', 'auto'], env);
    expect(auto.code).toBe(0);
    expect(auto.stderr.trim().split('\n')).toHaveLength(1);
    expect(auto.stderr).toMatch(/no usable GPU .*running on the CPU/);
    expect((JSON.parse(auto.stdout) as Report).files[0]!.backend).toBe('cpu');
    const doctor = await mssi(['doctor'], env);
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toMatch(/GPU: not available/);
  });

  // The CI machine has lavapipe/llvmpipe: a software adapter.
  it.skipIf(!software)('on a software adapter: auto runs on the CPU saying why, --gpu runs on it with a warning, mssi gpu says so', async () => {
    const auto = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--backend', 'auto', '-j', '2']);
    expect(auto.code).toBe(0);
    expect((JSON.parse(auto.stdout) as Report).files.every((f) => f.backend === 'cpu')).toBe(true);
    expect(auto.stderr).toMatch(/^mssi run: no hardware GPU \(.*a software adapter, a CPU driver \(.*names (llvmpipe|lavapipe)\).*; running on the CPU \(MSSI_GPU_ALLOW_SOFTWARE=1/m);
    const gpu = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--gpu', '-j', '2']);
    expect(gpu.code).toBe(0);
    expect((JSON.parse(gpu.stdout) as Report).files.every((f) => f.backend === 'gpu')).toBe(true);
    expect(gpu.stderr).toMatch(/^mssi run: warning: .* is a software adapter, a CPU driver \(.*\): the kernel runs on the cores the workers use, slower than --backend cpu/m);
    const allowed = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--backend', 'auto', '-j', '2'], { MSSI_GPU_ALLOW_SOFTWARE: '1' });
    expect((JSON.parse(allowed.stdout) as Report).files.every((f) => f.backend === 'gpu')).toBe(true);
    expect(allowed.stderr).toMatch(/is a software adapter, a CPU driver/);
    const doctor = await mssi(['gpu']);
    expect(doctor.stdout).toMatch(/\n {2}kind {9}software, a CPU driver \(.*\): --backend auto does not use it/);
    const json = JSON.parse((await mssi(['gpu', '--json'])).stdout) as { adapter: { kind: { kind: string; why: string } } };
    expect(json.adapter.kind.kind).toBe('software');
  });

  it.skipIf(!hardware)('on a hardware GPU: auto takes it, with no warning, and mssi gpu says it is hardware', async () => {
    const auto = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '--json', '-q', '--backend', 'auto', '-j', '2']);
    expect(auto.code).toBe(0);
    expect((JSON.parse(auto.stdout) as Report).files.every((f) => f.backend === 'gpu')).toBe(true);
    expect(auto.stderr).not.toMatch(/software|warning/);
    expect((await mssi(['gpu'])).stdout).toMatch(/\n {2}kind {9}hardware GPU/);
  });
});
