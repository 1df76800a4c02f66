// `mssi run FILES... --rates rates.csv`: the main job.

import { statSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { defaultCacheLocation, LocalCacheStore } from '../cache/store.js';
import { packagePath } from '../packageRoot.js';
import { buildReport, DEFAULT_LIVETIME_DAYS } from '../report/join.js';
import { reportToCsv, reportToJson } from '../report/machine.js';
import { readRatesTable } from '../report/rates.js';
import { formatReportText } from '../report/text.js';
import { BACKEND_REQUESTS, chooseBackend, type BackendRequest } from '../run/backend.js';
import { expandInputs } from '../run/inputs.js';
import { planRanges, splitThresholdBytes } from '../run/planRanges.js';
import { progressObserver } from '../run/progress.js';
import { runFiles } from '../run/runFiles.js';
import { EXIT } from './exit.js';
import { defaultJobs, positiveInteger, positiveNumber } from './options.js';

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
      2_000_000,
    )
    .option('-q, --quiet', 'no progress output (warnings and failures still go to stderr)')
    .action(async (files: string[], options: RunOptions) => {
      process.exitCode = await runCommand(files, options);
    });
}

async function runCommand(inputs: string[], options: RunOptions): Promise<number> {
  if (options.json && options.csv === '-') {
    process.stderr.write('mssi run: --json and --csv - both want stdout; choose one\n');
    return EXIT.usage;
  }
  let rates;
  let store;
  try {
    rates = readRatesTable(options.rates);
    store =
      options.cache === false
        ? null
        : new LocalCacheStore(typeof options.cache === 'string' ? options.cache : defaultCacheLocation());
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

  const splitMinBytes = splitThresholdBytes(files.map(sizeOrZero), options.jobs);
  const { results, failures } = await runFiles(files, {
    jobs: options.jobs,
    backend,
    store,
    rehash: options.rehash === true,
    workerModule: packagePath('dist', 'src', 'run', 'worker.js'),
    planRanges: (path, size) => planRanges(path, options.splitEntries, size, splitMinBytes),
    observer: progressObserver({ quiet: options.quiet === true }),
  });

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
