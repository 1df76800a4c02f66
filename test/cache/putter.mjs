// Writes cache entries as fast as it can until killed (test/cache/killed.test.ts).
import { LocalCacheStore } from '../../dist/src/cache/store.js';
import { cacheKey } from '../../dist/src/cache/key.js';
import { modelFromJson } from '../../dist/src/model/codec.js';

const store = new LocalCacheStore(process.argv[2]);
const given = JSON.parse(process.argv[3]);
const result = { ...given, model: modelFromJson(given.model) };
process.send?.('started');
for (let i = 0; ; i++) {
  const hash = i.toString(16).padStart(64, '0');
  // Big enough that a write takes a while: a kill is likely to land inside one.
  store.put(cacheKey(hash), { ...result, contentHash: hash, computedFrom: `/data/${'x'.repeat(20000)}-${i}.root` });
}
