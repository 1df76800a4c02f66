// The model's output files: `--model FILE.json` (jsonOutput.ts), `--model FILE.root`
// (the ROOT writer: rootOutput.ts) and `--html FILE.html` (the renderer:
// src/report/html/render.ts). The last two are loaded only when asked for.

import { atomicWrite } from '../cache/atomicWrite.js';
import type { Report } from '../report/join.js';
import type { ReportProvenance } from '../report/machine.js';
import { modelFormatOf } from './format.js';
import type { HtmlReportInput } from '../report/html/input.js';
import { htmlInputOf } from './htmlInput.js';
import { modelDocument, writeModelJson } from './jsonOutput.js';
import type { WeightedHistogram } from './types.js';
import { histogramsOf, type WeightedModel } from './weight.js';

type WriteHistograms = (path: string, hists: readonly WeightedHistogram[]) => Promise<void>;
type RenderHtml = (input: HtmlReportInput) => string;

/** The ROOT writer (TH2D), loaded only for --model FILE.root. */
async function loadRootWriter(): Promise<WriteHistograms> {
  return (await import('./rootOutput.js')).writeHistogramsFile;
}

/** The renderer (d3 into SVG), loaded only for --html. */
async function loadHtmlRenderer(): Promise<RenderHtml> {
  return (await import('../report/html/render.js')).renderHtmlReport;
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
