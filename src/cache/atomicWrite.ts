// Files that are only ever seen whole: written to a unique temporary name in the same
// folder, flushed to disk (fsync), then renamed over the final name. A rename within a
// folder is atomic on local file systems and on NFS (the server does it), so a crash,
// a killed writer or two writers at once (on one host or several) never leave a half
// file under the final name; no O_EXCL or lock is relied on.

import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `text` to `path` atomically, creating its folder if needed. */
export function atomicWrite(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeThenRename(path, text);
}

/** atomicWrite in a folder that exists. Temporaries end in `.tmp` (cache prune removes stale ones). */
export function writeThenRename(path: string, text: string): void {
  // pid and random bytes: unique across the processes of every host writing there
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { flush: true });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to remove
    }
    throw err;
  }
}
