// `mssi run FILES... --rates rates.csv`: the main job.

import { statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { defaultCacheLocation, LocalCacheStore } from '../cache/store.js';
import { packagePath } from '../packageRoot.js';
import type { FileFailure, FileResult } from '../result.js';
import { buildReport, DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { reportToCsv, reportToJson } from '../report/machine.js';
import { readRatesTable } from '../report/rates.js';
import { formatReportText } from '../report/text.js';
import { BACKEND_REQUESTS, chooseBackend, type BackendRequest } from '../run/backend.js';
import { DEFAULT_TASK_TIMEOUT_SECONDS, TIMEOUT_SECONDS_PER_MIB } from '../run/deadline.js';
import { expandInputs } from '../run/inputs.js';
import { progressObserver } from '../run/progress.js';
import { runFiles, type RunObserver, type RunOutcome } from '../run/runFiles.js';
import { DEFAULT_SPLIT_ENTRIES, splitThresholdBytes } from '../run/splitPolicy.js';
import { EXIT } from './exit.js';
import { onStopSignals, RunInterruptedError } from './interrupt.js';
import { defaultJobs, positiveInteger, positiveNumber } from './options.js';
import { describeError, onFatalError, type FatalOrigin } from './safetyNet.js';

interface RunOptions {
  rates: string;
  backend: BackendRequest;
  gpu?: boolean;
  jobs: number;
  livetime: number;
  csv?: string;
  json?: boolean;
  cache: string | false;
  rehash?: boolean;
  quiet?: boolean;
  splitEntries: number;
  taskTimeout: number;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the MSSI selection on ROOT files and print SS/MSSI rates per day')
    .argument('<files...>', 'ROOT files, folders of them, or glob patterns')
    .requiredOption('-r, --rates <csv>', 'rates table: CSV with "Source" and "Rate (Decays/day)"')
    .option('-j, --jobs <n>', 'worker processes', positiveInteger('--jobs'), defaultJobs())
    .addOption(
      new Option('--backend <name>', 'where the selection runs: cpu, gpu (WebGPU, fails without an adapter) or auto (GPU when usable, else CPU)')
        .choices(BACKEND_REQUESTS)
        .default('cpu'),
    )
    .option('--gpu', 'same as --backend gpu')
    .option('--livetime <days>', 'livetime for "In Dataset"', positiveNumber('--livetime'), DEFAULT_LIVETIME_DAYS)
    .option('--csv <file>', 'also write the report as CSV to <file> ("-" for stdout, instead of the table)')
    .option('--json', 'print the report as JSON on stdout instead of the table')
    .option('--cache <dir>', 'cache location: a folder or file:///path (default: $MSSI_CACHE or ~/.cache/mssi)')
    .option('--no-cache', 'neither read nor write the result cache (and do not hash the files)')
    .option('--rehash', 're-hash every file instead of trusting the size/mtime/inode memo')
    .option(
      '--split-entries <n>',
      'cut files with more entries than this into cluster-aligned ranges (files over 16 MB and over a quarter of a worker\'s share of the input)',
      positiveInteger('--split-entries'),
      DEFAULT_SPLIT_ENTRIES,
    )
    .option(
      '--task-timeout <seconds>',
      `stop a task (a file, or a range of a big one) still running after this many seconds plus ${TIMEOUT_SECONDS_PER_MIB} s per MiB of its share of the file; that file fails`,
      positiveNumber('--task-timeout'),
      DEFAULT_TASK_TIMEOUT_SECONDS,
    )
    .option('-q, --quiet', 'no progress output (warnings and failures still go to stderr)')
    .action(async (files: string[], options: RunOptions) => {
      process.exitCode = await runCommand(files, options);
    });
}

/** The main process failed unexpectedly during the run: the files that finished are still reported. */
class RunCrashedError extends Error {
  constructor(err: unknown, origin: FatalOrigin) {
    super(`internal error in the main process (${origin}): ${describeError(err)}`);
    this.name = 'RunCrashedError';
  }
}

/** Passes everything on, and remembers which files finished (for a report of an interrupted or crashed run). */
function recording(observer: RunObserver) {
  const results: FileResult[] = [];
  const failures: FileFailure[] = [];
  const recorder: RunObserver = {
    ...observer,
    fileDone(result) {
      results.push(result);
      observer.fileDone(result);
    },
    fileFailed(failure) {
      failures.push(failure);
      observer.fileFailed(failure);
    },
  };
  return { observer: recorder, results, failures };
}

/**
 * Test-only: MSSI_TEST_MAIN_FAULT=<file name>:throw (or :reject) makes the main process
 * throw an exception nothing catches (or reject a promise nobody handles) once that
 * file is done, as a bug would; the CLI tests check the safety net with it.
 */
function withTestFault(observer: RunObserver): RunObserver {
  const m = /^(.+):(throw|reject)$/.exec(process.env.MSSI_TEST_MAIN_FAULT ?? '');
  if (!m) return observer;
  const fault = new Error(`test fault after ${m[1]}`);
  return {
    ...observer,
    fileDone(result) {
      observer.fileDone(result);
      if (basename(result.path) !== m[1]) return;
      if (m[2] === 'throw') {
        setTimeout(() => {
          throw fault;
        });
      } else void Promise.reject(fault);
    },
  };
}

async function runCommand(inputs: string[], options: RunOptions): Promise<number> {
  const controller = new AbortController();
  const stopSignals = onStopSignals((signal) => controller.abort(new RunInterruptedError(signal)));
  const stopSafetyNet = onFatalError((err, origin) => {
    controller.abort(new RunCrashedError(err, origin));
    // Stopping the workers cannot take long; if it does, the process must still end.
    setTimeout(() => {
      process.stderr.write(`mssi run: ${describeError(err)}; could not stop in time\n`);
      process.exit(EXIT.failure);
    }, 10_000).unref();
  });
  try {
    return await runWith(inputs, options, controller.signal);
  } finally {
    stopSafetyNet();
    stopSignals();
  }
}

async function runWith(inputs: string[], options: RunOptions, signal: AbortSignal): Promise<number> {
  if (options.json && options.csv === '-') {
    process.stderr.write('mssi run: --json and --csv - both want stdout; choose one\n');
    return EXIT.usage;
  }
  let rates;
  let store;
  try {
    rates = readRatesTable(options.rates);
    // checked once here: a location that cannot hold the cache is a usage error, not a warning per file
    store =
      options.cache === false
        ? null
        : LocalCacheStore.open(typeof options.cache === 'string' ? options.cache : defaultCacheLocation());
  } catch (err) {
    process.stderr.write(`mssi run: ${(err as Error).message}\n`);
    return EXIT.usage;
  }

  let backend;
  try {
    const choice = await chooseBackend(options.gpu ? 'gpu' : options.backend);
    if (choice.note && !(options.quiet && choice.backend === 'gpu')) process.stderr.write(`mssi run: ${choice.note}\n`);
    backend = choice.backend;
  } catch (err) {
    process.stderr.write(`mssi run: ${(err as Error).message}\n`);
    return EXIT.backendUnavailable;
  }

  const { files, problems } = expandInputs(inputs);
  for (const p of problems) process.stderr.write(`mssi run: ${p.message}\n`);
  if (files.length === 0) {
    process.stderr.write('mssi run: no input files\n');
    return EXIT.usage;
  }

  const seen = recording(withTestFault(progressObserver({ quiet: options.quiet === true })));
  let outcome: RunOutcome;
  try {
    outcome = await runFiles(files, {
      jobs: options.jobs,
      backend,
      store,
      rehash: options.rehash === true,
      workerModule: packagePath('dist', 'src', 'run', 'worker.js'),
      split: { minBytes: splitThresholdBytes(files.map(sizeOrZero), options.jobs), entries: options.splitEntries },
      taskTimeoutSeconds: options.taskTimeout,
      signal,
      observer: seen.observer,
    });
  } catch (err) {
    const done = seen.results.length + seen.failures.length;
    if (err instanceof RunInterruptedError) {
      const kept = store ? `finished files are kept in the cache ${store.location}` : 'nothing was cached (--no-cache)';
      process.stderr.write(`mssi run: interrupted by ${err.signal} after ${done} of ${files.length} files; ${kept}\n`);
      // the workers are gone; a file still being hashed must not keep the process alive for long
      setTimeout(() => process.exit(err.exitCode), 2000).unref();
      return err.exitCode;
    }
    // Anything else is a fault of mssi itself: report what finished, and name the fault.
    const why = err instanceof RunCrashedError ? err.message : `internal error: ${describeError(err)}`;
    process.stderr.write(`mssi run: ${why}; the report has the ${done} of ${files.length} files that finished\n`);
    printReport(unfinishedOutcome(files, seen.results, seen.failures, why), problems, rates, options);
    return EXIT.failure;
  }
  return printReport(outcome, problems, rates, options);
}

/** The files that finished, in the order given, and the others as failures that say why. */
function unfinishedOutcome(files: readonly string[], results: FileResult[], failures: FileFailure[], why: string): RunOutcome {
  const order = new Map(files.map((f, i) => [f, i]));
  const byOrder = <T extends { path: string }>(a: T, b: T) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0);
  const finished = new Set([...results, ...failures].map((x) => x.path));
  const notRun = files.filter((f) => !finished.has(f)).map((path) => ({ path, message: `${path}: not processed: mssi stopped after an ${why}` }));
  return { results: [...results].sort(byOrder), failures: [...failures, ...notRun].sort(byOrder) };
}

function printReport(
  outcome: RunOutcome,
  problems: readonly FileFailure[],
  rates: ReturnType<typeof readRatesTable>,
  options: RunOptions,
): number {
  const { results, failures } = outcome;
  const report = buildReport(results, [...problems, ...failures], rates, options.livetime);
  for (const source of report.sourcesWithoutRate) {
    process.stderr.write(`mssi run: warning: no rate for Source ${source} in ${options.rates}; left out of the totals\n`);
  }
  for (const path of report.emptyFiles) {
    process.stderr.write(`mssi run: warning: ${path} has no entries; it adds nothing\n`);
  }
  if (options.csv && options.csv !== '-') {
    try {
      writeFileSync(options.csv, reportToCsv(report));
    } catch (err) {
      process.stderr.write(`mssi run: cannot write --csv ${options.csv}: ${(err as Error).message}\n`);
      return EXIT.failure;
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(reportToJson(report), null, 2)}\n`);
  else if (options.csv === '-') process.stdout.write(reportToCsv(report));
  else process.stdout.write(formatReportText(report));
  return report.failures.length > 0 ? EXIT.failure : EXIT.ok;
}

/** A file that cannot be stat'ed fails in its worker, with the reason. */
function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
