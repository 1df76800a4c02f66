// The cache key: what decides a file's result. The file's bytes, and the
// selection's definition (the effective selection, every number, name and
// substring of it; the result layout). The backend is not part of it: CPU and GPU
// results are equal by contract.

import { RESULT_SCHEMA_VERSION } from '../result.js';
import type { Selection } from '../selection/definition.js';
import { canonicalSelectionText } from '../selection/layout.js';
import { hashText } from './hash.js';

/**
 * Bump when the selection's semantics change in a way its numbers do not show
 * (e.g. a fix in how a comparison is made).
 */
export const SELECTION_REVISION = 1;

/**
 * The hash of a selection as the cache keys, plans and reports name it: of its
 * canonical text (layout.ts: fixed key order, numbers by float64 value), so a
 * reordered or re-commented file with the same meaning has the same hash.
 */
export function selectionHash(selection: Selection): string {
  return hashText(`mssi-selection\nrevision ${SELECTION_REVISION}\nresult schema ${RESULT_SCHEMA_VERSION}\n${canonicalSelectionText(selection)}`);
}

export function cacheKey(contentHash: string, selection: string): string {
  return hashText(`mssi-cache-key\n${contentHash}\n${selection}`);
}

/**
 * The key of an entry range's result (a plan's task of a big file): its own entry, so
 * that a re-run of a shard reads nothing. Whole files keep cacheKey.
 */
export function rangeCacheKey(contentHash: string, range: { readonly start: number; readonly stop: number }, selection: string): string {
  return hashText(`mssi-cache-key-range\n${contentHash}\n${selection}\n${range.start}\n${range.stop}`);
}
