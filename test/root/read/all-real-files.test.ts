// Every tree and every branch of every real ROOT file in fixtures/real: our
// decoder against jsroot's own reading, value for value, or, for the branches
// jsroot cannot read, against the values published with the file (published.ts).
// Branches we do not decode must be refused with a reason; the refusals are
// listed and checked.
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRootFile } from '../../../src/root/read/reader.js';
import { UnsupportedBranchError } from '../../../src/root/read/errors.js';
import { allocate, type ColumnMemory } from '../../../src/root/read/columnMemory.js';
import type { ColumnData } from '../../../src/root/read/columns.js';
import { readWithJsroot, type JsValue } from './jsroot-reference.js';
import { diffColumn } from './compare.js';
import { PUBLISHED } from './published.js';

const REAL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/real');
const FILES = readdirSync(REAL).filter((f) => f.endsWith('.root')).sort();

/** Arrays full of garbage, as recycled memory may be: decoding must not rely on zeroed memory. */
const poisoned: ColumnMemory = {
  allocate(type, n) {
    const a = allocate(type, n);
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).fill(0xa5);
    return a;
  },
};

/** Published numbers of a float32 column, as float32 (go-hep prints them shortest-round-trip). */
function asColumnType(values: JsValue[], column: ColumnData): JsValue[] {
  const f32 = (column.kind === 'scalar' || column.kind === 'vector') && column.values instanceof Float32Array;
  if (!f32) return values;
  const round = (v: number | boolean | bigint | string) => (typeof v === 'number' ? Math.fround(v) : v);
  return values.map((v) => (Array.isArray(v) ? v.map(round) : round(v as number)));
}

interface Outcome {
  compared: string[];
  refused: { branch: string; reason: string }[];
  mismatched: string[];
}

async function checkFile(file: string): Promise<Map<string, Outcome>> {
  const path = join(REAL, file);
  const rf = await openRootFile(path);
  const out = new Map<string, Outcome>();
  try {
    for (const tree of rf.trees()) {
      const o: Outcome = { compared: [], refused: [], mismatched: [] };
      out.set(tree.name, o);
      const supported = tree.branchList.filter((b) => b.type.kind !== 'unsupported');
      for (const b of tree.branchList) {
        if (b.type.kind === 'unsupported') {
          o.refused.push({ branch: b.name, reason: b.type.reason });
          await expect(rf.readColumns(tree, [b.name])).rejects.toBeInstanceOf(UnsupportedBranchError);
        }
      }
      if (supported.length === 0) continue;
      const ours = await rf.readColumns(tree, supported.map((b) => b.name), 0, undefined, poisoned);
      if (tree.entries === 0) {
        // jsroot refuses branches without entries; ours must give empty columns
        for (const b of supported) {
          const c = ours.get(b.name)!;
          const n = c.kind === 'scalar' ? c.values.length : c.kind === 'string' ? c.indices.length : c.offsets.length - 1;
          if (n === 0) o.compared.push(b.name);
          else o.mismatched.push(`${b.name}: ${n} entries in an empty tree`);
        }
        continue;
      }
      // jsroot reads no entry of the offset-less file: its twin with offsets holds the same data
      const refPath = REFERENCE_TWIN[file] ? join(REAL, REFERENCE_TWIN[file]) : path;
      const published = PUBLISHED[file]?.[tree.name] ?? {};
      const byJsroot = supported.filter((b) => !(b.name in published));
      const theirs = byJsroot.length > 0 ? await readWithJsroot(refPath, tree.name, byJsroot.map((b) => b.name)) : new Map();
      for (const b of supported) {
        const p = published[b.name];
        if (p) {
          const d = diffColumn(ours.get(b.name)!, asColumnType(p, ours.get(b.name)!));
          if (d === null) o.compared.push(b.name);
          else o.mismatched.push(`${b.name}: ${d.replace(/jsroot/g, 'published')}`);
          continue;
        }
        const t = theirs.get(b.name);
        if (t instanceof Error || t === undefined) {
          o.mismatched.push(`${b.name}: jsroot could not read it (${t?.message ?? 'missing'})`);
          continue;
        }
        const d = diffColumn(ours.get(b.name)!, t);
        if (d === null) o.compared.push(b.name);
        else o.mismatched.push(`${b.name}: ${d}`);
      }
    }
  } finally {
    rf.close();
  }
  return out;
}

