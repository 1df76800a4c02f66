// jsroot, bundled into the CLI without its own zstd (scripts/bundle.mjs leaves it
// out), reads the metadata of the first file a process opens through mssi's
// decompression: a zstd or LZMA file opened first is described as under vitest,
// where jsroot comes whole from node_modules.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { inspectRootFile } from '../../src/root/read/inspect.js';
import { mssi, ROOT_DIR } from './runCli.js';

const real = (name: string) => join(ROOT_DIR, 'fixtures', 'real', name);

describe('the bundled jsroot', () => {
  for (const name of ['uproot-HZZ-zstd.root', 'uproot-HZZ-lzma.root']) {
    it(`reads the compressed metadata of ${name}, the first file of the process`, async () => {
      const r = await mssi(['inspect', '--json', real(name)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [described] = JSON.parse(r.stdout) as { trees: unknown }[];
      const expected = JSON.parse(JSON.stringify(await inspectRootFile(real(name)))) as { trees: unknown };
      expect(described!.trees).toEqual(expected.trees);
    });
  }
});
