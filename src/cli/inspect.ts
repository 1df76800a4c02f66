// `mssi inspect FILE.root`: what is in a file, and whether the selection can read it.
// Registered here; the work is in inspectAction.ts, loaded when the command runs.

import type { Command } from 'commander';
import { withExamples } from './help.js';

export interface InspectOptions {
  json?: boolean;
  tree?: string;
  branches?: string[];
  wide?: boolean;
  selection?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerInspect(program: Command): void {
  const cmd = program
    .command('inspect')
    .description('list trees, branches, types, entries, baskets and compression of ROOT files')
    .argument('<files...>', 'ROOT files')
    .option('--tree <name>', 'only this tree')
    .option(
      '--branches <glob>',
      "only branches whose full name matches (shell-style: * ? [abc] {a,b}; quote it; repeat for more), e.g. 'ss.*'",
      collect,
    )
    .option('--wide', 'every column, names uncut, whatever the terminal\'s width')
    .option('--json', 'as JSON (every field; --tree and --branches apply)')
    .option('--selection <file>', "judge the fit for this selection file's tree and branch names (default: the notebook's)")
    .addHelpText(
      'after',
      `
The table fits the terminal (100 columns when stdout is not one): BRANCH and TYPE always,
then ENTRIES, ON DISK, COMPRESSION, BASKETS, UNCOMPRESSED, ROOT TYPE while they fit; long
types, then long branch names, are cut with an ellipsis where they must. A split object's
own branch shows as "${'split object (members below)'}": it holds no data, its members do.
Exit status: 0 described, 1 a file (or one of its branches) could not be read, or has no
such --tree, 2 bad command line or selection file.`,
    )
    .action(async (files: string[], options: InspectOptions) => {
      const { inspectAction } = await import('./inspectAction.js');
      process.exitCode = await inspectAction(files, options);
    });
  withExamples(cmd, [
    'mssi inspect fixtures/lz/SS_skim_K40_DomePMTs.root',
    "mssi inspect fixtures/lz/SS_skim_K40_DomePMTs.root --tree RQMCTruth --branches 'mcTruthVertices.*'",
    'mssi inspect fixtures/lz/*.root --json',
  ]);
}
