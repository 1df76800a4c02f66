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

interface Row {
  readonly fields: string[];
  /** Where the row starts in the file (blank lines and line breaks inside quotes counted). */
  readonly line: number;
}

/**
 * Every row must have exactly the header's number of fields. More: an unquoted comma
 * (a thousands separator, "1,234.5") shifted the columns. Fewer: a field is missing,
 * and which one cannot be known, so the fields after it may be in the wrong columns;
 * even when the columns read are filled, they may hold another column's value. CSV
 * writers (spreadsheets, pandas) write an empty field as such, never leave it out.
 */
function checkFieldCount(path: string, row: Row, headerFields: number): void {
  const n = row.fields.length;
  if (n === headerFields) return;
  const hint =
    n > headerFields ? 'an unquoted comma in a number? write 1234.5' : 'each row needs one field per column; leave a value empty, not out';
  throw new RatesTableError(path, `line ${row.line}: ${n} field${n === 1 ? '' : 's'}, the header has ${headerFields} (${hint})`);
}

function parseRows(text: string, path: string): Row[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // relax_column_count: the count is checked here, with the line and a hint
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (err) {
    throw new RatesTableError(path, `not a valid CSV (${(err as Error).message})`);
  }
  // info.lines is the line a record ends on; line breaks inside its quoted fields come before it
  return records.map(({ record, info }) => ({
    fields: record,
    line: info.lines - record.reduce((a, f) => a + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
  }));
}

/** Parses a rates CSV; `path` only names the table in errors. */
export function parseRatesTable(text: string, path: string): SourceRate[] {
  const rows = parseRows(text, path);
  const header = rows[0]?.fields;
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
  for (const row of rows.slice(1)) {
    const { line } = row;
    checkFieldCount(path, row, header.length);
    const source = row.fields[sourceAt] ?? '';
    const rateText = row.fields[rateAt] ?? '';
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
  }
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
