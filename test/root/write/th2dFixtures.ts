// TH2D specs with the awkward cases: odd bin counts, a single bin, flow cells set,
// weights near the ends of float64's range (subnormal, 1e150 whose square is 1e300),
// negative and zero cells.
import type { Th2dSpec } from '../../../src/root/write/index.js';
import { th2dStats } from '../../../src/root/write/th2dStats.js';
import { Rng } from './fixtures.js';

const AWKWARD = [0, 1, 5e-324, 1e-160, 3.5e-12, 1e150, 7.5e149, -2.25, 0.1 + 0.2];

export function th2dSpec(name: string, xCount: number, yCount: number, seed: number, title = `${name} title`): Th2dSpec {
  const x = { count: xCount, low: -1.5, high: 600.25, title: 'cS1 [phd]' };
  const y = { count: yCount, low: 2.5, high: 4.5, title: 'log_{10} cS2 [phd]' };
  const n = (xCount + 2) * (yCount + 2);
  const rng = new Rng(seed);
  const values = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? (AWKWARD[rng.int(AWKWARD.length)] as number) : rng.next() * 1e3));
  const sumw2 = values.map((v) => v * v * 0.5 + (rng.int(4) === 0 ? 1e-310 : 0));
  return { name, title, x, y, values, sumw2, entries: 1000 + seed, stats: th2dStats(x, y, values, sumw2) };
}
