// Value-for-value comparison of a decoded column with jsroot's per-entry values.
import type { NumericArray } from '../../../src/root/write/types.js';
import type { ColumnData, StringClassifier } from '../../../src/root/read/columns.js';
import type { JsValue } from './jsroot-reference.js';

function sameNumber(ours: number | bigint, theirs: unknown): boolean {
  if (typeof ours === 'bigint') {
    if (typeof theirs === 'bigint') return ours === theirs;
    if (typeof theirs !== 'number') return false;
    // jsroot reads 64-bit integers as doubles: exact while they are safe integers
    return Number.isSafeInteger(theirs) ? ours === BigInt(theirs) : Number(ours) === theirs;
  }
  if (typeof theirs === 'boolean') return ours === (theirs ? 1 : 0);
  if (typeof theirs !== 'number') return false;
  return ours === theirs || (Number.isNaN(ours) && Number.isNaN(theirs));
}

function elem(a: NumericArray, i: number): number | bigint {
  return a[i]!;
}

/**
 * Returns null when equal, else a description of the first difference. A column read
 * by class is compared with `classify` of jsroot's strings.
 */
export function diffColumn(ours: ColumnData, theirs: readonly JsValue[], entryOffset = 0, classify?: StringClassifier): string | null {
  const at = (i: number) => `entry ${i + entryOffset}`;
  switch (ours.kind) {
    case 'scalar': {
      if (ours.values.length !== theirs.length) return `${ours.values.length} entries, jsroot has ${theirs.length}`;
      for (let i = 0; i < theirs.length; i++) {
        if (!sameNumber(elem(ours.values, i), theirs[i])) return `${at(i)}: ${String(elem(ours.values, i))} vs jsroot ${String(theirs[i])}`;
      }
      return null;
    }
    case 'vector': {
      if (ours.offsets.length !== theirs.length + 1) return `${ours.offsets.length - 1} entries, jsroot has ${theirs.length}`;
      if (ours.offsets[0] !== 0) return 'offsets[0] != 0';
      for (let i = 0; i < theirs.length; i++) {
        let t = theirs[i];
        // jsroot reads a fixed array of (signed) chars as a string: compare its char codes
        if (typeof t === 'string' && (ours.values instanceof Int8Array || ours.values instanceof Uint8Array)) {
          const codes = Array.from(t, (c) => c.charCodeAt(0));
          const mine = Array.from(ours.values.subarray(ours.offsets[i]!, ours.offsets[i + 1]!), (x) => x & 0xff);
          // jsroot's string stops at the first NUL
          const cut = mine.indexOf(0);
          const expect = cut < 0 ? mine : mine.slice(0, cut);
          if (codes.join() !== expect.join()) return `${at(i)}: bytes ${expect.join()} vs jsroot string codes ${codes.join()}`;
          continue;
        }
        if (!Array.isArray(t)) return `${at(i)}: jsroot gave a non-array ${String(t)}`;
        const a = ours.offsets[i]!;
        const b = ours.offsets[i + 1]!;
        if (b - a !== t.length) return `${at(i)}: ${b - a} elements vs jsroot ${t.length}`;
        for (let j = 0; j < t.length; j++) {
          if (!sameNumber(elem(ours.values, a + j), t[j])) return `${at(i)}[${j}]: ${String(elem(ours.values, a + j))} vs jsroot ${String(t[j])}`;
        }
      }
      if (ours.values.length !== ours.offsets[theirs.length]) return 'values longer than the last offset';
      return null;
    }
    case 'string': {
      if (ours.indices.length !== theirs.length) return `${ours.indices.length} entries, jsroot has ${theirs.length}`;
      for (let i = 0; i < theirs.length; i++) {
        const s = ours.dictionary[ours.indices[i]!];
        if (s !== theirs[i]) return `${at(i)}: ${JSON.stringify(s)} vs jsroot ${JSON.stringify(theirs[i])}`;
      }
      return null;
    }
    case 'vectorStringClass': {
      if (!classify) return 'read by class, and no classifier to compare with';
      if (ours.offsets.length !== theirs.length + 1) return `${ours.offsets.length - 1} entries, jsroot has ${theirs.length}`;
      for (let i = 0; i < theirs.length; i++) {
        const t = theirs[i];
        if (!Array.isArray(t)) return `${at(i)}: jsroot gave a non-array`;
        const a = ours.offsets[i]!;
        if (ours.offsets[i + 1]! - a !== t.length) return `${at(i)}: ${ours.offsets[i + 1]! - a} strings vs jsroot ${t.length}`;
        for (let j = 0; j < t.length; j++) {
          if (ours.classes[a + j] !== classify(String(t[j]))) return `${at(i)}[${j}]: class ${ours.classes[a + j]} vs ${classify(String(t[j]))} of jsroot's ${JSON.stringify(t[j])}`;
        }
      }
      return null;
    }
    case 'vectorString': {
      if (ours.offsets.length !== theirs.length + 1) return `${ours.offsets.length - 1} entries, jsroot has ${theirs.length}`;
      for (let i = 0; i < theirs.length; i++) {
        const t = theirs[i];
        if (!Array.isArray(t)) return `${at(i)}: jsroot gave a non-array`;
        const a = ours.offsets[i]!;
        const b = ours.offsets[i + 1]!;
        if (b - a !== t.length) return `${at(i)}: ${b - a} strings vs jsroot ${t.length}`;
        for (let j = 0; j < t.length; j++) {
          const s = ours.dictionary[ours.indices[a + j]!];
          if (s !== t[j]) return `${at(i)}[${j}]: ${JSON.stringify(s)} vs jsroot ${JSON.stringify(t[j])}`;
        }
      }
      return null;
    }
  }
}
