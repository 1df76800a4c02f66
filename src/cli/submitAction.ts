// `mssi submit --slurm`: what it does (its options are in submit.ts).

import { packagePath } from '../packageRoot.js';
import { RatesTableError, readRatesTable } from '../report/rates.js';
import { expandInputs } from '../run/inputs.js';
import { SelectionFileError, selectionOption } from '../selection/selectionFile.js';
import { PlanInputError } from '../shard/plan.js';
import { runSlurm } from '../slurm/exec.js';
import { resumeRun, submitRun, SubmitRefusedError, type SubmitOutcome } from '../slurm/submit.js';
import { formatSubmitOutcome } from '../slurm/summary.js';
import { EXIT } from './exit.js';
import { defaultJobs } from './options.js';
import type { SubmitFlags } from './submit.js';

const fail = (message: string, code: number): number => {
  process.stderr.write(`mssi submit: ${message}\n`);
  return code;
};

/** Submits (or resumes) a run on Slurm; its exit status. */
export async function submitAction(inputs: string[], flags: SubmitFlags): Promise<number> {
  if (!flags.slurm) return fail('say which scheduler to submit to: --slurm (the only one so far)', EXIT.usage);
  let outcome: SubmitOutcome;
  try {
    if (flags.resume !== undefined) {
      const extra = [inputs.length > 0 && 'FILES', flags.rates && '--rates', flags.out && '--out', flags.shards && '--shards', flags.cache && '--cache', flags.splitEntries && '--split-entries', flags.livetime && '--livetime', flags.selection && '--selection'].filter(Boolean);
      if (extra.length > 0) return fail(`--resume reruns the run's own plan: ${extra.join(', ')} cannot be given with it`, EXIT.usage);
      outcome = await resumeRun(
        {
          runDir: flags.resume,
          ...(flags.jobsPerTask === undefined ? {} : { jobsPerTask: flags.jobsPerTask }),
          ...(flags.maxRunning === undefined ? {} : { maxRunning: flags.maxRunning }),
          sbatchArgs: flags.sbatchArg ?? [],
          dryRun: flags.dryRun === true,
        },
        runSlurm,
      );
    } else {
      if (!flags.rates) return fail('--rates <csv> is required (the merge job joins the counts with it)', EXIT.usage);
      if (!flags.out) return fail('--out <run_dir> is required (where the plan, scripts, logs and report go)', EXIT.usage);
      if (inputs.length === 0) return fail('no input files (give FILES..., or --resume RUN_DIR)', EXIT.usage);
      readRatesTable(flags.rates);
      const selection = selectionOption(flags.selection);
      const { files, problems } = expandInputs(inputs);
      if (problems.length > 0) return fail(`nothing submitted: ${problems.map((p) => p.message).join('; ')}`, EXIT.usage);
      outcome = await submitRun(
        {
          files,
          rates: flags.rates,
          out: flags.out,
          ...(flags.shards === undefined ? {} : { shards: flags.shards }),
          jobsPerTask: flags.jobsPerTask ?? 1,
          ...(flags.maxRunning === undefined ? {} : { maxRunning: flags.maxRunning }),
          sbatchArgs: flags.sbatchArg ?? [],
          ...(flags.cache === undefined ? {} : { cache: flags.cache }),
          ...(flags.splitEntries === undefined ? {} : { splitEntries: flags.splitEntries }),
          ...(flags.livetime === undefined ? {} : { livetime: flags.livetime }),
          selection,
          dryRun: flags.dryRun === true,
        },
        { node: process.execPath, mssi: packagePath('bin', 'mssi'), planJobs: defaultJobs() },
        runSlurm,
      );
    }
  } catch (err) {
    const usage = err instanceof SubmitRefusedError || err instanceof RatesTableError || err instanceof PlanInputError || err instanceof SelectionFileError;
    return fail((err as Error).message, usage ? EXIT.usage : EXIT.failure);
  }
  for (const note of outcome.notes) process.stderr.write(`mssi submit: ${note}\n`);
  process.stdout.write(formatSubmitOutcome(outcome));
  return EXIT.ok;
}
