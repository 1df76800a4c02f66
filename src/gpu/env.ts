// Loading Dawn (npm `webgpu`) lazily, into a process environment that keeps
// native drivers quiet: a CPU run never loads it, and nothing Mesa or Dawn
// prints for itself reaches the user's terminal.

import { closeSync, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of npm `webgpu` that mssi uses. */
export interface DawnModule {
  create(options: string[]): GPU;
  readonly globals: object;
}

/** npm `webgpu` is an optional dependency of mssi, and not installed here. */
export class GpuPackageMissingError extends Error {
  override name = 'GpuPackageMissingError';
  constructor(options?: ErrorOptions) {
    super('the GPU backend needs the optional package webgpu: npm install -g webgpu, or reinstall mssi without --omit=optional', options);
  }
}

/** Node's error for an import of a package that is not installed. */
function isMissingPackage(err: unknown, name: string): boolean {
  const e = err as NodeJS.ErrnoException | null;
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

let loading: Promise<DawnModule> | undefined;

/**
 * Dawn's Node module, loaded once; rejects with GpuPackageMissingError when npm
 * `webgpu` is not installed, and with Node's error when its native binary cannot load.
 */
export function loadDawn(): Promise<DawnModule> {
  loading ??= (async () => {
    prepareEnvironment();
    try {
      return (await import('webgpu')) as unknown as DawnModule;
    } catch (err) {
      throw isMissingPackage(err, 'webgpu') ? new GpuPackageMissingError({ cause: err }) : err;
    }
  })();
  return loading;
}

function prepareEnvironment(): void {
  // Mesa warns on stderr when XDG_RUNTIME_DIR is unset (typical of CI and
  // containers); a private, empty one silences it and is removed at exit.
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-xdg-'));
    process.env.XDG_RUNTIME_DIR = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  // Dawn's OpenGL ES backend needs EGL without a display server.
  process.env.EGL_PLATFORM ??= 'surfaceless';
}

/**
 * Runs `fn` (synchronous) with the process's native stderr pointed at /dev/null.
 * Dawn prints warnings straight to fd 2 while it builds an adapter (e.g. "maxDynamic
 * ... artificially reduced"), which no JS stream can intercept. Without dup2 in
 * Node, fd 2 is reopened from /proc/self/fd; any doubt (not Linux, a socket, a
 * missing fd 0/1) runs `fn` unmuted, so no output of the user is ever lost.
 * MSSI_GPU_NATIVE_LOG=1 shows the native messages (for debugging a driver).
 */
export function withNativeStderrMuted<T>(fn: () => T): T {
  if (process.platform !== 'linux' || process.env.MSSI_GPU_NATIVE_LOG) return fn();
  let saved: number;
  try {
    fstatSync(0);
    fstatSync(1);
    if (fstatSync(2).isSocket()) return fn();
    saved = openSync('/proc/self/fd/2', 'a');
  } catch {
    return fn();
  }
  let muted = false;
  try {
    closeSync(2);
    const devNull = openSync('/dev/null', 'a');
    muted = devNull === 2;
    if (!muted) closeSync(devNull);
  } catch {
    muted = false;
  }
  try {
    return fn();
  } finally {
    try {
      if (muted) closeSync(2);
      const back = openSync(`/proc/self/fd/${saved}`, 'a');
      if (back !== 2) closeSync(back);
    } finally {
      closeSync(saved);
    }
  }
}
