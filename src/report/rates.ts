// The rates table: decays per day of each simulated source (the workshop's CSV format).

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export const SOURCE_COLUMN = 'Source';
export const RATE_COLUMN = 'Rate (Decays/day)';

export interface SourceRate {
  readonly source: string;
  readonly ratePerDay: number;
}

export class RatesTableError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`rates table ${path}: ${detail}`);
    this.name = 'RatesTableError';
  }
}

/** Parses a rates CSV; `path` only names the table in errors. */
export function parseRatesTable(text: string, path: string): SourceRate[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw new RatesTableError(path, `not a valid CSV (${(err as Error).message})`);
  }
  const header = rows[0];
  if (!header) throw new RatesTableError(path, 'is empty');
  const sourceAt = header.indexOf(SOURCE_COLUMN);
  const rateAt = header.indexOf(RATE_COLUMN);
  if (sourceAt < 0 || rateAt < 0) {
    throw new RatesTableError(
      path,
      `needs the columns "${SOURCE_COLUMN}" and "${RATE_COLUMN}", found: ${header.map((h) => `"${h}"`).join(', ')}`,
    );
  }
  const seen = new Map<string, number>();
  const rates: SourceRate[] = [];
  rows.slice(1).forEach((row, k) => {
    const line = k + 2;
    const source = row[sourceAt] ?? '';
    const rateText = row[rateAt] ?? '';
    const ratePerDay = rateText === '' ? NaN : Number(rateText);
    if (source === '') throw new RatesTableError(path, `line ${line}: empty Source`);
    if (!Number.isFinite(ratePerDay) || ratePerDay < 0) {
      throw new RatesTableError(path, `line ${line}: rate of ${source} is "${rateText}", expected a number >= 0`);
    }
    const earlier = seen.get(source);
    if (earlier !== undefined) {
      throw new RatesTableError(path, `line ${line}: Source ${source} is listed twice (first on line ${earlier})`);
    }
    seen.set(source, line);
    rates.push({ source, ratePerDay });
  });
  return rates;
}

export function readRatesTable(path: string): SourceRate[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RatesTableError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseRatesTable(text, path);
}
