// The result cache: an interface (so a remote store can be added later) and the
// local on-disk store. Entries are written to a temporary name and renamed, so a
// crash or two concurrent runs never leave a half entry; each entry carries a
// checksum of its payload, so a corrupt one is detected rather than believed.

import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, parse, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelTotals, modelFromJson, modelToJson } from '../model/codec.js';
import type { ModelCounts } from '../model/types.js';
import type { BackendName } from '../result.js';
import { COUNT_KEYS, type SelectionCounts } from '../selection/types.js';
import { atomicWrite, writeThenRename } from './atomicWrite.js';
import { hashText, sameIdentity, type StatIdentity } from './hash.js';

/** What is cached for a (file content, selection) pair. The Source is not: it comes from the file's current name. */
export interface CachedResult {
  readonly counts: SelectionCounts;
  /** The model's binned counts (stored sparse: src/model/codec.ts). */
  readonly model: ModelCounts;
  readonly eventWeight: number | null;
  readonly contentHash: string;
  readonly selectionHash: string;
  /** The backend that computed it (informational: results are backend-independent). */
  readonly backend: BackendName;
  /** Absolute path of the file it was computed from. */
  readonly computedFrom: string;
  readonly fileSizeBytes: number;
  readonly createdAt: string;
  /** Entries of the file (absent in entries written before it was recorded). */
  readonly fileEntries?: number;
  /** Set for the result of an entry range of the file (a plan's task); absent for the whole file. */
  readonly range?: { readonly start: number; readonly stop: number };
}

export type CacheLookup =
  | { readonly status: 'hit'; readonly result: CachedResult }
  | { readonly status: 'miss' }
  | { readonly status: 'corrupt'; readonly reason: string };

export interface CacheListing {
  readonly key: string;
  /** null when the entry cannot be read back (corrupt). */
  readonly result: CachedResult | null;
  readonly problem: string | null;
  readonly entryBytes: number;
  /** When the entry was written. */
  readonly modifiedMs: number;
  /** When it was last written or served. */
  readonly lastUsedMs: number;
  readonly hits: number;
}

export interface CacheStore {
  /** Where the store is, for messages. */
  readonly location: string;
  get(key: string): CacheLookup;
  put(key: string, result: CachedResult): void;
  list(): CacheListing[];
  remove(key: string): void;
  clear(): void;
  /** Removes temporary files of writers that died before they renamed (older than `olderThanMs`); returns how many. */
  removeStaleTemporaries(olderThanMs: number): number;
  /** A content hash remembered for a path with exactly this stat identity, or null. */
  memoGet(path: string, identity: StatIdentity): string | null;
  memoPut(path: string, identity: StatIdentity, contentHash: string): void;
}

export class CacheLocationError extends Error {
  constructor(location: string, detail: string) {
    super(`cache location ${location}: ${detail}`);
    this.name = 'CacheLocationError';
  }
}

const ENTRY_FORMAT = 'mssi-cache-entry/1';
const LAYOUT = 'v1';

interface EntryFile {
  readonly format: string;
  readonly key: string;
  readonly checksum: string;
  /** The CachedResult as JSON text; eventWeight NaN/Inf survive as strings. */
  readonly payload: string;
}

/** JSON cannot hold NaN or infinities; a weight can: they are written as { "nonFinite": "NaN" }. */
export function stringifyNonFinite(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { nonFinite: String(v) } : v),
    indent,
  );
}

/** Reads what stringifyNonFinite wrote. */
export function parseNonFinite(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && 'nonFinite' in v) return Number((v as { nonFinite: string }).nonFinite);
    return v;
  });
}

const encodeResult = (result: CachedResult): string => stringifyNonFinite({ ...result, model: modelToJson(result.model) });
const decodeResult = (text: string): unknown => parseNonFinite(text);

function isCachedResult(v: unknown): v is CachedResult {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  const counts = r.counts as Record<string, unknown> | undefined;
  return (
    typeof counts === 'object' &&
    counts !== null &&
    COUNT_KEYS.every((k) => Number.isInteger(counts[k])) &&
    (r.eventWeight === null || typeof r.eventWeight === 'number') &&
    typeof r.contentHash === 'string' &&
    typeof r.selectionHash === 'string' &&
    typeof r.computedFrom === 'string'
  );
}

