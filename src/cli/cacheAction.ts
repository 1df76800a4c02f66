// `mssi cache ls | verify | prune | clear`: what they do (their options are in cache.ts).

import { existsSync } from 'node:fs';
import { formatAge } from '../cache/duration.js';
import { hashFile } from '../cache/hash.js';
import { selectionHash } from '../cache/key.js';
import { DEFAULT_SELECTION } from '../selection/definition.js';
import { defaultCacheLocation, LocalCacheStore, type CacheListing } from '../cache/store.js';
import { sourceOfPath } from '../result.js';
import { EXIT } from './exit.js';
import type { CacheSubcommand } from './cache.js';

interface StoreOption {
  cache?: string;
}

type Access = 'readWrite' | 'readOnly';

/** Checked once before use: created if missing, a folder (writable, unless only looked at), else exit 2 with why. */
function openStore(options: StoreOption, access: Access): LocalCacheStore {
  return LocalCacheStore.open(options.cache ?? defaultCacheLocation(), access);
}

function withStore<O extends StoreOption>(action: (store: LocalCacheStore, options: O) => number, options: O, access: Access = 'readWrite'): number {
  try {
    return action(openStore(options, access), options);
  } catch (err) {
    process.stderr.write(`mssi cache: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
}

function listingJson(l: CacheListing, now: number) {
  return {
    key: l.key,
    source: l.result ? sourceOfPath(l.result.computedFrom) : null,
    computedFrom: l.result?.computedFrom ?? null,
    contentHash: l.result?.contentHash ?? null,
    fileSizeBytes: l.result?.fileSizeBytes ?? null,
    entryBytes: l.entryBytes,
    createdAt: new Date(l.modifiedMs).toISOString(),
    ageSeconds: Math.round((now - l.modifiedMs) / 1000),
    lastUsedAt: new Date(l.lastUsedMs).toISOString(),
    hits: l.hits,
    /** Whether the entry is of the default selection (this mssi's hash of it); see selectionHash. */
    currentSelection: l.result ? l.result.selectionHash === selectionHash(DEFAULT_SELECTION) : null,
    selectionHash: l.result?.selectionHash ?? null,
    counts: l.result?.counts ?? null,
    eventWeight: l.result?.eventWeight ?? null,
    /** Set for the result of an entry range (a plan's task of a big file). */
    range: l.result?.range ?? null,
    problem: l.problem,
  };
}

function megabytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)}M` : `${(bytes / 1024).toFixed(1)}k`;
}

function noteOf(result: NonNullable<CacheListing['result']>, selection: string): string {
  const notes = [result.range ? `entries ${result.range.start} to ${result.range.stop}` : '', result.selectionHash === selection ? '' : 'other selection'];
  return notes.filter(Boolean).join(', ');
}

function list(store: LocalCacheStore, options: StoreOption & { json?: boolean }): number {
  const now = Date.now();
  const listings = store.list();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ location: store.location, entries: listings.map((l) => listingJson(l, now)) }, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(`cache ${store.location}: ${listings.length} entr${listings.length === 1 ? 'y' : 'ies'}\n`);
  if (listings.length === 0) return EXIT.ok;
  const current = selectionHash(DEFAULT_SELECTION);
  const rows = listings.map((l) => [
    l.key.slice(0, 12),
    l.result ? sourceOfPath(l.result.computedFrom) : '(corrupt)',
    l.result ? megabytes(l.result.fileSizeBytes) : '',
    formatAge(now - l.modifiedMs),
    String(l.hits),
    l.result ? noteOf(l.result, current) : (l.problem ?? ''),
    l.result?.computedFrom ?? '',
  ]);
  const header = ['KEY', 'SOURCE', 'SIZE', 'AGE', 'HITS', 'NOTE', 'COMPUTED FROM'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  for (const r of [header, ...rows]) {
    process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}\n`);
  }
  return EXIT.ok;
}

function verify(store: LocalCacheStore, options: StoreOption & { remove?: boolean }): number {
  let corrupt = 0;
  let changed = 0;
  const listings = store.list();
  for (const l of listings) {
    if (!l.result) {
      corrupt++;
      process.stdout.write(`CORRUPT  ${l.key}: ${l.problem}${options.remove ? ' (removed)' : ''}\n`);
      if (options.remove) store.remove(l.key);
      continue;
    }
    const from = l.result.computedFrom;
    // Re-hash the file the entry came from: a different hash means the file changed since
    // (the entry is still right for the old content, and a run of the new one misses it).
    if (existsSync(from) && hashFile(from) !== l.result.contentHash) {
      changed++;
      process.stdout.write(`CHANGED  ${l.key}: ${from} no longer has the content this entry was computed from\n`);
    }
  }
  process.stdout.write(
    `${listings.length} entr${listings.length === 1 ? 'y' : 'ies'} checked: ${corrupt} corrupt, ${changed} whose file changed since\n`,
  );
  return corrupt > 0 && !options.remove ? EXIT.failure : EXIT.ok;
}

function prune(store: LocalCacheStore, options: StoreOption & { olderThan: number }): number {
  const now = Date.now();
  let removed = 0;
  for (const l of store.list()) {
    if (!l.result || now - l.lastUsedMs > options.olderThan) {
      store.remove(l.key);
      removed++;
    }
  }
  const temporaries = store.removeStaleTemporaries(Math.min(options.olderThan, 3_600_000));
  process.stdout.write(`removed ${removed} entr${removed === 1 ? 'y' : 'ies'} and ${temporaries} stale temporary file(s)\n`);
  return EXIT.ok;
}

function clear(store: LocalCacheStore): number {
  const n = store.list().length;
  store.clear();
  process.stdout.write(`removed ${n} entr${n === 1 ? 'y' : 'ies'} from ${store.location}\n`);
  return EXIT.ok;
}

export interface CacheOptions {
  cache?: string;
  json?: boolean;
  remove?: boolean;
  olderThan?: number;
}

/** One subcommand of `mssi cache`, its exit status. */
export function cacheAction(subcommand: CacheSubcommand, options: CacheOptions): number {
  switch (subcommand) {
    case 'ls':
      return withStore(list, options, 'readOnly');
    case 'verify':
      return withStore(verify, options, options.remove ? 'readWrite' : 'readOnly');
    case 'prune':
      return withStore(prune, { ...options, olderThan: options.olderThan! });
    case 'clear':
      return withStore(clear, options);
  }
}
