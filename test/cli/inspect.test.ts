import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mssi, ROOT_DIR } from './runCli.js';
import { LONG_BRANCH, LONG_TREE, writeLongNames, writeLongNamesWithDamagedBasket } from '../root/read/longNames.js';

const real = (name: string) => join(ROOT_DIR, 'fixtures', 'real', name);
const dir = mkdtempSync(join(tmpdir(), 'mssi-cli-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mssi inspect', () => {
  it('lists trees, branches, types, baskets and compression', async () => {
    const r = await mssi(['inspect', '--wide', real('uproot-HZZ-lz4.root')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tree events "": 2421 entries/);
    expect(r.stdout).toMatch(/Jet_Px\s+vector<float32>\s+TLeafF\[NJet\]\s+2421\s+1\s+[\d.]+ KiB\s+[\d.]+ KiB\s+lz4/);
    expect(r.stdout).toMatch(/MSSI selection cannot run on this file:\n {2}Scatters \/ ss\.x_cm: no tree Scatters/);
  });

  it('says why a branch is not readable', async () => {
    const r = await mssi(['inspect', real('uproot-small-evnt-tree-nosplit.root')]);
    expect(r.code).toBe(0);
    // the type column says so; the reason, whole, is listed under the table (a cut column cannot lose it)
    expect(r.stdout).toMatch(/\n {2}evt\s+unsupported\b/);
    expect(r.stdout).toMatch(/branch\(es\) mssi does not decode:\n(?: {2}.*\n)*? {2}evt: unsplit object of class 'Event'/);
  });

  it('gives JSON with the selection fit, and fails a non-ROOT file by name', async () => {
    const r = await mssi(['inspect', '--json', real('uproot-HZZ-zlib.root'), real('LICENSE')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LICENSE');
    const [d] = JSON.parse(r.stdout) as { trees: { name: string }[]; selection: { problem: string | null }[] }[];
    expect(d!.trees.map((t) => t.name)).toEqual(['events']);
    expect(d!.selection.every((s) => s.problem !== null)).toBe(true);
  });

  it('describes branches with long names in several baskets', async () => {
    const path = join(dir, 'long.root');
    writeLongNames(path);
    const r = await mssi(['inspect', '--wide', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`tree ${LONG_TREE} "": 400 entries`);
    expect(r.stdout).toMatch(new RegExp(`${LONG_BRANCH.replace(/\./g, '\\.')}\\s+float64\\s+TLeafD\\s+400\\s+(\\d+)`));
    expect(r.stdout).not.toContain('could not be described');
  });

  it('reports a branch it cannot describe, describes the others, and exits 1', async () => {
    const path = join(dir, 'damaged.root');
    const seek = await writeLongNamesWithDamagedBasket(path);
    const r = await mssi(['inspect', '--wide', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/short\s+int32\s+TLeafI\s+400/);
    expect(r.stdout).toContain('1 branch(es) could not be described:');
    expect(r.stdout).toContain(`${LONG_BRANCH}: basket 1 at byte ${seek}: `);
    const j = await mssi(['inspect', '--json', path]);
    expect(j.code).toBe(1);
    const [d] = JSON.parse(j.stdout) as { trees: { branches: { name: string; problem?: string }[] }[] }[];
    expect(d!.trees[0]!.branches.map((b) => b.problem === undefined)).toEqual([false, true]);
  });

  it('says why Double32_t, RVec, never-filled and uncounted branches are what they are', async () => {
    const r = await mssi(['inspect', '--wide', real('uproot-double32-float16.root'), real('gohep-rvec.root'), real('string-example.root')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/double32_20\s+float64\s+TLeafD32 \(range \[-2\.71,10\], 20 bits\)\s+17/);
    expect(r.stdout).toMatch(/MC_px\s+vector<float32>\s+ROOT::VecOps::RVec<float>\s+5/);
    expect(r.stdout).toMatch(/Params\s+unsupported\s+TLeafC\s+2\b/);
    expect(r.stdout).toMatch(/\n {2}Params: the tree has 0 entries but this branch holds 2 /);
  });
});
