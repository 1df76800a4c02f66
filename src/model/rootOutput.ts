// `--model FILE.root`: the model's histograms as a ROOT file of TH2D, one key per
// histogram under its name, written by the project's writer (src/root/write). Each
// TH2D holds the values (bin contents, flow bins included), the variances as fSumw2,
// the axis titles, fEntries = the histogram's entries, and ROOT's running sums over
// the in-range bins (th2dStats.ts). The file appears whole or not at all: it is
// written to a temporary name in the same folder, flushed (fsync) and renamed.

import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RootFileWriter } from '../root/write/file.js';
import { th2dObject } from '../root/write/th2d.js';
import { th2dStats } from '../root/write/th2dStats.js';
import type { KeyedObject } from '../root/write/types.js';
import type { WeightedHistogram } from './types.js';

/** A histogram that cannot be written, or a file that cannot be: names the file and the histogram. */
export class ModelRootOutputError extends Error {
  override readonly name = 'ModelRootOutputError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/**
 * Key names: letters, digits and `_ . + -`, at most 200 characters. ROOT reads `/` in a
 * name as a directory and `;` as the cycle (`h;1`), and a name with spaces or other
 * punctuation cannot be typed in ROOT's prompt or uproot's `file["..."]` unquoted; the
 * names are `h_ss_<source>` with the source a file stem, so a stem outside this set
 * is refused (rename the file) rather than silently changed.
 */
const KEY_NAME = /^[A-Za-z0-9_.+-]{1,200}$/;

export function keyNameProblem(name: string): string | null {
  if (KEY_NAME.test(name)) return null;
  if (name.length === 0) return 'the name is empty';
  if (name.length > 200) return `the name has ${name.length} characters (at most 200)`;
  const bad = [...new Set([...name].filter((c) => !/[A-Za-z0-9_.+-]/.test(c)))].map((c) => JSON.stringify(c)).join(', ');
  return `the name has characters a ROOT key name should not (${bad}); use letters, digits and _ . + - (rename the source file)`;
}

function toObject(file: string, h: WeightedHistogram): KeyedObject {
  const where = `histogram '${h.name}'`;
  const problem = keyNameProblem(h.name);
  if (problem) throw new ModelRootOutputError(file, `${where}: ${problem}`);
  if (!Number.isFinite(h.entries) || h.entries < 0) throw new ModelRootOutputError(file, `${where}: entries must be a finite number >= 0, got ${h.entries}`);
  for (const [what, a] of [['values', h.values], ['variances', h.variances]] as const) {
    const i = a.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new ModelRootOutputError(file, `${where}: ${what}[${i}] is ${a[i]}, expected a finite number`);
  }
  try {
    return th2dObject({
      name: h.name,
      title: h.title,
      x: h.x,
      y: h.y,
      values: h.values,
      sumw2: h.variances,
      entries: h.entries,
      stats: th2dStats(h.x, h.y, h.values, h.variances),
    });
  } catch (e) {
    throw new ModelRootOutputError(file, (e as Error).message);
  }
}

/** Flushes a file (or folder) that is already closed; fsync applies to the file, whichever descriptor asks. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `hists` as TH2D into a new ROOT file at `path` (replacing one that is there). */
export async function writeHistogramsFile(path: string, hists: readonly WeightedHistogram[]): Promise<void> {
  const seen = new Set<string>();
  for (const h of hists) {
    if (seen.has(h.name)) throw new ModelRootOutputError(path, `two histograms named '${h.name}'`);
    seen.add(h.name);
  }
  // Every histogram is checked before a byte is written.
  const objects = hists.map((h) => toObject(path, h));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let writer: RootFileWriter | null = null;
  try {
    writer = RootFileWriter.open(tmp, {
      compression: { algorithm: 'zlib', level: 1 },
      basketSize: 32000, // no trees: unused
      datime: new Date(),
      uuid: randomBytes(16),
      fileName: basename(path),
    });
    for (const o of objects) writer.writeObject(o);
    writer.close();
    writer = null;
    fsyncPath(tmp);
    renameSync(tmp, path);
  } catch (e) {
    writer?.abort();
    rmSync(tmp, { force: true });
    if (e instanceof ModelRootOutputError) throw e;
    throw new ModelRootOutputError(path, `cannot write the model file: ${(e as Error).message}`);
  }
  try {
    fsyncPath(dirname(path)); // make the rename itself durable
  } catch {
    // some file systems refuse fsync on a folder; the file itself is complete
  }
}
