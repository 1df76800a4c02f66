// A text table that fits a width (a terminal's columns): the columns that matter most
// always, the others while there is room, long names cut with an ellipsis, numbers
// never cut. `mssi run`, `mssi merge` and `mssi inspect` print their tables with it.
//
// How it gives ground, step by step, until the table fits:
//  1. the columns are taken by priority, each only where it still fits (a narrow one
//     may come in after a wide one did not); every required column must fit;
//  2. the same, with headers of several words over two lines ("nSS" over "FV ROI");
//  3. the required columns only, two-line headers, and the cuttable ones (names) cut,
//     the least important first, down to their minimum width;
//  4. names at their minimum, and the required columns taken by priority while they
//     fit (the first one always).
// With no limit (Infinity) every column is shown whole, headers on one line.

export interface TableColumn {
  readonly header: string;
  readonly cells: readonly string[];
  readonly align: 'left' | 'right';
  /** Smaller is more important: columns are taken in this order while they fit. */
  readonly priority: number;
  /** Shown at every width, unless even cut names leave no room for it. */
  readonly required?: boolean;
  /** A name (not a number): it may be cut, with an ellipsis, down to this many characters. */
  readonly cutTo?: number;
}

export interface FitOptions {
  /** Characters a line may have; Infinity: no limit (the whole table). */
  readonly width: number;
  /** Spaces between columns (default 2). */
  readonly gap?: number;
  /** What every line starts with (default none). */
  readonly indent?: string;
}

export const ELLIPSIS = '\u2026';

/** `text` in at most `width` characters: cut, and the last one an ellipsis. */
export function cutText(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 0) return '';
  return `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

/** A header over two lines where it has a space: split where the longer part is shortest. */
function twoLines(header: string): [string, string] {
  let best: [string, string] = ['', header];
  for (let at = header.indexOf(' '); at >= 0; at = header.indexOf(' ', at + 1)) {
    const split: [string, string] = [header.slice(0, at), header.slice(at + 1)];
    if (Math.max(split[0].length, split[1].length) < Math.max(best[0].length, best[1].length)) best = split;
  }
  return best;
}

interface Layout {
  readonly shown: readonly number[]; // indices into the columns, in display order
  readonly widths: ReadonlyMap<number, number>;
  readonly twoLineHeaders: boolean;
}

/** The table's lines (trailing spaces trimmed), fitted to `options.width`. */
export function fitTable(columns: readonly TableColumn[], options: FitOptions): string[] {
  const layout = chooseLayout(columns, options);
  return render(columns, layout, options);
}

function headerWidth(c: TableColumn, twoLine: boolean): number {
  if (!twoLine) return c.header.length;
  const [a, b] = twoLines(c.header);
  return Math.max(a.length, b.length);
}

const cellsWidth = (c: TableColumn) => c.cells.reduce((w, s) => Math.max(w, s.length), 0);

function chooseLayout(columns: readonly TableColumn[], options: FitOptions): Layout {
  const gap = options.gap ?? 2;
  const budget = options.width - (options.indent ?? '').length;
  const all = columns.map((_, i) => i);
  const natural = (i: number, twoLine: boolean) => Math.max(headerWidth(columns[i]!, twoLine), cellsWidth(columns[i]!));
  const lineWidth = (widths: Iterable<number>) => {
    let sum = 0;
    let n = 0;
    for (const w of widths) {
      sum += w;
      n++;
    }
    return sum + gap * Math.max(0, n - 1);
  };
  const byPriority = [...all].sort((a, b) => columns[a]!.priority - columns[b]!.priority || a - b);
  const required = byPriority.filter((i) => columns[i]!.required);
  const layoutOf = (shown: number[], widthOf: (i: number) => number, twoLine: boolean): Layout => {
    const sorted = [...shown].sort((a, b) => a - b);
    return { shown: sorted, widths: new Map(sorted.map((i) => [i, widthOf(i)])), twoLineHeaders: twoLine };
  };
  /** Takes `candidates` in order, each where it still fits beside those taken. */
  const greedy = (candidates: readonly number[], widthOf: (i: number) => number, first: number[] = []) => {
    const taken = [...first];
    for (const i of candidates) {
      if (taken.includes(i)) continue;
      if (lineWidth([...taken, i].map(widthOf)) <= budget) taken.push(i);
    }
    return taken;
  };

  if (!Number.isFinite(budget)) return layoutOf(all, (i) => natural(i, false), false);
  // 1 and 2: whole columns, one-line headers, then two-line ones
  for (const twoLine of [false, true]) {
    const widthOf = (i: number) => natural(i, twoLine);
    const taken = greedy(byPriority, widthOf);
    if (required.every((i) => taken.includes(i))) return layoutOf(taken, widthOf, twoLine);
  }
  // 3: the required columns, names cut (the least important first) down to their minimum
  const minimum = (i: number) => {
    const c = columns[i]!;
    const whole = natural(i, true);
    return c.cutTo === undefined ? whole : Math.min(whole, Math.max(c.cutTo, headerWidth(c, true)));
  };
  const widths = new Map(required.map((i) => [i, natural(i, true)]));
  let excess = lineWidth(widths.values()) - budget;
  for (const i of [...required].reverse()) {
    if (excess <= 0) break;
    const give = Math.min(excess, widths.get(i)! - minimum(i));
    widths.set(i, widths.get(i)! - give);
    excess -= give;
  }
  if (excess <= 0) return layoutOf(required, (i) => widths.get(i)!, true);
  // 4: names at their minimum; the required columns by priority while they fit, the first always
  const first = required[0] ?? byPriority[0];
  const taken = greedy(required, minimum, first === undefined ? [] : [first]);
  return layoutOf(taken, minimum, true);
}

function render(columns: readonly TableColumn[], layout: Layout, options: FitOptions): string[] {
  const gap = ' '.repeat(options.gap ?? 2);
  const indent = options.indent ?? '';
  const rows = columns[0]?.cells.length ?? 0;
  const line = (cell: (i: number) => string) =>
    `${indent}${layout.shown
      .map((i) => {
        const c = columns[i]!;
        const w = layout.widths.get(i)!;
        const text = cutText(cell(i), w);
        return c.align === 'right' ? text.padStart(w) : text.padEnd(w);
      })
      .join(gap)}`.trimEnd();
  const lines: string[] = [];
  if (layout.twoLineHeaders) {
    const split = new Map(layout.shown.map((i) => [i, twoLines(columns[i]!.header)]));
    const top = line((i) => split.get(i)![0]);
    if (top !== '') lines.push(top);
    lines.push(line((i) => split.get(i)![1]));
  } else {
    lines.push(line((i) => columns[i]!.header));
  }
  for (let r = 0; r < rows; r++) lines.push(line((i) => columns[i]!.cells[r] ?? ''));
  return lines;
}
