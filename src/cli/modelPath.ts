// --model FILE: its format is decided by its name, checked before anything runs.

import { ModelPathError, modelFormatOf } from '../model/format.js';

/** Why --model FILE cannot be written (a usage error), or null. */
export function modelPathProblem(path: string | undefined): string | null {
  if (path === undefined) return null;
  try {
    modelFormatOf(path);
    return null;
  } catch (err) {
    if (err instanceof ModelPathError) return err.message;
    throw err;
  }
}
