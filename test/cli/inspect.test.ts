import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mssi, ROOT_DIR } from './runCli.js';

const real = (name: string) => join(ROOT_DIR, 'fixtures', 'real', name);

describe('mssi inspect', () => {
  it('lists trees, branches, types, baskets and compression', async () => {
    const r = await mssi(['inspect', real('uproot-HZZ-lz4.root')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tree events "": 2421 entries/);
    expect(r.stdout).toMatch(/Jet_Px\s+vector<float32>\s+TLeafF\[NJet\]\s+2421\s+1\s+[\d.]+ KiB\s+[\d.]+ KiB\s+lz4/);
    expect(r.stdout).toMatch(/MSSI selection cannot run on this file:\n {2}Scatters \/ ss\.x_cm: no tree Scatters/);
  });

  it('says why a branch is not readable', async () => {
    const r = await mssi(['inspect', real('uproot-small-evnt-tree-nosplit.root')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unsupported \(.*unsplit/);
  });

  it('gives JSON with the selection fit, and fails a non-ROOT file by name', async () => {
    const r = await mssi(['inspect', '--json', real('uproot-HZZ-zlib.root'), real('LICENSE')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LICENSE');
    const [d] = JSON.parse(r.stdout) as { trees: { name: string }[]; selection: { problem: string | null }[] }[];
    expect(d!.trees.map((t) => t.name)).toEqual(['events']);
    expect(d!.selection.every((s) => s.problem !== null)).toBe(true);
  });
});
