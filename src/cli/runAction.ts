// `mssi run`: what it does (its options are in run.ts). With FILES, the run and its
// report; with --plan and --shard, one shard of a plan (runShard.ts).

import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { defaultCacheLocation, LocalCacheStore } from '../cache/store.js';
import { workerModulePath } from '../packageRoot.js';
import type { FileFailure, FileResult } from '../result.js';
import { readRatesTable } from '../report/rates.js';
import { expandInputs } from '../run/inputs.js';
import { progressObserver } from '../run/progress.js';
import { runFiles, type RunObserver, type RunOutcome } from '../run/runFiles.js';
import { splitThresholdBytes } from '../run/splitPolicy.js';
import type { Selection } from '../selection/definition.js';
import { selectionOption } from '../selection/selectionFile.js';
import { backendOrExit } from './backendChoice.js';
import { EXIT } from './exit.js';
import { RunInterruptedError } from './interrupt.js';
import { printReport } from './report.js';
import type { RunOptions } from './run.js';
import { runShardCommand } from './runShard.js';
import { RunCrashedError, withRunGuards } from './runGuards.js';
import { describeError } from './safetyNet.js';
import { modelPathProblem } from './modelPath.js';

/** Options that belong to a run of FILES only: with --plan, the plan has the files and merge the report. */
const FILES_ONLY_OPTIONS = ['rates', 'livetime', 'csv', 'json', 'wide', 'splitEntries', 'model', 'html'] as const;

/** `mssi run` as given: a run of FILES, or one shard of a plan; its exit status. */
export function runAction(files: string[], options: RunOptions, command: Command): Promise<number> | number {
  const usage = (message: string) => {
    process.stderr.write(`mssi run: ${message}\n`);
    return EXIT.usage;
  };
  if (options.plan !== undefined || options.shard !== undefined) {
    if (options.plan === undefined || options.shard === undefined) return usage('--plan RUN_DIR/plan.json and --shard K go together');
    if (files.length > 0) return usage(`--plan runs the plan's files; remove ${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ''}`);
    if (options.selection !== undefined) return usage(`--selection: not with --plan (the plan has its selection; give --selection to mssi plan)`);
    const given = FILES_ONLY_OPTIONS.filter((o) => command.getOptionValueSource(o) === 'cli');
    if (given.length > 0) {
      const flag = (o: string) => `--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      return usage(`${given.map(flag).join(', ')}: not with --plan (give the rates and report options to mssi merge)`);
    }
    return runShardCommand(options.plan, options.shard, options);
  }
  if (files.length === 0) return usage('no input files (give FILES, or --plan RUN_DIR/plan.json --shard K)');
  if (options.rates === undefined) return usage("required option '-r, --rates <csv>' not specified");
  const modelProblem = modelPathProblem(options.model);
  if (modelProblem) return usage(modelProblem);
  return runCommand(files, options);
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

function runCommand(inputs: string[], options: RunOptions): Promise<number> {
  return withRunGuards('mssi run', (signal) => runWith(inputs, options, signal));
}

async function runWith(inputs: string[], options: RunOptions, signal: AbortSignal): Promise<number> {
  if (options.json && options.csv === '-') {
    process.stderr.write('mssi run: --json and --csv - both want stdout; choose one\n');
    return EXIT.usage;
  }
  let rates;
  let store;
  let selection;
  try {
    selection = selectionOption(options.selection);
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

  const chosen = await backendOrExit('mssi run', options);
  if ('exit' in chosen) return chosen.exit;
  const { backend } = chosen;

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
      selection,
      gpuWorkers: options.gpuWorkers,
      store,
      rehash: options.rehash === true,
      workerModule: workerModulePath(),
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
    await printRunReport(unfinishedOutcome(files, seen.results, seen.failures, why), problems, rates, options, selection);
    return EXIT.failure;
  }
  return printRunReport(outcome, problems, rates, options, selection);
}

/** The files that finished, in the order given, and the others as failures that say why. */
function unfinishedOutcome(files: readonly string[], results: FileResult[], failures: FileFailure[], why: string): RunOutcome {
  const order = new Map(files.map((f, i) => [f, i]));
  const byOrder = <T extends { path: string }>(a: T, b: T) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0);
  const finished = new Set([...results, ...failures].map((x) => x.path));
  const notRun = files.filter((f) => !finished.has(f)).map((path) => ({ path, message: `${path}: not processed: mssi stopped after an ${why}` }));
  return { results: [...results].sort(byOrder), failures: [...failures, ...notRun].sort(byOrder) };
}

function printRunReport(
  outcome: RunOutcome,
  problems: readonly FileFailure[],
  rates: ReturnType<typeof readRatesTable>,
  options: RunOptions,
  selection: Selection,
): Promise<number> {
  return printReport(outcome.results, [...problems, ...outcome.failures], rates, {
    command: 'mssi run',
    selection,
    ratesPath: options.rates,
    livetime: options.livetime,
    csv: options.csv,
    json: options.json,
    wide: options.wide,
    modelFile: options.model,
    htmlFile: options.html,
  });
}

/** A file that cannot be stat'ed fails in its worker, with the reason. */
function sizeOrZero(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
