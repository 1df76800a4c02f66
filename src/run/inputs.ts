// Turns the command line's inputs into a list of files: paths as given, folders
// (their *.root files), and globs the shell did not expand (quoted, or on Windows).

import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { FileFailure } from '../result.js';

export interface ExpandedInputs {
  /** Files to process, in the order given, each once. */
  readonly files: string[];
  /** Inputs that name nothing usable. */
  readonly problems: FileFailure[];
}

export function expandInputs(inputs: readonly string[]): ExpandedInputs {
  const files: string[] = [];
  const problems: FileFailure[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    const key = resolve(path);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(path);
    }
  };
  for (const input of inputs) {
    const kind = kindOf(input);
    if (kind === 'file') add(input);
    else if (kind === 'dir') {
      const found = globSync('*.root', { cwd: input, onlyFiles: true }).sort();
      if (found.length === 0) problems.push({ path: input, message: `${input}: folder has no .root files` });
      for (const f of found) add(`${input.replace(/\/+$/, '')}/${f}`);
    } else if (isDynamicPattern(input)) {
      const found = globSync(input, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(input) }).sort();
      if (found.length === 0) problems.push({ path: input, message: `${input}: no file matches this pattern` });
      for (const f of found) add(f);
    } else {
      problems.push({ path: input, message: `${input}: ${kind === 'missing' ? 'no such file' : 'not a regular file'}` });
    }
  }
  return { files, problems };
}

function kindOf(path: string): 'file' | 'dir' | 'other' | 'missing' {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}
