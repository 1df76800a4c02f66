// What every command's --help ends with: a few real examples (test/cli/help.test.ts runs
// them), after any other notes. Examples are written as a user types them in the
// package's folder (the bundled fixtures/), one command per line.

import type { Command } from 'commander';

/** Adds "Examples:" with these command lines as the last part of `command`'s help. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
}
