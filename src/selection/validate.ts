// A selection file's parsed contents (or a plan's recorded selection) into the
// Selection of definition.ts: every field optional (a missing one keeps
// DEFAULT_SELECTION's value), every given one checked, and a bad one named with its
// table and key ("sel.toml: roi.cs1_phd: ...").

import { DEFAULT_SELECTION, type AxisSpec, type BranchRole, type Selection } from './definition.js';
import { LAYOUT_FIELDS, type LayoutTable } from './layout.js';
import { MAX_ABS_LOG10_CS2, MAX_BINS, MAX_WALL_DEGREE } from './limits.js';

/** A selection file that cannot be used: `field` ("roi.cs1_phd") says where, `detail` what is wrong. */
export class SelectionFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'SelectionFileError';
  }
}

const shown = (v: unknown): string => {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const kind = (v: unknown): string => {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return v instanceof Date || (v as object).constructor?.name === 'TomlDate' ? 'a date' : 'a table';
  if (typeof v === 'string') return `a string (${shown(v)})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (typeof v === 'bigint') return `an integer too large for a float64 (${v})`;
  return `${typeof v} (${shown(v)})`;
};

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = up;
    }
  }
  return row[b.length]!;
}

/**
 * The known name closest to `name`, when it is close enough to be a typo of it (a few
 * letters off), or the one it begins (cs1 for cs1_phd).
 */
export function closestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  if (best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return best;
  if (lower.length < 3) return null;
  return known.find((k) => k.toLowerCase().startsWith(lower)) ?? null;
}

type Table = Record<string, unknown>;

/** Checked getters of one file's fields; each failure names the file and the field. */
class Checker {
  constructor(readonly file: string) {}

  fail(field: string, detail: string): never {
    throw new SelectionFileError(this.file, field, detail);
  }

  table(v: unknown, field: string): Table {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || kind(v) === 'a date') {
      this.fail(field, `expected a table, got ${kind(v)}`);
    }
    return v as Table;
  }

  /** Refuses keys not in `known`, suggesting the closest. */
  onlyKnown(t: Table, known: readonly string[], at: string, what: string): void {
    for (const key of Object.keys(t)) {
      if (known.includes(key)) continue;
      const near = closestName(key, known);
      const field = at ? `${at}.${key}` : key;
      this.fail(field, `unknown ${what}${near ? ` (did you mean ${at ? '' : '['}${near}${at ? '' : ']'}?)` : ''}; known: ${known.join(', ')}`);
    }
  }

  number(v: unknown, field: string): number {
    if (typeof v !== 'number') this.fail(field, `expected a number, got ${kind(v)}`);
    if (!Number.isFinite(v)) this.fail(field, `expected a finite number, got ${shown(v)}`);
    return v;
  }

  numbers(v: unknown, field: string, min: number, max: number, what: string): number[] {
    if (!Array.isArray(v)) this.fail(field, `expected ${what}, got ${kind(v)}`);
    if (v.length < min || v.length > max) this.fail(field, `expected ${what}, got ${v.length} value(s)`);
    return v.map((x, i) => this.number(x, `${field}[${i}]`));
  }

  /** [low, high] with low < high: an open interval that holds something. */
  range(v: unknown, field: string): [number, number] {
    const [low, high] = this.numbers(v, field, 2, 2, 'a range [low, high] of two numbers') as [number, number];
    this.ordered(low, high, `[${low}, ${high}]`, field);
    return [low, high];
  }

  ordered(low: number, high: number, text: string, field: string): void {
    if (low === high) this.fail(field, `the range ${text} is empty (low must be below high)`);
    if (low > high) this.fail(field, `the range ${text} is reversed (low must be below high)`);
  }

  /** [count, low, high]: count uniform bins from low to high. */
  bins(v: unknown, field: string): AxisSpec {
    const [count, low, high] = this.numbers(v, field, 3, 3, 'bins [count, low, high] of three numbers') as [number, number, number];
    if (!Number.isInteger(count) || count < 1 || count > MAX_BINS) {
      this.fail(field, `the bin count ${count} is not an integer from 1 to ${MAX_BINS}`);
    }
    this.ordered(low, high, `[${low}, ${high}]`, field);
    if (!Number.isFinite(high - low)) this.fail(field, `the range [${low}, ${high}] is too wide (high - low is not a finite float64)`);
    return { count, low, high };
  }

  string(v: unknown, field: string, what: string): string {
    if (typeof v !== 'string') this.fail(field, `expected ${what}, got ${kind(v)}`);
    if (v.length === 0) this.fail(field, `expected ${what}, got an empty string`);
    return v;
  }
}

/**
 * A selection from a parsed file (or a plan's record): the file layout of layout.ts,
 * every field optional (defaults: DEFAULT_SELECTION's), checked.
 */
export function selectionFromLayout(value: unknown, file: string): Selection {
  const c: Checker = new Checker(file);
  const root = c.table(value, '');
  const tables = Object.keys(LAYOUT_FIELDS) as LayoutTable[];
  c.onlyKnown(root, tables, '', 'table');
  const section = (name: LayoutTable): Table => {
    const t = root[name] === undefined ? {} : c.table(root[name], name);
    c.onlyKnown(t, LAYOUT_FIELDS[name], name, `key of [${name}]`);
    return t;
  };
  // a field of a table: its checked value, or the default when the file leaves it out
  const field = <T>(t: Table, table: LayoutTable, key: string, check: (v: unknown, at: string) => T, fallback: T): T =>
    t[key] === undefined ? fallback : check(t[key], `${table}.${key}`);
  const d = DEFAULT_SELECTION;

  const fv = section('fv');
  const roi = section('roi');
  const vertices = section('vertices');
  const trees = section('trees');
  const branchTable = section('branches');
  const model = section('model');

  const log10Cs2Max = field(roi, 'roi', 'log10_cs2_max', (v, at) => {
    const x = c.number(v, at);
    if (Math.abs(x) > MAX_ABS_LOG10_CS2) c.fail(at, `${x} is outside -${MAX_ABS_LOG10_CS2} to ${MAX_ABS_LOG10_CS2}`);
    return x;
  }, d.roi.log10Cs2Max);
  const branches = {} as Record<BranchRole, string>;
  for (const role of LAYOUT_FIELDS.branches) {
    branches[role] = field(branchTable, 'branches', role, (v, at) => c.string(v, at, 'a branch name'), d.branches[role]);
  }
  return {
    fv: {
      driftUs: field(fv, 'fv', 'drift_us', (v, at) => c.range(v, at), [...d.fv.driftUs] as [number, number]),
      wallPoly: field(fv, 'fv', 'wall_poly', (v, at) => c.numbers(v, at, 1, MAX_WALL_DEGREE + 1, `1 to ${MAX_WALL_DEGREE + 1} coefficients (highest power first)`), [...d.fv.wallPoly]),
      wallStandoffCm: field(fv, 'fv', 'wall_standoff_cm', (v, at) => c.number(v, at), d.fv.wallStandoffCm),
    },
    roi: {
      cs1Phd: field(roi, 'roi', 'cs1_phd', (v, at) => c.range(v, at), [...d.roi.cs1Phd] as [number, number]),
      log10Cs2Max,
      s2RawMinPhd: field(roi, 'roi', 's2_raw_min_phd', (v, at) => c.number(v, at), d.roi.s2RawMinPhd),
    },
    vertices: {
      skipVolumeSubstrings: field(
        vertices,
        'vertices',
        'skip_volume_substrings',
        (v, at) => {
          if (!Array.isArray(v)) return c.fail(at, `expected an array of strings, got ${kind(v)}`);
          return v.map((x: unknown, i) => c.string(x, `${at}[${i}]`, 'a non-empty substring'));
        },
        [...d.vertices.skipVolumeSubstrings],
      ),
    },
    trees: {
      scatters: field(trees, 'trees', 'scatters', (v, at) => c.string(v, at, 'a tree name'), d.trees.scatters),
      truth: field(trees, 'trees', 'truth', (v, at) => c.string(v, at, 'a tree name'), d.trees.truth),
    },
    branches,
    model: {
      cs1Bins: field(model, 'model', 'cs1_bins', (v, at) => c.bins(v, at), { ...d.model.cs1Bins }),
      log10Cs2Bins: field(model, 'model', 'log10_cs2_bins', (v, at) => c.bins(v, at), { ...d.model.log10Cs2Bins }),
    },
  };
}

