import type { FileResult } from '../../src/result.js';
import { sourceOfPath } from '../../src/result.js';
import type { SelectionCounts } from '../../src/selection/types.js';
import { modelHolding } from '../model/models.js';

export function resultOf(path: string, counts: Partial<SelectionCounts>, eventWeight: number | null): FileResult {
  const all = { nSS: 0, nSSFV: 0, nSSFVROI: 0, nMSSI: 0, nMSSIFV: 0, nMSSIFVROI: 0, ...counts };
  return {
    path,
    source: sourceOfPath(path),
    counts: all,
    model: modelHolding(all),
    eventWeight,
    contentHash: 'ab'.repeat(16),
    backend: 'cpu',
    fromCache: false,
    timings: { readMs: 1, selectMs: 1, totalMs: 2 },
  };
}
