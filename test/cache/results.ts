import { selectionHash } from '../../src/cache/key.js';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import type { CachedResult } from '../../src/cache/store.js';
import { modelHolding } from '../model/models.js';

/** A plausible cached result, with fields overridable. */
export function cachedResult(over: Partial<CachedResult> = {}): CachedResult {
  const counts = over.counts ?? { nSS: 10, nSSFV: 5, nSSFVROI: 3, nMSSI: 2, nMSSIFV: 1, nMSSIFVROI: 1 };
  return {
    counts,
    model: modelHolding(counts),
    eventWeight: 0.25,
    contentHash: 'c'.repeat(64),
    selectionHash: selectionHash(DEFAULT_SELECTION),
    backend: 'cpu',
    computedFrom: '/data/SS_skim_A.root',
    fileSizeBytes: 1234,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
