// Start-up of the CLI as a user meets it: whole processes, `mssi --version` and a
// warm re-run of ten files (every file cached: no worker starts, nothing is read but
// the cache entries), against bare `node -e 0`. Hyperfine-like: a few warm-up runs,
// then the commands interleaved round by round, the best of N of each (the least
// disturbed by other work on the machine) and the median.
//   MSSI_BENCH_STARTUP_RUNS  rounds (default 20)
//   MSSI_BENCH_BIN           the launcher to time (default this package's bin/mssi),
//                            e.g. another checkout's, to compare builds

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../src/packageRoot.js';
import type { BenchRow } from './table.js';

interface Timed {
  best: number;
  median: number;
}

/** Each command's best and median wall time (ms) over `rounds` interleaved rounds. */
function timeProcesses(commands: readonly (readonly string[])[], rounds: number, env: NodeJS.ProcessEnv): Timed[] {
  const times = commands.map((): number[] => []);
  const once = (c: readonly string[]): number => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(c[0]!, c.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${c.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
    return ms;
  };
  for (let i = 0; i < 3; i++) commands.forEach(once); // warm-up: the OS's file cache
  for (let i = 0; i < rounds; i++) commands.forEach((c, k) => times[k]!.push(once(c)));
  return times.map((t) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { best: sorted[0]!, median: sorted[sorted.length >> 1]! };
  });
}

export function benchStartup(): BenchRow[] {
  const rounds = Number(process.env.MSSI_BENCH_STARTUP_RUNS ?? 20);
  const bin = process.env.MSSI_BENCH_BIN ?? packagePath('bin', 'mssi');
  const lz = packagePath('fixtures', 'lz');
  const files = readdirSync(lz).filter((f) => f.endsWith('.root')).sort().map((f) => join(lz, f));
  const cache = packagePath('bench', 'data', 'startup-cache');
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const env = { ...process.env, MSSI_CACHE: cache };
  const run = [process.execPath, bin, 'run', ...files, '--rates', packagePath('fixtures', 'rates.csv'), '-q'];
  const fill = spawnSync(run[0]!, run.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (fill.status !== 0) throw new Error(`filling the cache failed: ${fill.stderr.toString()}`);
  const [node, version, warm] = timeProcesses([[process.execPath, '-e', '0'], [process.execPath, bin, '--version'], run], rounds, env);
  rmSync(cache, { recursive: true, force: true });
  const ratio = (t: Timed) => t.best / node!.best;
  const note = (t: Timed) => `${ratio(t).toFixed(2)}x node; best of ${rounds}, median ${t.median.toFixed(0)} ms`;
  return [
    { name: 'node -e 0 (bare Node.js start)', value: node!.best, unit: 'ms', note: `best of ${rounds}, median ${node!.median.toFixed(0)} ms` },
    { name: 'mssi --version', value: version!.best, unit: 'ms', limit: `<= 1.5x node -e 0 (${(1.5 * node!.best).toFixed(0)} ms)`, note: note(version!) },
    { name: 'mssi run, 10 files, all cached', value: warm!.best, unit: 'ms', limit: `<= 2.5x node -e 0 (${(2.5 * node!.best).toFixed(0)} ms)`, note: note(warm!) },
  ];
}