/** Parses `file:///path` or a plain path. */
export function localCachePath(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    if (!location.startsWith('file://')) {
      throw new CacheLocationError(location, 'only local stores are supported (a path or file:///path)');
    }
    try {
      return fileURLToPath(location);
    } catch (err) {
      throw new CacheLocationError(location, (err as Error).message);
    }
  }
  return resolve(location);
}

/** `MSSI_CACHE`, else $XDG_CACHE_HOME/mssi, else ~/.cache/mssi. */
export function defaultCacheLocation(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MSSI_CACHE) return env.MSSI_CACHE;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'mssi');
}

export class LocalCacheStore implements CacheStore {
  readonly location: string;
  private readonly entriesDir: string;
  private readonly memoDir: string;

  constructor(location: string) {
    this.location = localCachePath(location);
    this.entriesDir = join(this.location, LAYOUT, 'entries');
    this.memoDir = join(this.location, LAYOUT, 'memo');
  }

  /**
   * The store at `location`, checked once before use (see prepareCacheFolder); throws
   * CacheLocationError. `readOnly`: only looked at (`cache ls`, `verify`), so an existing
   * folder that cannot be written is still usable.
   */
  static open(location: string, access: 'readWrite' | 'readOnly' = 'readWrite'): LocalCacheStore {
    const store = new LocalCacheStore(location);
    prepareCacheFolder(store.location, access);
    return store;
  }

