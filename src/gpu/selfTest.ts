// The known-answer test every adapter must pass before its answers are used:
// the real kernel, through the real selector, on events around every cut,
// against the float64 reference. Catches drivers that compute garbage without
// an error (Dawn's null backend) or that miscompile the kernel.

import { selectReference } from '../selection/reference.js';
import { COUNT_KEYS, type EventColumns, type SelectionCounts } from '../selection/types.js';
import { boundaryEvents } from './boundaryEvents.js';

const SELF_TEST_EVENTS = 20_000;
const SELF_TEST_SEED = 0x5e1f7e57;
/** A sound kernel flags a small share of these events (those within a hair of the wall); far more is a broken device. */
const MAX_FLAGGED_SHARE = 0.2;

let cached: { columns: EventColumns; expected: SelectionCounts } | undefined;

function knownAnswer(): { columns: EventColumns; expected: SelectionCounts } {
  if (!cached) {
    const columns = boundaryEvents(SELF_TEST_EVENTS, SELF_TEST_SEED);
    cached = { columns, expected: selectReference(columns) };
  }
  return cached;
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
  select(columns: EventColumns): Promise<SelectionCounts & { flaggedEvents: number; cpuChunks: number }>;
}

export async function runSelfTest(selector: SelectsWithStats): Promise<SelfTestResult> {
  const { columns, expected } = knownAnswer();
  const began = performance.now();
  let got;
  try {
    got = await selector.select(columns);
  } catch (err) {
    return { passed: false, events: columns.entries, flagged: 0, ms: performance.now() - began, detail: (err as Error).message };
  }
  const ms = performance.now() - began;
  const wrong = COUNT_KEYS.filter((k) => got[k] !== expected[k]).map((k) => `${k} ${got[k]} instead of ${expected[k]}`);
  let detail: string | undefined;
  if (wrong.length > 0) detail = `wrong counts: ${wrong.join(', ')}`;
  else if (got.cpuChunks > 0) detail = 'the kernel overflowed its flag list on the self-test events';
  else if (got.flaggedEvents > MAX_FLAGGED_SHARE * columns.entries)
    detail = `the kernel left ${got.flaggedEvents} of ${columns.entries} events undecided`;
  return { passed: detail === undefined, events: columns.entries, flagged: got.flaggedEvents, ms, ...(detail ? { detail } : {}) };
}
