// The cache key: what decides a file's result. The file's bytes, and the
// selection's definition (cut constants, branches read, result layout). The
// backend is not part of it: CPU and GPU results are equal by contract.

import { BRANCHES_READ } from '../analysis/lzColumns.js';
import { RESULT_SCHEMA_VERSION } from '../result.js';
import * as cuts from '../selection/cuts.js';
import { hashText } from './hash.js';

/**
 * Bump when the selection's semantics change in a way its constants do not show
 * (e.g. a fix in how a comparison is made).
 */
export const SELECTION_REVISION = 1;

export interface SelectionDefinition {
  readonly revision: number;
  readonly resultSchema: number;
  readonly cuts: Record<string, unknown>;
  readonly branches: Readonly<Record<string, readonly string[]>>;
}

export function currentSelectionDefinition(): SelectionDefinition {
  const constants: Record<string, unknown> = {};
  // By code point, not localeCompare: the same order for these names, without the
  // ~15 ms that building ICU's collator adds to every run's start.
  for (const [name, value] of Object.entries(cuts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof value !== 'function') constants[name] = value;
  }
  return { revision: SELECTION_REVISION, resultSchema: RESULT_SCHEMA_VERSION, cuts: constants, branches: BRANCHES_READ };
}

export function selectionHash(definition: SelectionDefinition = currentSelectionDefinition()): string {
  return hashText(JSON.stringify(definition));
}

export function cacheKey(contentHash: string, selection: string = selectionHash()): string {
  return hashText(`mssi-cache-key\n${contentHash}\n${selection}`);
}

/**
 * The key of an entry range's result (a plan's task of a big file): its own entry, so
 * that a re-run of a shard reads nothing. Whole files keep cacheKey.
 */
export function rangeCacheKey(contentHash: string, range: { readonly start: number; readonly stop: number }, selection: string = selectionHash()): string {
  return hashText(`mssi-cache-key-range\n${contentHash}\n${selection}\n${range.start}\n${range.stop}`);
}
