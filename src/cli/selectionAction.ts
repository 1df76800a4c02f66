// `mssi selection show | init`: what they do (their options are in selection.ts).

import { existsSync } from 'node:fs';
import { atomicWrite } from '../cache/atomicWrite.js';
import { selectionHash } from '../cache/key.js';
import { DEFAULT_SELECTION } from '../selection/definition.js';
import { selectionLayout } from '../selection/layout.js';
import { selectionOption } from '../selection/selectionFile.js';
import { formatSelectionToml } from '../selection/selectionToml.js';
import { EXIT } from './exit.js';
import type { SelectionInitOptions, SelectionShowOptions } from './selection.js';

const fail = (command: string, message: string, code: number): number => {
  process.stderr.write(`mssi selection ${command}: ${message}\n`);
  return code;
};

/** Prints the effective selection and its hash; 2 for a selection file that cannot be used. */
export function selectionShowAction(options: SelectionShowOptions): number {
  let selection;
  try {
    selection = selectionOption(options.selection);
  } catch (err) {
    return fail('show', (err as Error).message, EXIT.usage);
  }
  const hash = selectionHash(selection);
  if (options.json) {
    const shown = { selectionHash: hash, file: options.selection ?? null, selection: selectionLayout(selection) };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return EXIT.ok;
  }
  const from = options.selection === undefined ? "the default selection (the notebook's)" : `${options.selection}, defaults filled`;
  process.stdout.write(`# The effective selection: ${from}\n# selection hash ${hash}\n\n${formatSelectionToml(selection)}`);
  return EXIT.ok;
}

/** Writes the default selection file (with comments; JSON for a .json name); refuses to replace one without --force. */
export function selectionInitAction(file: string, options: SelectionInitOptions): number {
  const text = /\.json$/i.test(file)
    ? `${JSON.stringify(selectionLayout(DEFAULT_SELECTION), null, 2)}\n`
    : formatSelectionToml(DEFAULT_SELECTION, { comments: true });
  if (file === '-') {
    process.stdout.write(text);
    return EXIT.ok;
  }
  if (existsSync(file) && !options.force) return fail('init', `${file} exists; give --force to replace it, or another FILE`, EXIT.usage);
  try {
    atomicWrite(file, text);
  } catch (err) {
    return fail('init', `cannot write ${file}: ${(err as Error).message}`, EXIT.outputFailed);
  }
  process.stdout.write(`wrote ${file} (the default selection; edit it, then: mssi run ... --selection ${file})\n`);
  return EXIT.ok;
}
