// The package's root folder, found from this module's location, so that the files
// mssi reads at run time (fixtures/rates.csv, kernels/mssi.wgsl, dist/kernels/ and
// dist/vendor/, the bundled worker) are found whatever the cwd is, and whether this
// module runs from src/ (tests), dist/src/ (tsc's output) or dist/bundle/ (the CLI).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'mssi'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`mssi: cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot();

export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/**
 * The module the worker processes run: the bundled worker of the CLI (`npm run build`
 * makes it), also for tests and benchmarks, so that they fork what a user's run forks.
 */
export function workerModulePath(): string {
  return packagePath('dist', 'bundle', 'worker.js');
}

/** The version in mssi's own package.json (not $npm_package_version: that is whichever package npm ran). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
