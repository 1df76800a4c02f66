// `mssi selection show | init`: the effective selection (a selection file's, defaults
// filled) and its hash, and a commented default file to start one from. Registered
// here; the work is in selectionAction.ts, loaded when a subcommand runs.

import type { Command } from 'commander';
import { withExamples } from './help.js';

export interface SelectionShowOptions {
  selection?: string;
  json?: boolean;
}

export interface SelectionInitOptions {
  force?: boolean;
}

export const DEFAULT_SELECTION_FILE = 'selection.toml';

export function registerSelection(program: Command): void {
  const selection = program.command('selection').description('show the effective selection (cuts, names, model bins) and its hash, or write a selection file to start from');
  withExamples(
    selection
      .command('show')
      .description("print the effective selection: every field (a file's, the defaults for the rest) in the file's TOML layout, and its hash")
      .option('--selection <file>', "the selection file (TOML, or JSON by its .json extension; default: none, the notebook's selection)")
      .option('--json', 'as JSON: { selectionHash, file, selection } (selection in the file layout)')
      .addHelpText('after', '\nExit status: 0 shown, 2 bad command line or selection file (the field is named).')
      .action(async (options: SelectionShowOptions) => {
        const { selectionShowAction } = await import('./selectionAction.js');
        process.exitCode = selectionShowAction(options);
      }),
    ['mssi selection show', 'mssi selection show --selection examples/ws2024.toml', 'mssi selection show --selection examples/ws2024.toml --json'],
  );
  withExamples(
    selection
      .command('init')
      .description(`write the default selection, with comments, to FILE (default ${DEFAULT_SELECTION_FILE}; JSON when it ends in .json, "-" for stdout)`)
      .argument('[file]', 'where to write it', DEFAULT_SELECTION_FILE)
      .option('--force', 'replace FILE if it exists')
      .addHelpText('after', '\nExit status: 0 written, 2 FILE exists (without --force) or bad command line, 5 FILE could not be written.')
      .action(async (file: string, options: SelectionInitOptions) => {
        const { selectionInitAction } = await import('./selectionAction.js');
        process.exitCode = selectionInitAction(file, options);
      }),
    ['mssi selection init my-cuts.toml', 'mssi selection init my-cuts.toml --force', 'mssi selection show --selection my-cuts.toml'],
  );
  withExamples(selection, ['mssi selection show', 'mssi selection init cuts.toml', 'mssi run fixtures/lz/*.root --rates fixtures/rates.csv --selection cuts.toml']);
}
