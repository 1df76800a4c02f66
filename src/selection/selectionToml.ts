// A selection written as a selection file (TOML, the layout of layout.ts): every
// field, in a fixed order, numbers exactly (they read back as the same float64).
// With comments, it is the file `mssi selection init` writes.

import type { Selection } from './definition.js';
import { selectionLayout } from './layout.js';
import { MAX_BINS, MAX_WALL_DEGREE } from './limits.js';

/** A float64 as TOML that reads back as the same value (integers past 2^53 as floats: TOML's are int64). */
export function tomlNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`${x} has no TOML form in a selection`);
  if (Number.isInteger(x) && Math.abs(x) >= 2 ** 53) return x.toExponential();
  return String(x);
}

// JSON's string escapes (\" \\ \n \uXXXX ...) are TOML basic-string escapes too.
const tomlString = (s: string) => JSON.stringify(s);
const numbers = (xs: readonly number[]) => `[${xs.map(tomlNumber).join(', ')}]`;
const strings = (xs: readonly string[]) => `[${xs.map(tomlString).join(', ')}]`;

const COMMENTS: Record<string, string> = {
  head:
    '# An mssi selection file (mssi run ... --selection FILE). Every field is optional: one\n' +
    "# left out keeps the notebook's value (shown here). The comparisons and their strictness\n" +
    '# are those of SELECTION.md; only the numbers, names and substrings change.\n',
  fv: '# Fiducial volume: r < P(t) - wall_standoff_cm and drift_us[0] < t < drift_us[1],\n# t = driftTime_ns / 1000 (us); P by Horner, highest power first.',
  wall_poly: `# P(t), highest power first (1 to ${MAX_WALL_DEGREE + 1} coefficients)`,
  roi: '# Region of interest: cs1_phd[0] < correctedS1Area_phd < cs1_phd[1],\n# log10(correctedS2Area_phd) < log10_cs2_max, s2Area_phd (raw) > s2_raw_min_phd.',
  vertices: '# MSSI: truth vertices whose volume name contains one of these (case-sensitive) are skipped.',
  trees: '# The two entry-aligned trees read.',
  branches: '# The branch each input of SELECTION.md is read from.',
  model: `# The model's bins: [count, low, high], edge k = low + k * ((high - low) / count) (count <= ${MAX_BINS}).`,
};

/** The selection as a TOML selection file; `comments`: with the explanations init writes. */
export function formatSelectionToml(s: Selection, options: { readonly comments?: boolean } = {}): string {
  const l = selectionLayout(s);
  const note = (key: string) => (options.comments ? `${COMMENTS[key]}\n` : '');
  const table = (name: string, lines: string[]) => `${note(name)}[${name}]\n${lines.join('\n')}\n`;
  const parts = [
    table('fv', [`drift_us = ${numbers(l.fv.drift_us)}`, `${note('wall_poly')}wall_poly = ${numbers(l.fv.wall_poly)}`, `wall_standoff_cm = ${tomlNumber(l.fv.wall_standoff_cm)}`]),
    table('roi', [`cs1_phd = ${numbers(l.roi.cs1_phd)}`, `log10_cs2_max = ${tomlNumber(l.roi.log10_cs2_max)}`, `s2_raw_min_phd = ${tomlNumber(l.roi.s2_raw_min_phd)}`]),
    table('vertices', [`skip_volume_substrings = ${strings(l.vertices.skip_volume_substrings)}`]),
    table('trees', [`scatters = ${tomlString(l.trees.scatters)}`, `truth = ${tomlString(l.trees.truth)}`]),
    table('branches', Object.entries(l.branches).map(([role, name]) => `${role} = ${tomlString(name)}`)),
    table('model', [`cs1_bins = ${numbers(l.model.cs1_bins)}`, `log10_cs2_bins = ${numbers(l.model.log10_cs2_bins)}`]),
  ];
  return `${options.comments ? `${COMMENTS.head}\n` : ''}${parts.join('\n')}`;
}
