// Content hashing of input files, with a stat memo so that a warm re-run does not
// read every file twice (once to hash, once to select).

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const HASH_ALGORITHM = 'sha256';

/** Hex SHA-256 of a file's bytes, read in large blocks. */
export function hashFile(path: string): string {
  const hash = createHash(HASH_ALGORITHM);
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      hash.update(n === block.length ? block : block.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function hashText(text: string): string {
  return createHash(HASH_ALGORITHM).update(text).digest('hex');
}

/** What identifies a file's version without reading it: a changed one changes one of these. */
export interface StatIdentity {
  readonly size: number;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly ino: string;
  readonly dev: string;
}

export function statIdentity(path: string): StatIdentity {
  const s = statSync(path, { bigint: true });
  return {
    size: Number(s.size),
    mtimeNs: String(s.mtimeNs),
    ctimeNs: String(s.ctimeNs),
    ino: String(s.ino),
    dev: String(s.dev),
  };
}

export function sameIdentity(a: StatIdentity, b: StatIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;
}

/** hashFile without blocking the event loop (the main process keeps serving its workers meanwhile). */
export async function hashFileAsync(path: string): Promise<string> {
  const hash = createHash(HASH_ALGORITHM);
  const handle = await open(path, 'r');
  try {
    const block = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === block.length ? block : block.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
