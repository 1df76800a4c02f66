// The committed fixtures/lz/*.root are exactly what the command in
// fixtures/lz/README.md writes: regenerate them and compare the bytes.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

const FIXTURES = 'fixtures/lz';

/** The arguments after `simulate` of the README's command, with fixtures/lz replaced by `dir`. */
function readmeArguments(dir: string): string[] {
  const readme = readFileSync(join(FIXTURES, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.trim().startsWith('node bin/mssi simulate '));
  if (!line) throw new Error(`${FIXTURES}/README.md has no "node bin/mssi simulate ..." line`);
  const words = line.trim().split(/\s+/).slice(3);
  expect(words[0]).toBe(FIXTURES);
  return words.map((w) => (w.startsWith(FIXTURES) ? dir + w.slice(FIXTURES.length) : w));
}

describe('fixtures/lz', () => {
  const out = mkdtempSync(join(tmpdir(), 'mssi-fixtures-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('are byte-identical to what the README command writes', async () => {
    const silence = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      process.exitCode = 0;
      await main(['node', 'mssi', 'simulate', ...readmeArguments(out)]);
      expect(process.exitCode).toBe(0);
    } finally {
      silence.mockRestore();
      process.exitCode = 0;
    }
    const committed = readdirSync(FIXTURES).filter((n) => n.endsWith('.root') || n === 'counts.json').sort();
    expect(committed).toHaveLength(11);
    expect(readdirSync(out).sort()).toEqual(committed);
    for (const name of committed) {
      const a = readFileSync(join(FIXTURES, name));
      const b = readFileSync(join(out, name));
      expect(b.length, name).toBe(a.length);
      expect(Buffer.compare(a, b), name).toBe(0);
    }
  });

  it('stay small', () => {
    const total = readdirSync(FIXTURES)
      .filter((n) => n.endsWith('.root'))
      .reduce((s, n) => s + readFileSync(join(FIXTURES, n)).length, 0);
    expect(total).toBeLessThan(3_000_000);
  });
});
