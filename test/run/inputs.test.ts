import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandInputs } from '../../src/run/inputs.js';

function tree() {
  const dir = mkdtempSync(join(tmpdir(), 'mssi-inputs-'));
  for (const name of ['b.root', 'a.root', 'notes.txt']) writeFileSync(join(dir, name), 'x');
  mkdirSync(join(dir, 'empty'));
  return dir;
}

describe('input expansion', () => {
  it('keeps named files in order, once', () => {
    const d = tree();
    const r = expandInputs([join(d, 'b.root'), join(d, 'a.root'), join(d, 'b.root')]);
    expect(r.files).toEqual([join(d, 'b.root'), join(d, 'a.root')]);
    expect(r.problems).toEqual([]);
  });

  it('expands a folder and an unexpanded glob, sorted', () => {
    const d = tree();
    expect(expandInputs([d]).files).toEqual([join(d, 'a.root'), join(d, 'b.root')]);
    expect(expandInputs([join(d, '*.root')]).files).toEqual([join(d, 'a.root'), join(d, 'b.root')]);
  });

  it('names inputs that match nothing', () => {
    const d = tree();
    const r = expandInputs([join(d, 'missing.root'), join(d, '*.nope'), join(d, 'empty'), join(d, 'a.root')]);
    expect(r.files).toEqual([join(d, 'a.root')]);
    expect(r.problems.map((p) => p.message)).toEqual([
      `${join(d, 'missing.root')}: no such file`,
      `${join(d, '*.nope')}: no file matches this pattern`,
      `${join(d, 'empty')}: folder has no .root files`,
    ]);
  });
});