  private entryPath(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`not a cache key: ${key}`);
    return join(this.entriesDir, key.slice(0, 2), `${key}.json`);
  }

  private hitsPath(key: string): string {
    return this.entryPath(key).replace(/\.json$/, '.hits');
  }

  get(key: string): CacheLookup {
    let text: string;
    try {
      text = readFileSync(this.entryPath(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'miss' };
      return { status: 'corrupt', reason: `cannot be read (${(err as Error).message})` };
    }
    const parsed = this.parseEntry(key, text);
    if ('problem' in parsed) return { status: 'corrupt', reason: parsed.problem };
    try {
      // One byte per hit: appends are atomic enough, and concurrent runs never rewrite the entry.
      appendFileSync(this.hitsPath(key), '.');
    } catch {
      // A read-only cache still serves hits.
    }
    return { status: 'hit', result: parsed.result };
  }

  private parseEntry(key: string, text: string): { result: CachedResult } | { problem: string } {
    let entry: EntryFile;
    try {
      entry = JSON.parse(text) as EntryFile;
    } catch {
      return { problem: 'not valid JSON (truncated or overwritten)' };
    }
    if (entry.format !== ENTRY_FORMAT) return { problem: `unknown entry format ${String(entry.format)}` };
    if (entry.key !== key) return { problem: `entry holds key ${String(entry.key)}` };
    if (typeof entry.payload !== 'string' || hashText(entry.payload) !== entry.checksum) {
      return { problem: 'checksum mismatch (the entry was altered or damaged)' };
    }
    let result: unknown;
    try {
      result = decodeResult(entry.payload);
    } catch {
      return { problem: 'payload is not valid JSON' };
    }
    if (!isCachedResult(result)) return { problem: 'payload does not have the fields of a result' };
    try {
      const model = modelFromJson((result as { model?: unknown }).model);
      checkModelTotals(model, result.counts);
      return { result: { ...result, model } };
    } catch (err) {
      return { problem: `payload's ${(err as Error).message}` };
    }
  }

  put(key: string, result: CachedResult): void {
    const path = this.entryPath(key);
    const payload = encodeResult(result);
    const entry: EntryFile = { format: ENTRY_FORMAT, key, checksum: hashText(payload), payload };
    atomicWrite(path, `${JSON.stringify(entry)}\n`);
  }

  list(): CacheListing[] {
    const listings: CacheListing[] = [];
    for (const shard of safeReaddir(this.entriesDir)) {
      for (const name of safeReaddir(join(this.entriesDir, shard))) {
        const m = /^([0-9a-f]{64})\.json$/.exec(name);
        if (!m) continue;
        const key = m[1]!;
        const path = join(this.entriesDir, shard, name);
        let stat;
        let text;
        try {
          stat = statSync(path);
          text = readFileSync(path, 'utf8');
        } catch {
          continue; // removed meanwhile
        }
        const parsed = this.parseEntry(key, text);
        listings.push({
          key,
          result: 'result' in parsed ? parsed.result : null,
          problem: 'problem' in parsed ? parsed.problem : null,
          entryBytes: stat.size,
          modifiedMs: stat.mtimeMs,
          lastUsedMs: Math.max(stat.mtimeMs, fileStat(this.hitsPath(key))?.mtimeMs ?? 0),
          hits: fileStat(this.hitsPath(key))?.size ?? 0,
        });
      }
    }
    return listings.sort((a, b) => b.modifiedMs - a.modifiedMs || a.key.localeCompare(b.key));
  }

  remove(key: string): void {
    rmSync(this.entryPath(key), { force: true });
    rmSync(this.hitsPath(key), { force: true });
  }

  clear(): void {
    rmSync(join(this.location, LAYOUT), { recursive: true, force: true });
  }

  removeStaleTemporaries(olderThanMs: number): number {
    let removed = 0;
    const now = Date.now();
    const dirs = [this.memoDir, ...safeReaddir(this.entriesDir).map((shard) => join(this.entriesDir, shard))];
    for (const dir of dirs) {
      for (const name of safeReaddir(dir)) {
        if (!name.endsWith('.tmp')) continue;
        const path = join(dir, name);
        const st = fileStat(path);
        if (st && now - st.mtimeMs > olderThanMs) {
          rmSync(path, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  private memoPath(path: string): string {
    return join(this.memoDir, `${hashText(resolve(path))}.json`);
  }

  memoGet(path: string, identity: StatIdentity): string | null {
    try {
      const memo = JSON.parse(readFileSync(this.memoPath(path), 'utf8')) as {
        path: string;
        identity: StatIdentity;
        contentHash: string;
      };
      if (memo.path !== resolve(path) || !sameIdentity(memo.identity, identity)) return null;
      return /^[0-9a-f]{64}$/.test(memo.contentHash) ? memo.contentHash : null;
    } catch {
      return null;
    }
  }

  memoPut(path: string, identity: StatIdentity, contentHash: string): void {
    atomicWrite(this.memoPath(path), JSON.stringify({ path: resolve(path), identity, contentHash }));
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function fileStat(path: string): { size: number; mtimeMs: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

const errnoText = (err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code} (${e.message.replace(/^[A-Z]+: /, '')})` : String(e.message ?? err);
};

/**
 * Makes sure `dir` (absolute) can hold the cache: each missing folder on its way is
 * created in turn (a recursive mkdirSync loops forever under /proc, where mkdir says
 * ENOENT for a parent that exists), it is a folder, and a file can be written in it
 * the way entries are (a temporary name, then a rename). Throws CacheLocationError.
 */
export function prepareCacheFolder(dir: string, access: 'readWrite' | 'readOnly' = 'readWrite'): void {
  const root = parse(dir).root;
  let at = root;
  for (const part of relative(root, dir).split(sep).filter(Boolean)) {
    at = join(at, part);
    let stat;
    try {
      stat = statSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CacheLocationError(dir, `cannot look at ${at}: ${errnoText(err)}`);
      try {
        mkdirSync(at);
        continue;
      } catch (made) {
        // another run may have made it meanwhile
        if ((made as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new CacheLocationError(dir, `cannot create ${at === dir ? 'it' : at}: ${errnoText(made)}`);
        }
        stat = statSync(at);
      }
    }
    if (!stat.isDirectory()) {
      const what = stat.isFile() ? 'a regular file' : 'something that is not a folder';
      throw new CacheLocationError(dir, at === dir ? `is ${what}, not a folder` : `is inside ${what} ${at}`);
    }
  }
  if (access === 'readOnly') return;
  const probe = join(dir, `.mssi-probe-${process.pid}`);
  try {
    writeThenRename(probe, '');
    unlinkSync(probe);
  } catch (err) {
    throw new CacheLocationError(dir, `is not writable: ${errnoText(err)}`);
  }
}
