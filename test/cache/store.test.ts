import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheKey, selectionHash } from '../../src/cache/key.js';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import {
  CacheLocationError,
  defaultCacheLocation,
  LocalCacheStore,
  localCachePath,
  prepareCacheFolder,
} from '../../src/cache/store.js';
import { hashFile, hashText, statIdentity } from '../../src/cache/hash.js';
import { cachedResult } from './results.js';
import { MSSI_CELL, SS_CELL } from '../model/models.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mssi-cache-'));

const SELECTION = selectionHash(DEFAULT_SELECTION);

describe('cache key', () => {
  it('changes with the content and with the selection', () => {
    const a = cacheKey('a'.repeat(64), SELECTION);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey('b'.repeat(64), SELECTION)).not.toBe(a);
    const changedCut = { ...DEFAULT_SELECTION, roi: { ...DEFAULT_SELECTION.roi, cs1Phd: [3, 601] as const } };
    expect(selectionHash(changedCut)).not.toBe(SELECTION);
    expect(cacheKey('a'.repeat(64), selectionHash(changedCut))).not.toBe(a);
    const otherBranches = { ...DEFAULT_SELECTION, branches: { ...DEFAULT_SELECTION.branches, x_cm: 'ss.x' } };
    expect(selectionHash(otherBranches)).not.toBe(SELECTION);
    const otherBins = { ...DEFAULT_SELECTION, model: { ...DEFAULT_SELECTION.model, cs1Bins: { count: 60, low: 0, high: 600 } } };
    expect(selectionHash(otherBins)).not.toBe(SELECTION);
  });

  it('is the hash of the selection by value (a copy, integers written as floats: the same hash)', () => {
    const copy = JSON.parse(JSON.stringify(DEFAULT_SELECTION)) as typeof DEFAULT_SELECTION;
    expect(selectionHash(copy)).toBe(SELECTION);
  });

  it("is the default selection's pinned hash (RESULT_SCHEMA_VERSION 2: results carry the model's counts; a change makes every user's cache miss: it must come with a changed selection)", () => {
    expect(SELECTION).toBe('2477ecbf3c9883141c2d644cf32e9619610cad0e43f3df15791e10cfadad83b5');
  });
});

describe('local cache store', () => {
  it('misses, stores, hits and counts hits', () => {
    const store = new LocalCacheStore(tmp());
    const key = cacheKey('1'.repeat(64), SELECTION);
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
    const key = cacheKey('2'.repeat(64), SELECTION);
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
    const key = cacheKey('3'.repeat(64), SELECTION);
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

  it("stores the model's counts sparse and refuses a damaged model as corrupt, naming the field", () => {
    const dir = tmp();
    const store = new LocalCacheStore(dir);
    const key = cacheKey('5'.repeat(64), SELECTION);
    store.put(key, cachedResult());
    const path = join(dir, 'v1', 'entries', key.slice(0, 2), `${key}.json`);
    const entry = JSON.parse(readFileSync(path, 'utf8')) as { payload: string; checksum: string };
    const payload = JSON.parse(entry.payload);
    // two non-empty cells of 10,004: stored as pairs, not as the whole layout
    expect(payload.model.ss).toEqual({ cells: [[MSSI_CELL, 1], [SS_CELL, 2]], nan: 0 });
    expect(payload.model.mssi).toEqual({ cells: [[MSSI_CELL, 1]], nan: 0 });
    const rewrite = (edit: (p: any) => void) => {
      const p = JSON.parse(entry.payload);
      edit(p);
      const text = JSON.stringify(p);
      writeFileSync(path, JSON.stringify({ ...entry, payload: text, checksum: hashText(text) }));
      return store.get(key);
    };
    const corrupt = (reason: string) => ({ status: 'corrupt', reason: `payload's ${reason}` });
    expect(rewrite((p) => (p.model.ss.cells[1][0] = 10_004))).toEqual(corrupt('model.ss.cells[1]: expected a cell index above 4885 and below 10004, got 10004'));
    expect(rewrite((p) => (p.model.ss.cells[1][0] = MSSI_CELL))).toEqual(corrupt(`model.ss.cells[1]: expected a cell index above 4885 and below 10004, got ${MSSI_CELL}`));
    expect(rewrite((p) => (p.model.ss.cells[1][1] = 2.5))).toEqual(corrupt('model.ss.cells[1]: expected a count (an integer >= 1), got 2.5'));
    expect(rewrite((p) => (p.model.mssi.nan = -1))).toEqual(corrupt('model.mssi.nan: expected a count (an integer >= 0), got -1'));
    expect(rewrite((p) => (p.model.ss.cells = { 4885: 1 }))).toEqual(corrupt('model.ss.cells: expected an array of [cell, count], got {"4885":1}'));
    expect(rewrite((p) => (p.model.x.count = 0))).toEqual(corrupt('model.x.count: expected an integer 1 to 100000, got 0'));
    expect(rewrite((p) => (p.model.mssi.cells[0][1] = 2))).toEqual(corrupt(`model.mssi.cells: cell ${MSSI_CELL} has 2 MSSI events but only 1 SS events`));
    expect(rewrite((p) => (p.model.ss.cells[1][1] = 3))).toEqual(corrupt('model.ss: holds 4 events (cells and NaN tally), the counts say nSSFVROI 3'));
    expect(rewrite((p) => delete p.model)).toEqual(corrupt("model: expected the model's counts {x, y, ss, mssi}, got nothing (the field is missing)"));
    // and unchanged, it is a hit again
    expect(rewrite(() => {})).toEqual({ status: 'hit', result: cachedResult() });
  });

  it('clears', () => {
    const store = new LocalCacheStore(tmp());
    store.put(cacheKey('4'.repeat(64), SELECTION), cachedResult());
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
    const key = cacheKey('5'.repeat(64), SELECTION);
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
