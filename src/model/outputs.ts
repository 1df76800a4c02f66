// The model's output files: `--model FILE.json` (jsonOutput.ts), `--model FILE.root`
// (the ROOT writer, branch th2d: src/model/rootOutput.ts) and `--html FILE.html` (the
// renderer, branch html: src/report/html/render.ts). The writers of other branches are
// loaded only when asked for (start-up loads neither).

import { atomicWrite } from '../cache/atomicWrite.js';
import type { Report } from '../report/join.js';
import type { ReportProvenance } from '../report/machine.js';
import { modelFormatOf } from './format.js';
import { htmlInputOf, type HtmlReportInput } from './htmlInput.js';
import { modelDocument, writeModelJson } from './jsonOutput.js';
import type { WeightedHistogram } from './types.js';
import { histogramsOf, type WeightedModel } from './weight.js';

/** An output whose writer is not part of this build. */
export class OutputNotBuiltError extends Error {
  constructor(writer: string) {
    super(`not built yet: this version of mssi has no ${writer}`);
    this.name = 'OutputNotBuiltError';
  }
}

type WriteHistograms = (path: string, hists: readonly WeightedHistogram[]) => Promise<void>;
type RenderHtml = (input: HtmlReportInput) => string;

/** The ROOT writer of branch th2d; connected at merge: `return (await import('./rootOutput.js')).writeHistogramsFile;`. */
async function loadRootWriter(): Promise<WriteHistograms> {
  throw new OutputNotBuiltError('ROOT histogram writer (src/model/rootOutput.ts); use --model FILE.json');
}

/** The renderer of branch html; connected at merge: `return (await import('../report/html/render.js')).renderHtmlReport;`. */
async function loadHtmlRenderer(): Promise<RenderHtml> {
  throw new OutputNotBuiltError('HTML report renderer (src/report/html/render.ts)');
}

/** Writes the model to `path` in the format its name says. */
export async function writeModelFile(path: string, report: Report, model: WeightedModel, provenance: ReportProvenance): Promise<void> {
  if (modelFormatOf(path) === 'json') {
    writeModelJson(path, modelDocument(report, model, provenance));
    return;
  }
  const write = await loadRootWriter();
  await write(path, histogramsOf(model));
}

/** Writes the HTML report to `path`, whole (temporary name, rename). */
export async function writeHtmlFile(path: string, report: Report, model: WeightedModel, provenance: ReportProvenance): Promise<void> {
  const render = await loadHtmlRenderer();
  atomicWrite(path, render(htmlInputOf(report, model, provenance)));
}