const REFERENCE_TWIN: Record<string, string> = {
  'uproot-small-dy-nooffsets.root': 'uproot-small-dy-withoffsets.root',
};

// what is refused, by file -> tree -> branch -> reason pattern
const EXPECTED_REFUSALS: Record<string, Record<string, Record<string, RegExp>>> = {
  'string-example.root': { Refs: { Params: /the tree has 0 entries but this branch holds 2 / } },
  'uproot-small-evnt-tree-nosplit.root': { tree: { evt: /unsplit object of class 'Event'/ } },
  'uproot-small-evnt-tree-fullsplit.root': { tree: { evt: /split object 'Event'/, P3: /split object/ } },
  'uproot-nesteddirs.root': { 'three/tree': { evt: /split object 'Event'/, P3: /split object/ } },
  'uproot-vectorVectorDouble.root': { t: { x: /vector of 'vector<double>'/ } },
  'uproot-stl_containers.root': {
    tree: {
      vector_vector_int32: /vector of 'vector<int>'/,
      vector_vector_string: /vector of 'vector<string>'/,
      vector_vector_tstring: /vector of 'vector<TString>'/,
      vector_set_int32: /vector of 'set<int>'/,
      vector_set_string: /vector of 'set<string>'/,
      set_int32: /STL container 'set<int>'/,
      set_string: /STL container 'set<string>'/,
      map_int32_int16: /STL container 'map<int,short>'/,
      map_int32_vector_int16: /map</,
      map_int32_vector_string: /map</,
      map_int32_set_int16: /map</,
      map_int32_set_string: /map</,
      map_string_int16: /map</,
      map_string_vector_int16: /map</,
      map_string_vector_string: /map</,
      map_string_set_int16: /map</,
      map_string_set_string: /map</,
      map_int32_vector_vector_int16: /map</,
      map_int32_vector_set_int16: /map</,
      map_string_string: /map</,
      map_string_tstring: /map</,
    },
  },
};

describe('every real file: our decoder vs jsroot', () => {
  it('has the fixture files', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(22);
  });

  it('has a real file for every published reference, and each reference is a branch we read', async () => {
    for (const [file, trees] of Object.entries(PUBLISHED)) {
      expect(FILES).toContain(file);
      const rf = await openRootFile(join(REAL, file));
      try {
        for (const [tree, branches] of Object.entries(trees)) {
          for (const name of Object.keys(branches)) expect(rf.branch(tree, name).type.kind, `${file} ${tree}/${name}`).not.toBe('unsupported');
        }
      } finally {
        rf.close();
      }
    }
  });

  for (const file of FILES) {
    it(file, async () => {
      const result = await checkFile(file);
      const report = [...result].map(([tree, o]) => ({
        tree,
        compared: o.compared.length,
        refused: o.refused.map((r) => `${r.branch}: ${r.reason}`),
      }));
      // the refusal list is part of the test's output
      console.log(`${file}: ${JSON.stringify(report, null, 1)}`);
      for (const [, o] of result) expect(o.mismatched).toEqual([]);
      const expected = EXPECTED_REFUSALS[file] ?? {};
      for (const [tree, o] of result) {
        const want = expected[tree] ?? {};
        expect(o.refused.map((r) => r.branch).sort()).toEqual(Object.keys(want).sort());
        for (const r of o.refused) {
          expect(r.reason).toMatch(want[r.branch]!);
        }
      }
    });
  }
});
