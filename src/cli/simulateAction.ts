// `mssi simulate OUTDIR`: what it does (its options are in simulate.ts). Paths of
// the written files go to stdout, a progress bar to stderr on a TTY only.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { RatesTableError } from '../report/rates.js';
import {
  OutDirError,
  SimulateAbortedError,
  SimulateOptionError,
  simulate,
  type SimulatedFile,
  type SimulateProgress,
} from '../simulate/simulate.js';
import { SourceNameError } from '../simulate/sources.js';
import { EXIT } from './exit.js';
import { exitCodeOfSignal, onStopSignals, type StopSignal } from './interrupt.js';
import type { SimulateFlags } from './simulate.js';

/** The expected selection counts of each written file, as stable JSON (ground truth for `mssi run` tests). */
function writeCountsJson(path: string, files: readonly SimulatedFile[], flags: SimulateFlags): void {
  const doc = {
    generator: 'mssi simulate',
    seed: flags.seed,
    events: flags.events,
    layout: flags.layout,
    files: files.map((f) => ({ file: basename(f.path), source: f.source, ...f.counts, eventWeight: f.eventWeight })),
  };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new Error(`--counts ${path}: cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Progress on stderr: a bar on a TTY, nothing otherwise. */
function progressReporter(quiet: boolean): { onProgress?: (p: SimulateProgress) => void; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulate |{bar}| {percentage}% | {value}/{total} events | file {fileNo}/{files} {source}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  // The bar hides the cursor; a process that exits without stop() (a second Ctrl-C)
  // must still give it back to the terminal.
  const showCursor = () => process.stderr.write('\x1b[?25h');
  return {
    onProgress(p) {
      const value = p.fileIndex * p.events + p.eventsDone;
      const payload = { fileNo: p.fileIndex + 1, files: p.files, source: p.source };
      if (!started) {
        bar.start(p.files * p.events, value, payload);
        started = true;
        process.once('exit', showCursor);
      } else {
        bar.update(value, payload);
      }
    },
    stop() {
      if (!started) return;
      started = false;
      bar.stop();
      process.off('exit', showCursor);
    },
  };
}

const USAGE_ERRORS = [SimulateOptionError, OutDirError, RatesTableError, SourceNameError];

/** Writes the files; its exit status (an unexpected error is thrown, for the CLI's own handler). */
export async function simulateAction(outDir: string, flags: SimulateFlags): Promise<number> {
  // SIGINT or SIGTERM: the file being written is dropped (no partial file is left), the
  // ones written stay; exit 130 or 143. A second signal exits at once.
  const abort = new AbortController();
  let stoppedBy: StopSignal = 'SIGINT';
  const stopSignals = onStopSignals((signal) => {
    stoppedBy = signal;
    abort.abort();
  });
  const progress = progressReporter(flags.quiet === true);
  try {
    const files = await simulate({
      outDir,
      ...(flags.rates !== undefined ? { ratesPath: flags.rates } : {}),
      ...(flags.source ? { sources: flags.source } : {}),
      events: flags.events,
      layout: flags.layout,
      compression: { algorithm: flags.compression, level: flags.level },
      basketSize: flags.basketSize,
      clusterSize: flags.clusterSize,
      seed: flags.seed,
      signal: abort.signal,
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    progress.stop();
    if (flags.counts !== undefined) writeCountsJson(flags.counts, files, flags);
    for (const f of files) process.stdout.write(`${f.path}\n`);
    return EXIT.ok;
  } catch (err) {
    progress.stop();
    if (err instanceof SimulateAbortedError) {
      process.stderr.write(`mssi simulate: ${err.message} (${stoppedBy})\n`);
      return exitCodeOfSignal(stoppedBy);
    }
    if (USAGE_ERRORS.some((E) => err instanceof E)) {
      process.stderr.write(`mssi simulate: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    stopSignals();
  }
}
