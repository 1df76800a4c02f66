// What `mssi inspect` prints of a file's description: the trees and branches asked
// for (--tree, --branches), each tree's table fitted to the terminal, and whether the
// MSSI selection can run on the file (always judged on the whole file).
//
// The branch table gives way to a narrow terminal in this order (report/table.ts):
// BRANCH and TYPE always; then, while they fit, ENTRIES, ON DISK, COMPRESSION, BASKETS,
// UNCOMPRESSED, ROOT TYPE; where BRANCH and TYPE alone do not fit, long types and
// then long branch names are cut with an ellipsis (down to 14 and 16 characters).
// Nothing is lost by a cut: why a branch is not decoded is listed under its table.

import { branchesRead } from '../analysis/lzColumns.js';
import { DEFAULT_SELECTION, type Selection } from '../selection/definition.js';
import type { BranchDescription, FileDescription, TreeDescription } from '../root/read/index.js';
import { fitTable, type TableColumn } from '../report/table.js';
import type { ColumnType } from '../root/write/types.js';

export const SPLIT_OBJECT_TYPE = 'split object (members below)';

export function typeText(t: ColumnType | null): string {
  if (!t) return 'unsupported';
  switch (t.kind) {
    case 'scalar':
      return t.type;
    case 'vector':
      return `vector<${t.type}>`;
    case 'string':
      return 'string';
    case 'vectorString':
      return 'vector<string>';
  }
}

export function sizeText(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export interface SelectionFit {
  readonly tree: string;
  readonly branch: string;
  readonly problem: string | null;
}

/** For each branch the selection reads (by its tree and branch names): found and readable, or what is wrong. */
export function selectionFit(d: FileDescription, selection: Selection = DEFAULT_SELECTION): SelectionFit[] {
  const out: SelectionFit[] = [];
  for (const [treeName, branches] of Object.entries(branchesRead(selection))) {
    const tree = d.trees.find((t) => t.name === treeName);
    for (const branch of branches) {
      const b = tree?.branches.find((x) => x.name === branch);
      const problem = !tree
        ? `no tree ${treeName}`
        : !b
          ? 'missing'
          : b.type === null
            ? `unsupported: ${b.unsupported ?? ''}`
            : b.problem !== undefined
              ? `unreadable: ${b.problem}`
              : null;
      out.push({ tree: treeName, branch, problem });
    }
  }
  return out;
}

/** --tree and --branches: which trees, and which of their branches (by full name), are shown. */
export interface InspectFilter {
  readonly tree?: string;
  readonly branch?: (fullName: string) => boolean;
}

/** No tree of that name in the file (the trees it has are named). */
export class NoSuchTreeError extends Error {
  constructor(path: string, tree: string, trees: readonly string[]) {
    super(`${path}: no tree '${tree}' (trees in the file: ${trees.length > 0 ? trees.join(', ') : 'none'})`);
    this.name = 'NoSuchTreeError';
  }
}

/** The description with only what the filter asks for (the selection's fit is judged on the whole). */
export function filterDescription(d: FileDescription, filter: InspectFilter): FileDescription {
  let trees: readonly TreeDescription[] = d.trees;
  if (filter.tree !== undefined) {
    trees = trees.filter((t) => t.name === filter.tree);
    if (trees.length === 0) throw new NoSuchTreeError(d.path, filter.tree, d.trees.map((t) => t.name));
  }
  const keep = filter.branch;
  if (keep) trees = trees.map((t) => ({ ...t, branches: t.branches.filter((b) => keep(b.name)) }));
  return { ...d, trees };
}

function branchType(b: BranchDescription): string {
  if (b.splitMembers) return SPLIT_OBJECT_TYPE;
  return typeText(b.type);
}

function branchColumns(branches: readonly BranchDescription[]): TableColumn[] {
  const column = (header: string, priority: number, cells: string[], more: Partial<TableColumn> = {}): TableColumn => ({
    header,
    cells,
    align: 'left',
    priority,
    ...more,
  });
  return [
    column('BRANCH', 0, branches.map((b) => b.name), { required: true, cutTo: 16 }),
    column('TYPE', 1, branches.map(branchType), { required: true, cutTo: 14 }),
    column('ROOT TYPE', 7, branches.map((b) => b.rootType), { cutTo: 12 }),
    column('ENTRIES', 2, branches.map((b) => String(b.entries))),
    column('BASKETS', 5, branches.map((b) => String(b.baskets) + (b.inMemoryBaskets > 0 ? ` (+${b.inMemoryBaskets} in memory)` : ''))),
    column('ON DISK', 3, branches.map((b) => sizeText(b.compressedBytes))),
    column('UNCOMPRESSED', 6, branches.map((b) => sizeText(b.uncompressedBytes))),
    column('COMPRESSION', 4, branches.map((b) => b.compression.join(','))),
  ];
}

export interface InspectTextOptions {
  /** Characters a line of a table may have; default no limit. */
  readonly width?: number;
  /** The --branches patterns, for the line of a tree where none matched. */
  readonly branchPatterns?: readonly string[];
  /** The selection whose fit is judged (default: the notebook's). */
  readonly selection?: Selection;
}

/**
 * `shown`: what --tree / --branches left of `whole`; the selection's fit is judged on
 * `whole`, the file as it is.
 */
export function formatInspect(whole: FileDescription, shown: FileDescription = whole, options: InspectTextOptions = {}): string {
  const width = options.width ?? Number.POSITIVE_INFINITY;
  const lines = [
    `${whole.path}: ${sizeText(whole.sizeBytes)}, written by ROOT ${whole.rootVersion}, compression setting ${whole.compressSetting}`,
  ];
  for (const t of shown.trees) {
    const all = whole.trees.find((x) => x.name === t.name)?.branches.length ?? t.branches.length;
    const which = t.branches.length === all ? `${all} branches` : `${t.branches.length} of ${all} branches`;
    lines.push('', `tree ${t.name} "${t.title}": ${t.entries} entries, ${t.clusters} cluster(s), ${which}`);
    if (t.branches.length > 0) lines.push(...fitTable(branchColumns(t.branches), { width, indent: '  ' }));
    else if (options.branchPatterns && options.branchPatterns.length > 0) {
      lines.push(`  no branch matches --branches ${options.branchPatterns.map((p) => `'${p}'`).join(' ')}`);
    }
    const undecoded = t.branches.filter((b) => b.type === null && !b.splitMembers);
    if (undecoded.length > 0) lines.push('', `  ${undecoded.length} branch(es) mssi does not decode:`);
    for (const b of undecoded) lines.push(`  ${b.name}: ${b.unsupported ?? 'unsupported'}`);
    const damaged = t.branches.filter((b) => b.problem !== undefined);
    if (damaged.length > 0) lines.push('', `  ${damaged.length} branch(es) could not be described:`);
    for (const b of damaged) lines.push(`  ${b.name}: ${b.problem ?? ''}`);
  }
  const fit = selectionFit(whole, options.selection);
  const bad = fit.filter((f) => f.problem !== null);
  lines.push('', bad.length === 0 ? 'MSSI selection: every branch it reads is here and readable' : 'MSSI selection cannot run on this file:');
  for (const f of bad) lines.push(`  ${f.tree} / ${f.branch}: ${f.problem}`);
  return `${lines.join('\n')}\n`;
}
