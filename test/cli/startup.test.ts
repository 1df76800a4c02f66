// What the bundled CLI loads at start: each command only its own modules (its action
// is a dynamic import), `--version` nothing but the registrations, a warm run (every
// file cached) neither the ROOT reader nor a worker, and a CPU run never webgpu.
// The bundle's chunks are mapped back to their sources with esbuild's metafile.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

interface Loaded {
  /** mssi's own sources (src/...), in the chunks the processes loaded. */
  readonly sources: Set<string>;
  /** Packages bundled into those chunks or loaded from node_modules. */
  readonly packages: Set<string>;
  readonly processes: number;
}

let meta: Metafile;
beforeAll(() => {
  meta = JSON.parse(readFileSync(join(ROOT_DIR, 'dist', 'bundle.meta.json'), 'utf8')) as Metafile;
});

const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

async function loads(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Loaded & { stdout: string }> {
  const log = join(mkdtempSync(join(tmpdir(), 'mssi-load-')), 'log');
  const r = await mssi(args, { ...env, MSSI_TEST_LOAD_LOG: log, NODE_OPTIONS: `--import ${join(ROOT_DIR, 'test', 'cli', 'loadLog.mjs')}` });
  expect(r.code, r.stderr).toBe(0);
  const sources = new Set<string>();
  const packages = new Set<string>();
  const pids = new Set<string>();
  for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
    const [pid, url] = line.split(' ') as [string, string];
    pids.add(pid);
    if (!url.startsWith('file:')) continue;
    const path = relative(ROOT_DIR, fileURLToPath(url)).split('\\').join('/');
    const inputs = meta.outputs[path] ? Object.keys(meta.outputs[path].inputs) : [path];
    for (const input of inputs) {
      const pkg = packageOf(input);
      if (pkg) packages.add(pkg);
      else if (input.startsWith('src/')) sources.add(input);
    }
  }
  return { sources, packages, processes: pids.size, stdout: r.stdout };
}

/** What the command registrations name besides src/cli/: option defaults and choices. */
const REGISTRATION_CONSTANTS = [
  'src/packageRoot.ts',
  'src/run/consoleToStderr.ts',
  'src/run/backend.ts',
  'src/run/deadline.ts',
  'src/run/gpuWorkers.ts',
  'src/run/splitPolicy.ts',
  'src/report/join.ts',
  'src/simulate/defaults.ts',
  'src/cache/duration.ts',
];

describe('start-up of the bundled CLI', () => {
  it("mssi --version loads the command registrations and commander only, and prints mssi's own version", async () => {
    const { sources, packages, processes, stdout } = await loads(['--version']);
    const version = (JSON.parse(readFileSync(join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string }).version;
    expect(stdout).toBe(`${version}\n`);
    expect(processes).toBe(1);
    expect([...packages]).toEqual(['commander']);
    expect(sources).toContain('src/cli/run.ts');
    const beyond = [...sources].filter((s) => (!s.startsWith('src/cli/') || s.endsWith('Action.ts')) && !REGISTRATION_CONSTANTS.includes(s));
    expect(beyond).toEqual([]);
    expect([...sources].filter((s) => s.endsWith('Action.ts'))).toEqual([]);
  });

  it('a warm run (every file cached) loads the run action, not the ROOT reader, jsroot or the GPU backend, and starts no worker', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'mssi-warm-'));
    const cold = await mssi(['run', LZ, '--rates', RATES, '--cache', cache, '-q']);
    expect(cold.code).toBe(0);
    const warm = await loads(['run', LZ, '--rates', RATES, '--cache', cache, '-q']);
    expect(warm.stdout).toBe(cold.stdout.replace('10 file(s) processed, 0 from the cache', '10 file(s) processed, 10 from the cache'));
    expect(warm.processes).toBe(1);
    expect(warm.sources).toContain('src/cli/runAction.ts');
    const actions = [...warm.sources].filter((s) => s.endsWith('Action.ts'));
    expect(actions).toEqual(['src/cli/runAction.ts']);
    const heavy = [...warm.sources].filter((s) => /^src\/(gpu|slurm|simulate\/(?!defaults)|root\/write\/(?!types)|root\/read\/(reader|jsroot|metadata|basket|compression|zstd|xz|inspect))/.test(s));
    expect(heavy).toEqual([]);
    expect(warm.packages.has('jsroot')).toBe(false);
    expect(warm.packages.has('webgpu')).toBe(false);
    // the HTML report and its d3 packages: a chunk of their own, loaded only for --html
    expect([...warm.sources].filter((s) => s.startsWith('src/report/html/'))).toEqual([]);
    expect([...warm.packages].filter((p) => p.startsWith('d3-'))).toEqual([]);
  });

  it('a CPU run loads webgpu in no process, and its workers the worker entry', async () => {
    const run = await loads(['run', LZ, '--rates', RATES, '--no-cache', '-q', '--jobs', '2']);
    expect(run.processes).toBe(3);
    expect(run.sources).toContain('src/run/worker.ts');
    expect(run.sources).toContain('src/root/read/reader.ts');
    expect(run.packages.has('jsroot')).toBe(true);
    expect(run.packages.has('webgpu')).toBe(false);
    expect([...run.sources].filter((s) => s.startsWith('src/gpu/'))).toEqual([]);
  });
});
