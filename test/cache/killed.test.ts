import { describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalCacheStore } from '../../src/cache/store.js';
import { modelToJson } from '../../src/model/codec.js';
import { cachedResult } from './results.js';

describe('a writer killed mid-way', () => {
  it('leaves only whole entries (and temporaries that prune removes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-killed-'));
    // the model as the cache stores it (sparse): its 10,004 cells whole would not fit in argv
    const given = cachedResult();
    const child = fork(fileURLToPath(new URL('./putter.mjs', import.meta.url)), [dir, JSON.stringify({ ...given, model: modelToJson(given.model) })]);
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = new LocalCacheStore(dir);
    const listings = store.list();
    expect(listings.length).toBeGreaterThan(5);
    for (const l of listings) {
      expect(l.problem, l.key).toBeNull();
      expect(store.get(l.key).status).toBe('hit');
    }
    store.removeStaleTemporaries(-1);
    const leftovers = readdirSync(join(dir, 'v1', 'entries'), { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });
});
