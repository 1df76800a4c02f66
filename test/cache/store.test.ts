import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheKey, currentSelectionDefinition, selectionHash } from '../../src/cache/key.js';
import {
  CacheLocationError,
  defaultCacheLocation,
  LocalCacheStore,
  localCachePath,
  prepareCacheFolder,
} from '../../src/cache/store.js';
import { hashFile, statIdentity } from '../../src/cache/hash.js';
import { cachedResult } from './results.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mssi-cache-'));

describe('cache key', () => {
  it('changes with the content and with the selection definition', () => {
    const a = cacheKey('a'.repeat(64));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey('b'.repeat(64))).not.toBe(a);
    const def = currentSelectionDefinition();
    const changedCut = { ...def, cuts: { ...def.cuts, S1C_MAX_PHD: 601 } };
    expect(selectionHash(changedCut)).not.toBe(selectionHash(def));
    expect(cacheKey('a'.repeat(64), selectionHash(changedCut))).not.toBe(a);
    const otherBranches = { ...def, branches: { ...def.branches, Scatters: ['ss.x_cm'] } };
    expect(selectionHash(otherBranches)).not.toBe(selectionHash(def));
  });

  it('covers the cut constants', () => {
    expect(currentSelectionDefinition().cuts).toMatchObject({ DRIFT_MIN_US: 71, S2_RAW_MIN_PHD: 645.25 });
  });

  it('is the hash the existing caches were written under (the constants in the same order)', () => {
    // A change here (another order of the constants, another serialisation) would make
    // every user's cache miss: it must come with a changed selection.
    expect(Object.keys(currentSelectionDefinition().cuts)).toEqual([
      'DRIFT_MAX_US',
      'DRIFT_MIN_US',
      'LOG10_S2C_MAX',
      'S1C_MAX_PHD',
      'S1C_MIN_PHD',
      'S2_RAW_MIN_PHD',
      'SKIPPED_VOLUME_SUBSTRINGS',
      'WALL_MARGIN_CM',
      'WALL_POLY',
    ]);
    expect(selectionHash()).toBe('83639f1c23841fd9e8bdd37f541ef7fbb9ad0c6aff96dc85433c2d041ec09568');
  });
});

describe('local cache store', () => {
  it('misses, stores, hits and counts hits', () => {
    const store = new LocalCacheStore(tmp());
    const key = cacheKey('1'.repeat(64));
    expect(store.get(key)).toEqual({ status: 'miss' });
    store.put(key, cachedResult());
    expect(store.get(key)).toEqual({ status: 'hit', result: cachedResult() });
    store.get(key);
    const [listing] = store.list();
    expect(listing).toMatchObject({ key, hits: 2, problem: null });
    expect(listing!.result).toEqual(cachedResult());
  });

  it('keeps NaN and infinite weights', () => {
    const store = new LocalCacheStore(tmp());
    const key = cacheKey('2'.repeat(64));
    store.put(key, cachedResult({ eventWeight: NaN }));
    const got = store.get(key);
    expect(got.status === 'hit' && got.result.eventWeight).toBeNaN();
    store.put(key, cachedResult({ eventWeight: null }));
    const empty = store.get(key);
    expect(empty.status === 'hit' && empty.result.eventWeight).toBeNull();
  });

  it('detects an altered or truncated entry', () => {
    const dir = tmp();
    const store = new LocalCacheStore(dir);
    const key = cacheKey('3'.repeat(64));
    store.put(key, cachedResult());
    const path = join(dir, 'v1', 'entries', key.slice(0, 2), `${key}.json`);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"nSS\\":10', '"nSS\\":11'));
    expect(store.get(key)).toEqual({ status: 'corrupt', reason: expect.stringMatching(/checksum mismatch/) });
    writeFileSync(path, text.slice(0, 40));
    expect(store.get(key)).toEqual({ status: 'corrupt', reason: expect.stringMatching(/not valid JSON/) });
    expect(store.list()[0]).toMatchObject({ key, result: null, problem: expect.stringMatching(/not valid JSON/) });
    store.remove(key);
    expect(store.get(key)).toEqual({ status: 'miss' });
  });

  it('clears', () => {
    const store = new LocalCacheStore(tmp());
    store.put(cacheKey('4'.repeat(64)), cachedResult());
    store.clear();
    expect(store.list()).toEqual([]);
  });

  it('memoises a content hash for an unchanged stat identity only', () => {
    const dir = tmp();
    const store = new LocalCacheStore(join(dir, 'cache'));
    const file = join(dir, 'f.root');
    writeFileSync(file, 'abc');
    const id = statIdentity(file);
    expect(store.memoGet(file, id)).toBeNull();
    store.memoPut(file, id, hashFile(file));
    expect(store.memoGet(file, id)).toBe(hashFile(file));
    writeFileSync(file, 'abd');
    expect(store.memoGet(file, statIdentity(file))).toBeNull();
  });

  it('leaves no temporary files behind', () => {
    const dir = tmp();
    const store = new LocalCacheStore(dir);
    const key = cacheKey('5'.repeat(64));
    store.put(key, cachedResult());
    store.put(key, cachedResult());
    expect(readdirSync(join(dir, 'v1', 'entries', key.slice(0, 2)))).toEqual([`${key}.json`]);
  });
});

