// `--model FILE.json`: the model as data, schema mssi.model/1 (README "Output formats"):
// the axes with their edges, each file's raw counts (sparse), and per source and in
// total the raw counts, values and variances in ROOT's cell layout, flow cells included.

import { atomicWrite } from '../cache/atomicWrite.js';
import type { Report } from '../report/join.js';
import type { ReportProvenance } from '../report/machine.js';
import { axisEdges, filledEntries } from './bin.js';
import { modelToJson } from './codec.js';
import type { BinnedCounts, WeightedHistogram } from './types.js';
import { X_TITLE, Y_TITLE, type WeightedModel } from './weight.js';

export const MODEL_SCHEMA = 'mssi.model/1';

const dense = (a: Float64Array) => Array.from(a);

function histogramJson(counts: BinnedCounts, h: WeightedHistogram | null, name: string) {
  return {
    name: h?.name ?? name,
    title: h?.title ?? null,
    /** Unweighted events in cells (flow included), as ROOT's fEntries. */
    entries: filledEntries(counts),
    nan: counts.nan,
    counts: dense(counts.cells),
    values: h ? dense(h.values) : null,
    variances: h ? dense(h.variances) : null,
  };
}

/** The mssi.model/1 document of a report's files and their weighted model. */
export function modelDocument(report: Report, model: WeightedModel, provenance: ReportProvenance): object {
  const { x, y } = model.totalCounts;
  return {
    schema: MODEL_SCHEMA,
    mssiVersion: provenance.mssiVersion,
    selectionHash: provenance.selectionHash,
    livetimeDays: report.livetimeDays,
    layout: {
      cells: (x.count + 2) * (y.count + 2),
      cell: 'ix + (x.count + 2) * iy',
      bins: 'ix = 0 underflow (x < low), 1..x.count the bins (edges[k] <= x < edges[k+1]), x.count + 1 overflow (x >= high); iy the same',
    },
    x: { title: X_TITLE, variable: 'correctedS1Area_phd', ...x, edges: dense(axisEdges(x)) },
    y: { title: Y_TITLE, variable: 'log10(correctedS2Area_phd)', ...y, edges: dense(axisEdges(y)) },
    files: report.rows.map((r) => {
      const sparse = modelToJson(r.result.model);
      return {
        path: r.result.path,
        source: r.result.source,
        contentHash: r.result.contentHash,
        eventWeight: r.result.eventWeight,
        ratePerDay: r.ratePerDay,
        weight: r.ratePerDay === null || r.result.eventWeight === null ? null : r.result.eventWeight * r.ratePerDay,
        ss: sparse.ss,
        mssi: sparse.mssi,
      };
    }),
    sources: model.sources.map((s) => ({
      source: s.source,
      ratePerDay: s.ratePerDay,
      ss: histogramJson(s.counts.ss, s.ss, `h_ss_${s.source}`),
      mssi: histogramJson(s.counts.mssi, s.mssi, `h_mssi_${s.source}`),
    })),
    total: {
      ss: histogramJson(model.totalCounts.ss, model.ssTotal, 'h_ss_total'),
      mssi: histogramJson(model.totalCounts.mssi, model.mssiTotal, 'h_mssi_total'),
    },
  };
}

/** Writes the document whole (temporary name, rename). NaN or infinite numbers are written as null. */
export function writeModelJson(path: string, document: object): void {
  atomicWrite(path, `${JSON.stringify(document)}\n`);
}
