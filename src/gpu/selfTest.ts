// The known-answer test every adapter must pass before its answers are used:
// the real kernel, through the real selector, with the default selection's
// uniforms, on events around every cut and bin edge, against the float64
// reference (counts and model cells). Catches drivers that compute garbage
// without an error (Dawn's null backend) or that miscompile the kernel.

import type { ModelCounts } from '../model/types.js';
import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import { selectReference } from '../selection/reference.js';
import { COUNT_KEYS, zeroCounts, type EventColumns, type SelectionCounts } from '../selection/types.js';
import { boundaryEvents } from './boundaryEvents.js';
import { select64, zeroModel } from './float64.js';

const SELF_TEST_EVENTS = 20_000;
const SELF_TEST_SEED = 0x5e1f7e57;
/** A sound kernel flags a small share of these events (those within a hair of the wall); far more is a broken device. */
const MAX_FLAGGED_SHARE = 0.2;

interface KnownAnswer {
  readonly columns: EventColumns;
  readonly expected: SelectionCounts;
  readonly model: ModelCounts;
}
let cached: KnownAnswer | undefined;

function knownAnswer(): KnownAnswer {
  if (!cached) {
    const columns = boundaryEvents(SELF_TEST_EVENTS, SELF_TEST_SEED);
    const model = zeroModel(DEFAULT_SELECTION);
    select64(columns, DEFAULT_SELECTION, 0, columns.entries, zeroCounts(), model);
    cached = { columns, expected: selectReference(columns), model };
  }
  return cached;
}

/** "ss cell 123: 4 instead of 5", for the first few cells that differ (empty when equal). */
export function modelDifferences(got: ModelCounts, expected: ModelCounts, max = 3): string[] {
  const out: string[] = [];
  for (const h of ['ss', 'mssi'] as const) {
    if (got[h].nan !== expected[h].nan) out.push(`${h} NaN tally ${got[h].nan} instead of ${expected[h].nan}`);
    const a = got[h].cells;
    const b = expected[h].cells;
    if (a.length !== b.length) out.push(`${h}: ${a.length} cells instead of ${b.length}`);
    else for (let i = 0; i < a.length && out.length < max; i++) if (a[i] !== b[i]) out.push(`${h} cell ${i}: ${a[i]} instead of ${b[i]}`);
  }
  return out.slice(0, max);
}

export interface SelfTestResult {
  readonly passed: boolean;
  readonly events: number;
  /** Events the kernel handed to the float64 path. */
  readonly flagged: number;
  readonly ms: number;
  /** Why it failed. */
  readonly detail?: string;
}

interface SelectsWithStats {
  select(columns: EventColumns, selection: Selection): Promise<SelectionCounts & { flaggedEvents: number; cpuChunks: number; model: ModelCounts }>;
}

export async function runSelfTest(selector: SelectsWithStats): Promise<SelfTestResult> {
  const { columns, expected, model } = knownAnswer();
  const began = performance.now();
  let got;
  try {
    got = await selector.select(columns, DEFAULT_SELECTION);
  } catch (err) {
    return { passed: false, events: columns.entries, flagged: 0, ms: performance.now() - began, detail: (err as Error).message };
  }
  const ms = performance.now() - began;
  const wrong = COUNT_KEYS.filter((k) => got[k] !== expected[k]).map((k) => `${k} ${got[k]} instead of ${expected[k]}`);
  let detail: string | undefined;
  const wrongCells = modelDifferences(got.model, model);
  if (wrong.length > 0) detail = `wrong counts: ${wrong.join(', ')}`;
  else if (wrongCells.length > 0) detail = `wrong model cells: ${wrongCells.join(', ')}`;
  else if (got.cpuChunks > 0) detail = 'the kernel overflowed its flag list on the self-test events';
  else if (got.flaggedEvents > MAX_FLAGGED_SHARE * columns.entries)
    detail = `the kernel left ${got.flaggedEvents} of ${columns.entries} events undecided`;
  return { passed: detail === undefined, events: columns.entries, flagged: got.flaggedEvents, ms, ...(detail ? { detail } : {}) };
}
