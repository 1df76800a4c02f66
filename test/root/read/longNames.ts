// A ROOT file whose branch names make basket keys longer than 128 bytes, for the
// inspect tests (of the module and of the CLI).
import { closeSync, openSync, writeSync } from 'node:fs';
import { RootFileWriter, type ColumnChunk } from '../../../src/root/write/index.js';
import { openRootFile } from '../../../src/root/read/reader.js';

export const LONG_TREE = 'Scatters_with_a_rather_long_tree_name';
export const LONG_BRANCH = 'ss.a_branch_name_long_enough_that_its_basket_keys_pass_128_bytes_x_cm';

/** Writes a tree with two branches (one long-named) of `n` entries, several baskets each. */
export function writeLongNames(path: string, n = 400): void {
  const w = RootFileWriter.open(path, {
    compression: { algorithm: 'zlib', level: 1 },
    basketSize: 256,
    datime: new Date(Date.UTC(2024, 0, 1)),
    uuid: new Uint8Array(16),
  });
  const t = w.tree({
    name: LONG_TREE,
    title: '',
    branches: [
      { kind: 'leaf', name: LONG_BRANCH, type: { kind: 'scalar', type: 'float64' } },
      { kind: 'leaf', name: 'short', type: { kind: 'scalar', type: 'int32' } },
    ],
  });
  t.writeCluster(
    n,
    new Map<string, ColumnChunk>([
      [LONG_BRANCH, { kind: 'scalar', values: Float64Array.from({ length: n }, (_, i) => i / 2) }],
      ['short', { kind: 'scalar', values: Int32Array.from({ length: n }, (_, i) => i) }],
    ]),
  );
  w.close();
}

/** The same file with the long branch's second basket key damaged (fKeylen 18, shorter than a key can be); returns that basket's seek. */
export async function writeLongNamesWithDamagedBasket(path: string): Promise<number> {
  writeLongNames(path);
  const rf = await openRootFile(path);
  const second = rf.tree(LONG_TREE).branches.get(LONG_BRANCH)!.baskets[1]!;
  rf.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Uint8Array.from([0, 18]), 0, 2, second.seek + 14);
  closeSync(fd);
  return second.seek;
}
