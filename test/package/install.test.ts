// mssi installed as a user installs it: the working tree copied as a fresh clone
// would have it (no dist/), `npm pack` there (its prepack builds), the tarball
// installed globally into a scratch prefix with install scripts on and default
// settings, then run from another folder. Installs use npm's cache first
// (--prefer-offline): after `npm ci` it holds everything the package needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LZ = join(ROOT, 'fixtures', 'lz');
const RATES = join(ROOT, 'fixtures', 'rates.csv');
const FILES = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts=false'];

/**
 * The environment of a user's shell: none of the npm_* variables `npm test` sets
 * (npm_config_local_prefix would make npm treat this repository as the project,
 * npm_package_version is another project's version), except where npm's cache and
 * registry are.
 */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) || /^npm_config_(cache|registry)$/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Asynchronous, not spawnSync: `npm pack` builds for a minute or more on a busy
 * machine, and a test worker whose event loop is blocked that long misses vitest's
 * RPC deadline ("Timeout calling onTaskUpdate") and fails the whole run.
 */
function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function ok(r: Ran, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const kib = (path: string) => Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]);

let tmp: string;
let tarball: string;
let prefix: string;
let elsewhere: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mssi-package-'));
  // A fresh clone: the files git tracks (and new ones it does not ignore), no dist/.
  const clone = join(tmp, 'clone');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && existsSync(join(ROOT, f)));
  for (const f of files) {
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    cpSync(join(ROOT, f), join(clone, f));
  }
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir'); // what `npm ci` gave it
  const out = join(tmp, 'packed');
  mkdirSync(out);
  ok(await run('npm', ['pack', '--pack-destination', out], clone), 'npm pack');
  const packed = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  expect(packed).toEqual([`mssi-${VERSION}.tgz`]);
  tarball = join(out, packed[0]!);
  prefix = join(tmp, 'prefix');
  elsewhere = join(tmp, 'elsewhere');
  mkdirSync(elsewhere);
  ok(await run('npm', ['install', '--global', '--prefix', prefix, ...NPM_FLAGS, tarball], elsewhere), 'npm install -g');
}, 600_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed mssi, installed', () => {
  it('ships the bundled CLI, its kernels, the shader and the default rates table, and no sources', async () => {
    const listed = ok(await run('tar', ['-tzf', tarball], tmp), 'tar').trim().split('\n').sort();
    for (const f of ['bin/mssi', 'dist/bundle/main.js', 'dist/bundle/worker.js', 'dist/kernels/decode.wasm', 'dist/kernels/select.wasm',
      'dist/vendor/zstd-decompress.wasm', 'dist/vendor/jsroot-lzma.mjs', 'kernels/mssi.wgsl', 'fixtures/rates.csv', 'package.json']) {
      expect(listed).toContain(`package/${f}`);
    }
    expect(listed.filter((f) => /\.ts$|^package\/(src|test|bench)\/|^package\/dist\/src\//.test(f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'mssi', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toEqual({ webgpu: expect.any(String) as string });
  });

  it('runs the demo from another folder with the report of the repository\'s own CLI', async () => {
    const args = ['run', ...FILES, '--rates', RATES, '--no-cache', '-q'];
    const installed = ok(await run(join(prefix, 'bin', 'mssi'), args, elsewhere), 'installed mssi run');
    const repo = ok(await run(process.execPath, [join(ROOT, 'bin', 'mssi'), ...args], ROOT), 'repository mssi run');
    expect(installed).toBe(repo);
    expect(installed).toMatch(/10 file\(s\) processed, 0 from the cache/);
  });

  it("prints its own version inside another npm project's script", async () => {
    const other = join(tmp, 'other-project');
    mkdirSync(other);
    writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'other-project', version: '9.9.9', scripts: { v: 'mssi --version' } }));
    const env = userEnv({ PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}` });
    expect(ok(await run('npm', ['run', '--silent', 'v'], other, env), 'npm run v')).toBe(`${VERSION}\n`);
  });

  it('runs through npx --package=TARBALL', async () => {
    // npx installs into a cache of its own here (not the user's npx folder), offline:
    // without webgpu, the tarball is all it needs
    const cache = join(tmp, 'npx-cache');
    const r = await run('npx', ['--yes', '--offline', '--omit=optional', `--package=${tarball}`, 'mssi', '--version'], elsewhere, userEnv({ npm_config_cache: cache }));
    expect(ok(r, 'npx mssi --version')).toBe(`${VERSION}\n`);
  });

  it('without the optional webgpu: under 30 MB, the CPU runs, and --gpu says what to install (exit 3)', async () => {
    const local = join(tmp, 'no-gpu');
    mkdirSync(local);
    // A project install: npm install -g --omit=optional of a tarball still installs
    // optional dependencies (npm/cli#8284).
    ok(await run('npm', ['install', '--prefix', local, '--omit=optional', ...NPM_FLAGS, tarball], elsewhere), 'npm install --omit=optional');
    const modules = join(local, 'node_modules');
    expect(existsSync(join(modules, 'webgpu'))).toBe(false);
    const without = kib(modules);
    const withGpu = kib(join(prefix, 'lib', 'node_modules'));
    console.log(`installed size: ${(without / 1024).toFixed(1)} MiB without webgpu, ${(withGpu / 1024).toFixed(1)} MiB with it (du -sk)`);
    expect(without).toBeLessThan(30 * 1024);
    const mssi = join(modules, '.bin', 'mssi');
    expect(ok(await run(mssi, ['run', ...FILES, '--rates', RATES, '--no-cache', '-q'], elsewhere), 'mssi run without webgpu')).toMatch(/10 file\(s\) processed/);
    const gpu = await run(mssi, ['run', ...FILES, '--rates', RATES, '--no-cache', '-q', '--gpu'], elsewhere);
    expect(gpu.status).toBe(3);
    expect(gpu.stderr).toMatch(/the GPU backend needs the optional package webgpu: npm install -g webgpu, or reinstall mssi without --omit=optional/);
  });
});
