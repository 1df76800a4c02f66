import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatAge, parseDuration } from '../../src/cache/duration.js';
import { cacheKey, selectionHash } from '../../src/cache/key.js';
import { LocalCacheStore } from '../../src/cache/store.js';
import { cachedResult } from '../cache/results.js';
import { mssi, ROOT_DIR } from './runCli.js';

function storeWithTwoEntries() {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-cachecli-'));
  const store = new LocalCacheStore(dir);
  const fresh = cacheKey('a'.repeat(64), selectionHash(DEFAULT_SELECTION));
  const old = cacheKey('b'.repeat(64), selectionHash(DEFAULT_SELECTION));
  store.put(fresh, cachedResult({ computedFrom: '/data/SS_skim_K40_DomePMTs.root' }));
  store.put(old, cachedResult({ computedFrom: '/data/SS_skim_Co60_DomePMTs.root' }));
  const entry = join(dir, 'v1', 'entries', old.slice(0, 2), `${old}.json`);
  const longAgo = new Date(Date.now() - 40 * 86_400_000);
  utimesSync(entry, longAgo, longAgo);
  return { dir, fresh, old };
}

describe('mssi cache', () => {
  it('ls lists key, source, size, age, hits and the file computed from', async () => {
    const { dir, fresh } = storeWithTwoEntries();
    const r = await mssi(['cache', 'ls', '--cache', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`cache ${dir}: 2 entries`);
    expect(r.stdout).toMatch(/KEY\s+SOURCE\s+SIZE\s+AGE\s+HITS\s+NOTE\s+COMPUTED FROM/);
    expect(r.stdout).toMatch(new RegExp(`${fresh.slice(0, 12)}\\s+K40_DomePMTs\\s+1\\.2k\\s+\\d+s\\s+0\\s+/data/SS_skim_K40_DomePMTs\\.root`));
    expect(r.stdout).toMatch(/Co60_DomePMTs\s+1\.2k\s+40d/);
  });

  it('prune removes entries unused for longer than asked', async () => {
    const { dir, fresh } = storeWithTwoEntries();
    const r = await mssi(['cache', 'prune', '--older-than', '30d', '--cache', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/removed 1 entry/);
    expect(new LocalCacheStore(dir).list().map((l) => l.key)).toEqual([fresh]);
  });

  it('clear removes everything; bad durations and locations are usage errors', async () => {
    const { dir } = storeWithTwoEntries();
    expect((await mssi(['cache', 'clear', '--cache', dir])).stdout).toMatch(/removed 2 entries/);
    expect(new LocalCacheStore(dir).list()).toEqual([]);
    const bad = await mssi(['cache', 'prune', '--older-than', 'soon', '--cache', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"soon" is not a duration/);
    const remote = await mssi(['cache', 'ls', '--cache', 'rucio:///lz']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/only local stores are supported/);
  });

  it('takes MSSI_CACHE from the environment', async () => {
    const { dir } = storeWithTwoEntries();
    const r = await mssi(['cache', 'ls', '--json'], { MSSI_CACHE: dir });
    expect((JSON.parse(r.stdout) as { entries: unknown[] }).entries).toHaveLength(2);
  });
});

describe('a cache location that cannot hold the cache', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'mssi-cacheloc-')), 'notes.txt');
  writeFileSync(file, 'a regular file\n');
  const cases: [string, RegExp][] = [
    // made mssi spin forever at 100% CPU (a recursive mkdir under /proc)
    ['/proc/nonexistent/deep/path', /cache location \/proc\/nonexistent\/deep\/path: cannot create \/proc\/nonexistent: ENOENT/],
    // ran with a warning per file and exit 0; the entry was called "corrupt"
    [join(file, 'cache'), new RegExp(`cache location ${file}/cache: is inside a regular file ${file}$`)],
  ];
  if (existsSync('/sys/kernel')) cases.push(['/sys/kernel/mssi-x', /cache location \/sys\/kernel\/mssi-x: cannot create it: E[A-Z]+ /]);
  const LZ_FILE = join(ROOT_DIR, 'fixtures', 'lz', 'SS_skim_K40_DomePMTs.root');
  const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');

  it.each(cases)('%s: run and cache exit 2 at once with one line saying why', async (location, why) => {
    const run = await mssi(['run', LZ_FILE, '--rates', RATES, '--cache', location, '--quiet'], {}, { timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^mssi run: ${why.source}`))]);
    const ls = await mssi(['cache', 'ls', '--cache', location], {}, { timeoutMs: 30_000 });
    expect(ls.code).toBe(2);
    expect(ls.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^mssi cache: ${why.source}`))]);
  });

  // root may write anywhere on a disk (chmod 0555 does not stop it); nobody can create files in /proc/self
  it('a folder that cannot be written: run and clear exit 2, ls and verify only look and work', async () => {
    const why = /cache location \/proc\/self: is not writable: /;
    const run = await mssi(['run', LZ_FILE, '--rates', RATES, '--cache', '/proc/self', '--quiet'], {}, { timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^mssi run: ${why.source}`))]);
    const clear = await mssi(['cache', 'clear', '--cache', '/proc/self'], {}, { timeoutMs: 30_000 });
    expect(clear.code).toBe(2);
    expect(clear.stderr).toMatch(new RegExp(`^mssi cache: ${why.source}`));
    for (const look of [['ls', '--json'], ['verify']]) {
      const r = await mssi(['cache', ...look, '--cache', '/proc/self'], {}, { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(0);
    }
  });
});

describe('durations', () => {
  it('parse and format', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('1.5w')).toBe(1.5 * 604_800_000);
    expect(() => parseDuration('30')).toThrow(/not a duration/);
    expect(formatAge(90_000)).toBe('90s');
    expect(formatAge(3 * 86_400_000)).toBe('3d');
  });
});
