// `mssi inspect FILE.root`: what is in a file, and whether the selection can read it.
// Registered here; the work is in inspectAction.ts, loaded when the command runs.

import type { Command } from 'commander';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('list trees, branches, types, entries, baskets and compression of ROOT files')
    .argument('<files...>', 'ROOT files')
    .option('--json', 'as JSON')
    .action(async (files: string[], options: InspectOptions) => {
      const { inspectAction } = await import('./inspectAction.js');
      process.exitCode = await inspectAction(files, options);
    });
}

export interface InspectOptions {
  json?: boolean;
}
