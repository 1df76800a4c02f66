import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { copyFileSync, mkdtempSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalCacheStore } from '../../src/cache/store.js';
import { workerModulePath } from '../../src/packageRoot.js';
import { runFiles, type RunObserver } from '../../src/run/runFiles.js';
import { runTasks, type GivenTask } from '../../src/run/runTasks.js';

const LZ = fileURLToPath(new URL('../../fixtures/lz/', import.meta.url));
const files = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => LZ + f);
const silent: RunObserver = { start() {}, progress() {}, fileDone() {}, fileFailed() {}, warn() {}, stop() {} };
const settings = (store: LocalCacheStore | null) => ({
  jobs: 2,
  backend: 'cpu' as const,
  selection: DEFAULT_SELECTION,
  store,
  rehash: false,
  workerModule: workerModulePath(),
  observer: silent,
});
const expected = (path: string) => {
  const s = statSync(path, { bigint: true });
  return { size: Number(s.size), mtimeNs: String(s.mtimeNs) };
};

describe('runTasks (a plan shard\'s tasks)', () => {
  it('gives whole files and ranges the counts of runFiles, and answers a second run from the cache, ranges too', async () => {
    const store = new LocalCacheStore(mkdtempSync(join(tmpdir(), 'mssi-tasks-')));
    const [a, b] = [files[0]!, files[1]!];
    const tasks: GivenTask[] = [
      { path: a, range: null, bytes: 100, expected: expected(a) },
      { path: b, range: { start: 0, stop: 1000 }, bytes: 50, expected: expected(b) },
      { path: b, range: { start: 1000, stop: 2000 }, bytes: 50, expected: expected(b) },
    ];
    const first = await runTasks(tasks, settings(store));
    const whole = await runFiles([a, b], settings(null));
    expect(first.map((o) => o.failed)).toEqual([undefined, undefined, undefined]);
    expect(first[0]!.done!.result.counts).toEqual(whole.results[0]!.counts);
    expect(first[0]!.done).toMatchObject({ fileEntries: 2000, entryStart: 0, entryStop: 2000 });
    const sum = (k: keyof (typeof whole.results)[0]['counts']) => first[1]!.done!.result.counts[k] + first[2]!.done!.result.counts[k];
    expect(sum('nSS')).toBe(whole.results[1]!.counts.nSS);
    expect(sum('nMSSIFV')).toBe(whole.results[1]!.counts.nMSSIFV);
    expect(first[1]!.done!.result.eventWeight).toBe(whole.results[1]!.eventWeight);
    expect(first[2]!.done!.result.eventWeight).toBeNull(); // only the range at entry 0 carries it

    const again = await runTasks(tasks, settings(store));
    expect(again.map((o) => o.done!.result.fromCache)).toEqual([true, true, true]);
    expect(again.map((o) => o.done!.result.counts)).toEqual(first.map((o) => o.done!.result.counts));
    expect(again.map((o) => [o.done!.fileEntries, o.done!.entryStart, o.done!.entryStop])).toEqual([
      [2000, 0, 2000],
      [2000, 0, 1000],
      [2000, 1000, 2000],
    ]);
    // a whole-file run of the same cache still has its own key: the ranges' entries do not answer it
    const local = await runFiles([b], settings(store));
    expect(local.results[0]!.fromCache).toBe(false);
    expect(store.list().filter((l) => l.result?.range).map((l) => l.result!.range)).toHaveLength(2);
  });

  it('fails a task whose file differs from the size or modification time it was planned with, and caches nothing for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-tasks-changed-'));
    const path = join(dir, 'SS_skim_x.root');
    copyFileSync(files[0]!, path);
    const planned = expected(path);
    utimesSync(path, 1_600_000_000, 1_600_000_000);
    const store = new LocalCacheStore(join(dir, 'cache'));
    const [outcome] = await runTasks([{ path, range: null, bytes: 1, expected: planned }], settings(store));
    expect(outcome!.failed?.message).toMatch(
      new RegExp(`^${path}: changed since it was planned \\(now ${planned.size} bytes, modified 2020-09-13T12:26:40.000Z; planned ${planned.size} bytes, modified .*\\); plan the run again$`),
    );
    expect(store.list()).toEqual([]);
  });
});
