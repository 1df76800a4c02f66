// npm `webgpu` is an optional dependency: installed without it (--omit=optional, or a
// platform it has no binary for), the CPU runs as ever and a GPU request says what to
// install. The package is hidden from mssi and its workers by a resolve hook.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const HIDDEN = { NODE_OPTIONS: `--import ${join(ROOT_DIR, 'test', 'cli', 'hideWebgpu.mjs')}` };
const MESSAGE = 'the GPU backend needs the optional package webgpu: npm install -g webgpu, or reinstall mssi without --omit=optional';

describe('without the optional package webgpu', () => {
  it('refuses --gpu with exit 3 and says which package to install', async () => {
    const r = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '-q', '--gpu'], HIDDEN);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`mssi run: --gpu: ${MESSAGE}\n`);
  });

  it('runs --backend auto on the CPU with a note, and the report of --backend cpu', async () => {
    const cpu = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '-q', '--backend', 'cpu'], HIDDEN);
    const auto = await mssi(['run', LZ, '--rates', RATES, '--no-cache', '-q', '--backend', 'auto'], HIDDEN);
    expect(cpu.code).toBe(0);
    expect(cpu.stderr).toBe('');
    expect(auto.code).toBe(0);
    expect(auto.stderr).toBe(`mssi run: ${MESSAGE}; running on the CPU\n`);
    expect(auto.stdout).toBe(cpu.stdout);
  });

  it('mssi gpu says so, with no driver advice (a driver is not what is missing)', async () => {
    const r = await mssi(['gpu'], HIDDEN);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`GPU: not available\n  ${MESSAGE}\n`);
    const json = await mssi(['gpu', '--json'], HIDDEN);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, attempts: [], error: MESSAGE });
  });
});
