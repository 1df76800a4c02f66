// The `mssi` program: one file per command, registered here.

import { Command, CommanderError } from 'commander';
import { registerCache } from './cache.js';
import { registerGpu } from './gpu.js';
import { registerInspect } from './inspect.js';
import { registerMerge } from './merge.js';
import { registerPlan } from './plan.js';
import { registerRun } from './run.js';
import { registerSelection } from './selection.js';
import { registerSimulate } from './simulate.js';
import { registerStatus } from './status.js';
import { registerSubmit } from './submit.js';
import { packageVersion } from '../packageRoot.js';
import { EXIT } from './exit.js';
import { withExamples } from './help.js';
import { installSafetyNet } from './safetyNet.js';

export function buildProgram(): Command {
  const program = new Command('mssi')
    .description('MSSI background counts and per-day rates from LZ-like ROOT files')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();
  registerRun(program);
  registerPlan(program);
  registerMerge(program);
  registerStatus(program);
  registerSubmit(program);
  registerSelection(program);
  registerCache(program);
  registerInspect(program);
  registerGpu(program);
  registerSimulate(program);
  withExamples(program, [
    'mssi run fixtures/lz/*.root --rates fixtures/rates.csv',
    'mssi inspect fixtures/lz/SS_skim_K40_DomePMTs.root',
    'mssi help run',
  ]);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  installSafetyNet();
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors get the usage exit code.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    process.stderr.write(`mssi: ${(err as Error).message}\n`);
    process.exitCode = EXIT.failure;
  }
}
