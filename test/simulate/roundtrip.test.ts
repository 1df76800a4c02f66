// What simulate writes reads back (with the project's reader) as the same
// columns and the same selection counts as were generated.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRootFile, type ColumnData } from '../../src/root/read/index.js';
import { isSkippedVolume } from '../../src/selection/cuts.js';
import { selectReference } from '../../src/selection/reference.js';
import type { EventColumns, NumberArray } from '../../src/selection/types.js';
import { LzEventGenerator } from '../../src/simulate/generate.js';
import { allocateColumns, branchNames, SCATTERS_TREE, TRUTH_TREE, VOLUME_NAMES } from '../../src/simulate/lzModel.js';
import { simulate } from '../../src/simulate/simulate.js';
import { sourceParams } from '../../src/simulate/sources.js';

function numbers(c: ColumnData | undefined, name: string): NumberArray {
  if (c?.kind !== 'scalar' || c.values instanceof BigInt64Array || c.values instanceof BigUint64Array) throw new Error(`${name}: not a 32-bit scalar`);
  return c.values;
}
function jagged(c: ColumnData | undefined, name: string): { offsets: Int32Array; values: NumberArray } {
  if (c?.kind !== 'vector' || c.values instanceof BigInt64Array || c.values instanceof BigUint64Array) throw new Error(`${name}: not a vector`);
  return { offsets: c.offsets, values: c.values };
}

async function readEventColumns(path: string): Promise<EventColumns> {
  const f = await openRootFile(path);
  try {
    const ss = await f.readColumns(SCATTERS_TREE, ['ss.x_cm', 'ss.y_cm', 'ss.driftTime_ns', 'ss.s2Area_phd', 'ss.correctedS1Area_phd', 'ss.correctedS2Area_phd']);
    const mc = await f.readColumns(TRUTH_TREE, [
      'mcTruthVertices.nRQMCTruthVertices',
      'mcTruthVertices.volumeName',
      'mcTruthVertices.detectedS1Photons',
      'mcTruthVertices.detectedS2Photons',
    ]);
    const names = mc.get('mcTruthVertices.volumeName');
    if (names?.kind !== 'vectorString') throw new Error('volumeName: not a vector<string>');
    const skipByName = names.dictionary.map((n) => (isSkippedVolume(n) ? 1 : 0));
    const x = numbers(ss.get('ss.x_cm'), 'ss.x_cm');
    return {
      entries: x.length,
      x_cm: x,
      y_cm: numbers(ss.get('ss.y_cm'), 'ss.y_cm'),
      driftTime_ns: numbers(ss.get('ss.driftTime_ns'), 'ss.driftTime_ns'),
      s2Area_phd: numbers(ss.get('ss.s2Area_phd'), 's2'),
      correctedS1Area_phd: numbers(ss.get('ss.correctedS1Area_phd'), 's1c'),
      correctedS2Area_phd: numbers(ss.get('ss.correctedS2Area_phd'), 's2c'),
      nRQMCTruthVertices: numbers(mc.get('mcTruthVertices.nRQMCTruthVertices'), 'n'),
      vertexSkipped: { offsets: names.offsets, values: Uint8Array.from(names.indices, (k) => skipByName[k]!) },
      detectedS1Photons: jagged(mc.get('mcTruthVertices.detectedS1Photons'), 's1 photons'),
      detectedS2Photons: jagged(mc.get('mcTruthVertices.detectedS2Photons'), 's2 photons'),
    };
  } finally {
    f.close();
  }
}

describe('simulate → ROOT → reader', () => {
  const out = mkdtempSync(join(tmpdir(), 'mssi-roundtrip-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('reads back the committed fixtures with the counts in counts.json', async () => {
    const manifest = JSON.parse(readFileSync('fixtures/lz/counts.json', 'utf8')) as { files: { file: string; nSS: number }[] };
    for (const entry of manifest.files) {
      const { file, ...expected } = entry;
      const { eventWeight: _w, source: _s, ...counts } = expected as Record<string, number>;
      expect(selectReference(await readEventColumns(join('fixtures/lz', file))), file).toEqual(counts);
    }
  });

  it.each(['split', 'flat'] as const)('round-trips every branch of the %s layout', async (layout) => {
    const events = 1500;
    const [written] = await simulate({
      outDir: join(out, layout),
      sources: ['K40_BottomTruss'],
      events,
      layout,
      compression: { algorithm: 'zlib', level: 1 },
      basketSize: 1024,
      clusterSize: 400,
      seed: 11,
    });
    const g = new LzEventGenerator(sourceParams('K40_BottomTruss'), 11, events);
    const c = allocateColumns(events);
    g.fill(c, events);
    const f = await openRootFile(written!.path);
    try {
      expect(f.tree(SCATTERS_TREE).entries).toBe(events);
      expect(f.tree(TRUTH_TREE).entries).toBe(events);
      const ss = await f.readColumns(SCATTERS_TREE, branchNames().get(SCATTERS_TREE)!);
      expect(numbers(ss.get('ss.x_cm'), 'x')).toEqual(c.x_cm);
      expect(numbers(ss.get('ss.correctedS2Area_phd'), 's2c')).toEqual(c.correctedS2Area_phd);
      expect(numbers(ss.get('ss.s2PulseID'), 's2PulseID')).toEqual(c.s2PulseID);
      const mc = await f.readColumns(TRUTH_TREE, branchNames().get(TRUTH_TREE)!);
      const nv = c.vertexOffsets[events]!;
      const e = jagged(mc.get('mcTruthVertices.energyDep_keV'), 'energy');
      expect(e.offsets).toEqual(c.vertexOffsets);
      expect(e.values).toEqual(c.energyDep_keV.subarray(0, nv));
      const names = mc.get('mcTruthVertices.volumeName');
      expect(names?.kind).toBe('vectorString');
      if (names?.kind === 'vectorString') {
        const read = Array.from(names.indices, (k) => names.dictionary[k]);
        const generated = Array.from(c.volumeIndex.subarray(0, nv), (k) => VOLUME_NAMES[k]);
        expect(read).toEqual(generated);
        expect(names.offsets).toEqual(c.vertexOffsets);
      }
      expect(numbers(mc.get('mcTruthEvent.eventWeight'), 'w')[0]).toBe(written!.eventWeight);
      const parent = mc.get('mcTruthEvent.parentVolume');
      expect(parent?.kind === 'string' && parent.dictionary[parent.indices[0]!]).toBe('BottomTruss');
      expect(selectReference(await readEventColumns(written!.path))).toEqual(written!.counts);
    } finally {
      f.close();
    }
  });
});
