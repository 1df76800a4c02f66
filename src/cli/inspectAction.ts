// `mssi inspect`: what it does (its options are in inspect.ts): describe each file, and
// say whether the selection can read it (inspectView.ts has what is printed).

import { inspectRootFile, type FileDescription } from '../root/read/index.js';
import { selectionOption } from '../selection/selectionFile.js';
import { EXIT } from './exit.js';
import type { InspectOptions } from './inspect.js';
import { filterDescription, formatInspect, selectionFit, type InspectFilter, type SelectionFit } from './inspectView.js';
import { nameMatcher } from './nameGlob.js';
import { tableWidth } from './terminal.js';

const COMMAND = 'mssi inspect';

/** Describes each file on stdout (or all as one JSON array); exit 1 when one could not be read or described whole. */
export async function inspectAction(files: string[], options: InspectOptions): Promise<number> {
  let filter: InspectFilter;
  let selection;
  try {
    selection = selectionOption(options.selection);
  } catch (err) {
    process.stderr.write(`${COMMAND}: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  try {
    filter = {
      ...(options.tree !== undefined ? { tree: options.tree } : {}),
      ...(options.branches ? { branch: nameMatcher(options.branches) } : {}),
    };
  } catch (err) {
    process.stderr.write(`${COMMAND}: --branches ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const width = tableWidth(options.wide);
  let failed = false;
  const described: (FileDescription & { selection: SelectionFit[] })[] = [];
  for (const path of files) {
    try {
      const whole = await inspectRootFile(path);
      const shown = filterDescription(whole, filter);
      // a branch that could not be described is a finding, and a failed inspection
      if (shown.trees.some((t) => t.branches.some((b) => b.problem !== undefined))) failed = true;
      if (options.json) described.push({ ...shown, selection: selectionFit(whole, selection) });
      else process.stdout.write(formatInspect(whole, shown, { width, selection, ...(options.branches ? { branchPatterns: options.branches } : {}) }));
    } catch (err) {
      failed = true;
      process.stderr.write(`${COMMAND}: ${(err as Error).message}\n`);
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
  return failed ? EXIT.failure : EXIT.ok;
}
