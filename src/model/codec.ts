// ModelCounts as JSON, compact: the axes, and per histogram the non-empty cells as
// [cell, count] pairs (most of the 10,004 cells of the default binning are empty) and
// the NaN tally. The cache entries and the shard files hold this; reading checks every
// number, so a damaged entry is refused rather than believed.

import type { AxisSpec } from '../selection/definition.js';
import { cellCount, type BinnedCounts, type ModelCounts } from './types.js';

export interface BinnedCountsJson {
  /** [cell, count] for each cell with a count, cells increasing. */
  readonly cells: readonly (readonly [number, number])[];
  readonly nan: number;
}

export interface ModelCountsJson {
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly ss: BinnedCountsJson;
  readonly mssi: BinnedCountsJson;
}

function sparse(b: BinnedCounts): BinnedCountsJson {
  const cells: [number, number][] = [];
  for (let i = 0; i < b.cells.length; i++) if (b.cells[i] !== 0) cells.push([i, b.cells[i]!]);
  return { cells, nan: b.nan };
}

export function modelToJson(m: ModelCounts): ModelCountsJson {
  return { x: { count: m.x.count, low: m.x.low, high: m.x.high }, y: { count: m.y.count, low: m.y.low, high: m.y.high }, ss: sparse(m.ss), mssi: sparse(m.mssi) };
}

/** A stored model that is not one, with the field (`ss.cells[3]`) and what was expected. */
export class ModelCountsFormatError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'ModelCountsFormatError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => {
  const text = v === undefined ? 'nothing (the field is missing)' : (JSON.stringify(v) ?? String(v));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
/** Largest axis and layout taken: larger ones are not a result of mssi. */
const MAX_BINS = 100_000;
const MAX_CELLS = 10_000_000;

function readAxis(v: unknown, at: string): AxisSpec {
  if (!isObject(v)) throw new ModelCountsFormatError(at, `expected an axis {count, low, high}, got ${show(v)}`);
  const { count, low, high } = v;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_BINS) {
    throw new ModelCountsFormatError(`${at}.count`, `expected an integer 1 to ${MAX_BINS}, got ${show(count)}`);
  }
  if (typeof low !== 'number' || !Number.isFinite(low)) throw new ModelCountsFormatError(`${at}.low`, `expected a finite number, got ${show(low)}`);
  if (typeof high !== 'number' || !Number.isFinite(high) || !(high > low)) {
    throw new ModelCountsFormatError(`${at}.high`, `expected a finite number above low (${low}), got ${show(high)}`);
  }
  return { count: count as number, low, high };
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function readBinned(v: unknown, at: string, cells: number): BinnedCounts {
  if (!isObject(v)) throw new ModelCountsFormatError(at, `expected {cells, nan}, got ${show(v)}`);
  if (!isCount(v.nan)) throw new ModelCountsFormatError(`${at}.nan`, `expected a count (an integer >= 0), got ${show(v.nan)}`);
  if (!Array.isArray(v.cells)) throw new ModelCountsFormatError(`${at}.cells`, `expected an array of [cell, count], got ${show(v.cells)}`);
  const out = new Float64Array(cells);
  let last = -1;
  v.cells.forEach((pair: unknown, i) => {
    const here = `${at}.cells[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2) throw new ModelCountsFormatError(here, `expected [cell, count], got ${show(pair)}`);
    const [cell, count] = pair as unknown[];
    if (!Number.isInteger(cell) || (cell as number) <= last || (cell as number) >= cells) {
      throw new ModelCountsFormatError(here, `expected a cell index above ${last} and below ${cells}, got ${show(cell)}`);
    }
    if (!isCount(count) || count === 0) throw new ModelCountsFormatError(here, `expected a count (an integer >= 1), got ${show(count)}`);
    out[cell as number] = count;
    last = cell as number;
  });
  return { cells: out, nan: v.nan };
}

/** Reads what modelToJson wrote; throws ModelCountsFormatError naming the field (under `at`). */
export function modelFromJson(v: unknown, at = 'model'): ModelCounts {
  if (!isObject(v)) throw new ModelCountsFormatError(at, `expected the model's counts {x, y, ss, mssi}, got ${show(v)}`);
  const x = readAxis(v.x, `${at}.x`);
  const y = readAxis(v.y, `${at}.y`);
  const cells = cellCount(x, y);
  if (cells > MAX_CELLS) throw new ModelCountsFormatError(`${at}.y.count`, `${x.count} x ${y.count} bins are more than the ${MAX_CELLS} cells a model may have`);
  const ss = readBinned(v.ss, `${at}.ss`, cells);
  const mssi = readBinned(v.mssi, `${at}.mssi`, cells);
  // An MSSI FV ROI event is an SS FV ROI event too, in the same cell.
  for (let i = 0; i < cells; i++) {
    if (mssi.cells[i]! > ss.cells[i]!) {
      throw new ModelCountsFormatError(`${at}.mssi.cells`, `cell ${i} has ${mssi.cells[i]} MSSI events but only ${ss.cells[i]} SS events`);
    }
  }
  if (mssi.nan > ss.nan) throw new ModelCountsFormatError(`${at}.mssi.nan`, `is ${mssi.nan}, more than the SS NaN tally ${ss.nan}`);
  return { x, y, ss, mssi };
}

/** Every SS FV ROI event is in a cell or in the NaN tally, and so is every MSSI FV ROI event. */
export function checkModelTotals(m: ModelCounts, counts: { readonly nSSFVROI: number; readonly nMSSIFVROI: number }, at = 'model'): void {
  const total = (b: BinnedCounts) => b.cells.reduce((a, c) => a + c, 0) + b.nan;
  const ss = total(m.ss);
  const mssi = total(m.mssi);
  if (ss !== counts.nSSFVROI) throw new ModelCountsFormatError(`${at}.ss`, `holds ${ss} events (cells and NaN tally), the counts say nSSFVROI ${counts.nSSFVROI}`);
  if (mssi !== counts.nMSSIFVROI) throw new ModelCountsFormatError(`${at}.mssi`, `holds ${mssi} events (cells and NaN tally), the counts say nMSSIFVROI ${counts.nMSSIFVROI}`);
}
