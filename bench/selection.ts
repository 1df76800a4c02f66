// The CPU selection (selectCpu: the WebAssembly kernel) by selection and by what it
// returns: the six counts only, or with each event's decision bits too (what the
// model bins from). Chunks of CHUNK_ENTRIES events drawn around every cut, as a
// worker selects them; the rounds alternate between the variants, and the best of
// each is kept.

import { CHUNK_ENTRIES } from '../src/analysis/analyseRange.js';
import { boundaryEvents } from '../src/gpu/boundaryEvents.js';
import { DEFAULT_SELECTION, type Selection } from '../src/selection/definition.js';
import type { EventColumns } from '../src/selection/types.js';
import { selectCpu } from '../src/selection/wasmSelect.js';
import type { BenchRow } from './table.js';

const CHUNKS = 16;
const ROUNDS = 7;

const ws2024: Selection = { ...DEFAULT_SELECTION, roi: { ...DEFAULT_SELECTION.roi, cs1Phd: [3, 80] } };
/** The default wall with three leading zeros: 9 coefficients, the kernel's 17-term Horner. */
const longWall: Selection = { ...DEFAULT_SELECTION, fv: { ...DEFAULT_SELECTION.fv, wallPoly: [0, 0, 0, ...DEFAULT_SELECTION.fv.wallPoly] } };

export function benchSelection(): BenchRow[] {
  const chunks: EventColumns[] = Array.from({ length: CHUNKS }, (_, k) => boundaryEvents(CHUNK_ENTRIES, 900 + k, { wallFraction: 0.01 }));
  const bits = new Uint8Array(CHUNK_ENTRIES);
  const events = CHUNKS * CHUNK_ENTRIES;
  const variants: { name: string; note: string; run: (c: EventColumns) => void }[] = [
    { name: 'selectCpu, counts only (default selection)', note: 'what a run without a model does', run: (c) => selectCpu(c, DEFAULT_SELECTION) },
    { name: 'selectCpu, counts and decision bits', note: 'what the model bins from', run: (c) => selectCpu(c, DEFAULT_SELECTION, bits) },
    { name: 'selectCpu, counts only, ws2024 selection', note: 'another selection: the same code', run: (c) => selectCpu(c, ws2024) },
    { name: 'selectCpu, counts only, 9-coefficient wall', note: "the kernel's 17-term Horner (polynomials over 6 terms)", run: (c) => selectCpu(c, longWall) },
  ];
  const best = variants.map(() => Number.POSITIVE_INFINITY);
  for (const v of variants) v.run(chunks[0]!); // compiles the kernel, configures each selection once
  for (let round = 0; round < ROUNDS; round++) {
    variants.forEach((v, i) => {
      const began = performance.now();
      for (const c of chunks) v.run(c);
      best[i] = Math.min(best[i]!, performance.now() - began);
    });
  }
  const base = best[0]!;
  return variants.map((v, i) => ({
    name: v.name,
    value: events / (best[i]! / 1000),
    unit: 'events/s',
    limit: i === 0 ? undefined : `${((best[i]! / base - 1) * 100).toFixed(1)}% time vs counts only`,
    note: `${v.note}; ${events} events in ${CHUNKS} chunks, best of ${ROUNDS}`,
  }));
}