describe('cache location', () => {
  it('takes a path or a file:// URL', () => {
    expect(localCachePath('/tmp/x')).toBe('/tmp/x');
    expect(localCachePath(pathToFileURL('/tmp/dask-cache').href)).toBe('/tmp/dask-cache');
    expect(localCachePath('file:///tmp/dask-cache_05022025')).toBe('/tmp/dask-cache_05022025');
  });
  it('refuses remote schemes clearly', () => {
    expect(() => localCachePath('rucio:///x')).toThrow(CacheLocationError);
    expect(() => localCachePath('dirac:///x')).toThrow(/only local stores are supported/);
  });
  it('is created when missing, each folder on its way in turn', () => {
    const dir = join(tmp(), 'a', 'b', 'c');
    prepareCacheFolder(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual([]); // the probe is gone
    prepareCacheFolder(dir); // and an existing one is fine
    expect(LocalCacheStore.open(dir).location).toBe(dir);
  });

  it.each([
    // a recursive mkdirSync loops forever here: mkdir says ENOENT for a parent that exists
    ['/proc/nonexistent/deep/path', /^cache location \/proc\/nonexistent\/deep\/path: cannot create \/proc\/nonexistent: ENOENT/],
    ['/proc/self', /^cache location \/proc\/self: is not writable: /],
  ])('refuses %s with why', (dir, message) => {
    expect(() => prepareCacheFolder(dir)).toThrow(CacheLocationError);
    expect(() => prepareCacheFolder(dir)).toThrow(message);
  });

  it.skipIf(!existsSync('/sys/kernel'))('refuses a folder it cannot create under /sys', () => {
    expect(() => prepareCacheFolder('/sys/kernel/mssi-x')).toThrow(/^cache location \/sys\/kernel\/mssi-x: cannot create it: E[A-Z]+ /);
  });

  it('refuses a path inside a regular file, and a regular file', () => {
    const file = join(tmp(), 'notes.txt');
    writeFileSync(file, 'x');
    expect(() => prepareCacheFolder(join(file, 'cache'))).toThrow(`cache location ${file}/cache: is inside a regular file ${file}`);
    expect(() => prepareCacheFolder(file)).toThrow(`cache location ${file}: is a regular file, not a folder`);
  });

  it('defaults to MSSI_CACHE, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheLocation({ MSSI_CACHE: '/c' })).toBe('/c');
    expect(defaultCacheLocation({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/mssi');
    expect(defaultCacheLocation({})).toMatch(/\.cache\/mssi$/);
  });
});

describe('hashing', () => {
  it('is the SHA-256 of the bytes', () => {
    const dir = tmp();
    const file = join(dir, 'f');
    writeFileSync(file, 'abc');
    expect(hashFile(file)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
