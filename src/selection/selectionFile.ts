// A selection file (TOML, or JSON by its .json extension) into the Selection of
// definition.ts, checked by validate.ts; a syntax error names the line.

import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { DEFAULT_SELECTION, type Selection } from './definition.js';
import { SelectionFileError, selectionFromLayout } from './validate.js';

export { closestName, SelectionFileError, selectionFromLayout } from './validate.js';

/** Parsed file text into its top-level table; a syntax error names the line. */
function parseText(text: string, file: string, format: 'toml' | 'json'): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new SelectionFileError(file, '', `not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    return parseToml(text, { integersAsBigInt: 'asNeeded' });
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new SelectionFileError(file, '', `TOML syntax error at line ${err.line}, column ${err.column}: ${first}`);
    }
    throw err;
  }
}

/** A selection file's text: TOML, or JSON when `file` ends in .json. */
export function parseSelectionText(text: string, file: string): Selection {
  return selectionFromLayout(parseText(text, file, /\.json$/i.test(file) ? 'json' : 'toml'), file);
}

/** Reads and checks a selection file (SelectionFileError for anything wrong, a missing file too). */
export function readSelectionFile(file: string): Selection {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new SelectionFileError(file, '', e.code === 'ENOENT' ? 'no such file' : `cannot be read (${e.code ?? e.message})`);
  }
  return parseSelectionText(text, file);
}

/** The selection of `--selection FILE`, or the default one without it. */
export function selectionOption(file: string | undefined): Selection {
  return file === undefined ? DEFAULT_SELECTION : readSelectionFile(file);
}
