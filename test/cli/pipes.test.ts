// A reader that stops early (`mssi inspect FILE | head -1`) ends mssi quietly, with
// status 0: not an internal error, not a stack trace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from './runCli.js';

const BIN = fileURLToPath(new URL('../../bin/mssi', import.meta.url));

/** Runs mssi, reads its first line of stdout, then closes the pipe as `head -1` does. */
function firstLineThenClose(args: readonly string[]): Promise<{ code: number | null; line: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let line = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0 && line === '') {
        line = out.slice(0, nl);
        child.stdout.destroy();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, line, stderr }));
  });
}

describe('a closed stdout', () => {
  it('ends inspect quietly with status 0', async () => {
    // many branches: far more output than the pipe holds, so mssi is still writing when it closes
    const files = Array.from({ length: 6 }, () => join(ROOT_DIR, 'fixtures', 'real', 'nanoAOD_2015_CMS_Open_Data_ttbar.root'));
    const r = await firstLineThenClose(['inspect', ...files]);
    expect(r.line).toMatch(/nanoAOD_2015_CMS_Open_Data_ttbar\.root: /);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
