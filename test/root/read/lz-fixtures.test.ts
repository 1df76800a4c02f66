// Every branch of the generated LZ-like files (fixtures/lz, split layout, and a
// fresh flat-layout set): our decoder against jsroot's own reading, value for value.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRootFile } from '../../../src/root/read/reader.js';
import { simulate } from '../../../src/simulate/simulate.js';
import { readWithJsroot } from './jsroot-reference.js';
import { diffColumn } from './compare.js';
import { TRUTH_BRANCHES, TRUTH_READ_OPTIONS, TRUTH_TREE } from '../../../src/analysis/lzColumns.js';

const LZ = fileURLToPath(new URL('../../../fixtures/lz/', import.meta.url));

async function mismatches(path: string): Promise<string[]> {
  const rf = await openRootFile(path);
  const problems: string[] = [];
  try {
    expect(rf.trees().map((t) => t.name).sort()).toEqual(['RQMCTruth', 'Scatters']);
    for (const tree of rf.trees()) {
      const names = tree.branchList.filter((b) => b.subBranches.length === 0).map((b) => b.name);
      for (const b of tree.branchList) {
        if (b.subBranches.length === 0 && b.type.kind === 'unsupported') problems.push(`${b.name}: refused (${b.type.reason})`);
      }
      const ours = await rf.readColumns(tree, names);
      const theirs = await readWithJsroot(path, tree.name, names);
      for (const n of names) {
        const t = theirs.get(n);
        if (!t || t instanceof Error) problems.push(`${n}: jsroot could not read it`);
        else {
          const d = diffColumn(ours.get(n)!, t);
          if (d !== null) problems.push(`${n}: ${d}`);
        }
      }
    }
  } finally {
    rf.close();
  }
  return problems;
}

describe('reader on generated LZ-like files', () => {
  it.each(readdirSync(LZ).filter((f) => f.endsWith('.root')))('fixtures/lz/%s matches jsroot on every branch', async (file) => {
    expect(await mismatches(join(LZ, file))).toEqual([]);
  });

  it.each(readdirSync(LZ).filter((f) => f.endsWith('.root')))('fixtures/lz/%s: volume names read as skip flags match jsroot', async (file) => {
    const rf = await openRootFile(join(LZ, file));
    try {
      const name = TRUTH_BRANCHES.volumeName;
      const ours = (await rf.readColumns(TRUTH_TREE, [name], undefined, undefined, undefined, TRUTH_READ_OPTIONS)).get(name)!;
      expect(ours.kind).toBe('vectorStringClass');
      const theirs = (await readWithJsroot(join(LZ, file), TRUTH_TREE, [name])).get(name);
      if (!theirs || theirs instanceof Error) throw new Error(`jsroot could not read ${name}`);
      expect(diffColumn(ours, theirs, 0, TRUTH_READ_OPTIONS.stringClasses!.get(name))).toBeNull();
      expect(ours.kind === 'vectorStringClass' && new Set(ours.classes)).toEqual(new Set([0, 1])); // both kinds of volume occur
    } finally {
      rf.close();
    }
  });

  it.each([
    ['flat', 'lz4'],
    ['split', 'lz4'],
    ['split', 'zstd'],
  ] as const)('a %s-layout %s file matches jsroot on every branch', async (layout, algorithm) => {
    const [file] = await simulate({
      outDir: mkdtempSync(join(tmpdir(), 'mssi-lzread-')),
      sources: ['K40_DomePMTs'],
      events: 1500,
      layout,
      compression: { algorithm, level: 4 },
      basketSize: 2048,
      clusterSize: 400,
      seed: 7,
    });
    expect(await mismatches(file!.path)).toEqual([]);
  });
});
