// The built CLI as a batch job meets it, with a wall-clock limit: a run past
// it is killed with its whole process group (workers included) and is a hang.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mssi', import.meta.url));

export interface TimedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly wallMs: number;
}

export function mssiTimed(args: readonly string[], timeoutMs: number): Promise<TimedRun> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a kill reaches the workers too
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!timedOut && child.pid !== undefined) {
        // workers left behind by a main process that died
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* the group is gone: nothing left */
        }
      }
      resolve({ code, signal, stdout, stderr, timedOut, wallMs: Date.now() - t0 });
    });
  });
}
