// The format of a --model file, by its name: checked before a run starts.

export type ModelFormat = 'json' | 'root';

/** A --model file name mssi cannot tell the format of. */
export class ModelPathError extends Error {
  constructor(path: string) {
    super(`--model ${path}: name a .json file (the model as data, mssi.model/1) or a .root file (TH2D histograms)`);
    this.name = 'ModelPathError';
  }
}

/** The format of a --model file, by its extension (case-insensitive); throws ModelPathError. */
export function modelFormatOf(path: string): ModelFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.root')) return 'root';
  throw new ModelPathError(path);
}
