// `mssi inspect`: what it does (its options are in inspect.ts): describe each file, and
// say whether the selection can read it.

import { BRANCHES_READ } from '../analysis/lzColumns.js';
import { inspectRootFile, type BranchDescription, type FileDescription } from '../root/read/index.js';
import type { ColumnType } from '../root/write/types.js';
import { EXIT } from './exit.js';
import type { InspectOptions } from './inspect.js';

function typeText(t: ColumnType | null): string {
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

function size(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** For each branch the selection reads: found and readable, or what is wrong. */
export function selectionFit(d: FileDescription): { tree: string; branch: string; problem: string | null }[] {
  const out: { tree: string; branch: string; problem: string | null }[] = [];
  for (const [treeName, branches] of Object.entries(BRANCHES_READ)) {
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

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((s, c) => s.padEnd(widths[c]!)).join('  ').trimEnd()}`).join('\n');
}

function branchRow(b: BranchDescription): string[] {
  return [
    b.name,
    b.type ? typeText(b.type) : `unsupported (${b.unsupported ?? '?'})`,
    b.rootType,
    String(b.entries),
    String(b.baskets) + (b.inMemoryBaskets > 0 ? ` (+${b.inMemoryBaskets} in memory)` : ''),
    size(b.compressedBytes),
    size(b.uncompressedBytes),
    b.compression.join(','),
  ];
}

export function formatInspect(d: FileDescription): string {
  const lines = [
    `${d.path}: ${size(d.sizeBytes)}, written by ROOT ${d.rootVersion}, compression setting ${d.compressSetting}`,
  ];
  for (const t of d.trees) {
    lines.push('', `tree ${t.name} "${t.title}": ${t.entries} entries, ${t.clusters} cluster(s), ${t.branches.length} branches`);
    const header = ['BRANCH', 'TYPE', 'ROOT TYPE', 'ENTRIES', 'BASKETS', 'ON DISK', 'UNCOMPRESSED', 'COMPRESSION'];
    if (t.branches.length > 0) lines.push(table([header, ...t.branches.map(branchRow)]));
    const damaged = t.branches.filter((b) => b.problem !== undefined);
    if (damaged.length > 0) lines.push('', `  ${damaged.length} branch(es) could not be described:`);
    for (const b of damaged) lines.push(`  ${b.name}: ${b.problem ?? ''}`);
  }
  const fit = selectionFit(d);
  const bad = fit.filter((f) => f.problem !== null);
  lines.push('', bad.length === 0 ? 'MSSI selection: every branch it reads is here and readable' : 'MSSI selection cannot run on this file:');
  for (const f of bad) lines.push(`  ${f.tree} / ${f.branch}: ${f.problem}`);
  return `${lines.join('\n')}\n`;
}

/** Describes each file on stdout (or all as one JSON array); exit 1 when one could not be read or described whole. */
export async function inspectAction(files: string[], options: InspectOptions): Promise<number> {
  let failed = false;
  const described: (FileDescription & { selection: ReturnType<typeof selectionFit> })[] = [];
  for (const path of files) {
    try {
      const d = await inspectRootFile(path);
      // a branch that could not be described is a finding, and a failed inspection
      if (d.trees.some((t) => t.branches.some((b) => b.problem !== undefined))) failed = true;
      if (options.json) described.push({ ...d, selection: selectionFit(d) });
      else process.stdout.write(formatInspect(d));
    } catch (err) {
      failed = true;
      process.stderr.write(`mssi inspect: ${(err as Error).message}\n`);
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
  return failed ? EXIT.failure : EXIT.ok;
}
