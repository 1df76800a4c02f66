// One row of a benchmark table: a measured value and the limit it is compared to.
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the value is compared to (a goal or a measured limit), as text. */
  limit?: string;
  note?: string;
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e6) return v.toExponential(3);
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** A plain-text table (also valid Markdown), for the terminal and the README. */
export function formatBenchTable(title: string, rows: readonly BenchRow[]): string {
  const header = ['measure', 'value', 'unit', 'limit', 'note'];
  const body = rows.map((r) => [r.name, formatValue(r.value), r.unit, r.limit ?? '', r.note ?? '']);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((s, c) => s.padEnd(widths[c]!)).join(' | ')} |`;
  return [
    `### ${title}`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
    '',
  ].join('\n');
}
