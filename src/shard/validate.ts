// Reading the run folder's JSON files (plan, shard results) back: every field is
// checked, and a bad one is named with where it is ('tasks[3].shard') and what was
// expected, so a damaged or hand-edited file is refused with a message a user can act on.

import { readFileSync } from 'node:fs';

/** A run-folder file that cannot be used; `field` is where in it (empty: the file as a whole). */
export class RunFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'RunFileError';
  }
}

const shown = (v: unknown): string => {
  if (v === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

type Fail = (field: string, detail: string) => never;

/** Typed getters over parsed JSON that fail naming the field. */
export class Fields {
  constructor(readonly fail: Fail) {}

  object(v: unknown, at: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(at, `expected an object, got ${shown(v)}`);
    return v as Record<string, unknown>;
  }

  array(o: Record<string, unknown>, key: string, at: string): unknown[] {
    const v = o[key];
    if (!Array.isArray(v)) this.fail(join(at, key), `expected an array, got ${shown(v)}`);
    return v as unknown[];
  }

  string(o: Record<string, unknown>, key: string, at: string, pattern?: RegExp, what = 'a string'): string {
    const v = o[key];
    if (typeof v !== 'string' || (pattern && !pattern.test(v))) this.fail(join(at, key), `expected ${what}, got ${shown(v)}`);
    return v as string;
  }

  integer(o: Record<string, unknown>, key: string, at: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min} to ${max}`;
      this.fail(join(at, key), `expected an integer ${range}, got ${shown(v)}`);
    }
    return v as number;
  }

  /** A number (NaN and infinities included: the files write them as { "nonFinite": "NaN" }). */
  number(o: Record<string, unknown>, key: string, at: string): number {
    const v = o[key];
    if (typeof v !== 'number') this.fail(join(at, key), `expected a number, got ${shown(v)}`);
    return v as number;
  }

  positive(o: Record<string, unknown>, key: string, at: string): number {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(join(at, key), `expected a number > 0, got ${shown(v)}`);
    return v as number;
  }

  boolean(o: Record<string, unknown>, key: string, at: string): boolean {
    const v = o[key];
    if (typeof v !== 'boolean') this.fail(join(at, key), `expected true or false, got ${shown(v)}`);
    return v as boolean;
  }

  /** null stays null; anything else must read as `read` says. */
  nullable<T>(o: Record<string, unknown>, key: string, at: string, read: (o: Record<string, unknown>, key: string, at: string) => T): T | null {
    if (o[key] === null) return null;
    return read(o, key, at);
  }
}

export const join = (at: string, key: string | number) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key);

/** The file's JSON (parsed by `parse`), or the error `make` builds naming the file. */
export function readJsonFile(path: string, parse: (text: string) => unknown, make: (field: string, detail: string) => RunFileError): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw make('', e.code === 'ENOENT' ? 'no such file' : `cannot be read (${e.code ?? e.message})`);
  }
  try {
    return parse(text);
  } catch {
    throw make('', 'not valid JSON (truncated, or not written by mssi)');
  }
}

export const HEX64 = /^[0-9a-f]{64}$/;
