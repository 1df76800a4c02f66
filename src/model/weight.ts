// The model in events/day: per source, each file's counts weighted by w = eventWeight *
// rate (value = count * w, variance = count * w^2: the simulation's Poisson error), the
// files of one source added; the total over the sources that have a rate.

import type { FileResult } from '../result.js';
import { addModel, emptyModel, filledEntries, type ModelAxes } from './bin.js';
import { cellCount, type BinnedCounts, type ModelCounts, type WeightedHistogram } from './types.js';

export const X_TITLE = 'cS1 [phd]';
export const Y_TITLE = 'log_{10}(cS2 [phd])';

/** One source's model: its raw counts (its files added) and, with a rate, its weighted histograms. */
export interface SourceModel {
  readonly source: string;
  /** Decays per day; null when the rates table has none (no histograms then, and not in the total). */
  readonly ratePerDay: number | null;
  readonly counts: ModelCounts;
  readonly ss: WeightedHistogram | null;
  readonly mssi: WeightedHistogram | null;
}

export interface WeightedModel {
  /** In the order the sources first appear among the results. */
  readonly sources: readonly SourceModel[];
  /** Raw counts of the sources with a rate, added. */
  readonly totalCounts: ModelCounts;
  readonly ssTotal: WeightedHistogram;
  readonly mssiTotal: WeightedHistogram;
}

type Kind = 'ss' | 'mssi';
const LABEL: Record<Kind, string> = { ss: 'SS FV ROI', mssi: 'MSSI FV ROI' };

/** Sums of count * w and count * w^2 per cell, and the unweighted fills. */
class WeightedSum {
  readonly values: Float64Array;
  readonly variances: Float64Array;
  entries = 0;

  constructor(
    private readonly kind: Kind,
    private readonly axes: Pick<ModelCounts, 'x' | 'y'>,
  ) {
    this.values = new Float64Array(cellCount(axes.x, axes.y));
    this.variances = new Float64Array(this.values.length);
  }

  add(b: BinnedCounts, w: number): void {
    const w2 = w * w;
    const { values, variances } = this;
    const cells = b.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if (c === 0) continue;
      values[i]! += c * w;
      variances[i]! += c * w2;
    }
    this.entries += filledEntries(b);
  }

  histogram(name: string, what: string): WeightedHistogram {
    return {
      name,
      title: `${LABEL[this.kind]} events/day, ${what}`,
      x: { ...this.axes.x, title: X_TITLE },
      y: { ...this.axes.y, title: Y_TITLE },
      values: this.values,
      variances: this.variances,
      entries: this.entries,
    };
  }
}

/**
 * The weighted model of `results` (each with its model counts) under `rateOf` (Source ->
 * decays/day). Files with no entries (no eventWeight) add nothing; their source still has
 * its histograms when it has a rate. Throws ModelAxesMismatchError for files binned differently.
 */
export function weightModel(results: readonly FileResult[], rateOf: ReadonlyMap<string, number>, axes: ModelAxes): WeightedModel {
  const bySource = new Map<string, FileResult[]>();
  for (const r of results) {
    const files = bySource.get(r.source);
    if (files) files.push(r);
    else bySource.set(r.source, [r]);
  }
  const totalCounts = emptyModel(axes);
  const ssTotal = new WeightedSum('ss', axes);
  const mssiTotal = new WeightedSum('mssi', axes);
  const sources: SourceModel[] = [];
  for (const [source, files] of bySource) {
    const counts = emptyModel(axes);
    for (const f of files) addModel(counts, f.model, f.path);
    const rate = rateOf.get(source) ?? null;
    if (rate === null) {
      sources.push({ source, ratePerDay: null, counts, ss: null, mssi: null });
      continue;
    }
    addModel(totalCounts, counts, source);
    const ss = new WeightedSum('ss', axes);
    const mssi = new WeightedSum('mssi', axes);
    for (const f of files) {
      if (f.eventWeight === null) continue; // no entries: nothing binned
      const w = f.eventWeight * rate;
      ss.add(f.model.ss, w);
      ssTotal.add(f.model.ss, w);
      mssi.add(f.model.mssi, w);
      mssiTotal.add(f.model.mssi, w);
    }
    sources.push({ source, ratePerDay: rate, counts, ss: ss.histogram(`h_ss_${source}`, source), mssi: mssi.histogram(`h_mssi_${source}`, source) });
  }
  const all = 'all sources with a rate';
  return { sources, totalCounts, ssTotal: ssTotal.histogram('h_ss_total', all), mssiTotal: mssiTotal.histogram('h_mssi_total', all) };
}

/** Every histogram, for a file of them: per source h_ss_<Source> and h_mssi_<Source>, then the totals. */
export function histogramsOf(model: WeightedModel): WeightedHistogram[] {
  const out: WeightedHistogram[] = [];
  for (const s of model.sources) if (s.ss && s.mssi) out.push(s.ss, s.mssi);
  out.push(model.ssTotal, model.mssiTotal);
  return out;
}
