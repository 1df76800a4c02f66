// SIGINT (Ctrl-C) and SIGTERM at a terminal: the cursor the progress bar hid is shown
// again, the workers stop, and mssi exits 130 / 143, for `run`, `run --plan --shard`
// and `simulate` (which has its own handling: the file being written is dropped).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const FAKE_TTY = join(ROOT_DIR, 'test', 'cli', 'fakeTty.mjs');
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-signals-${tag}-`));
const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';
const GUARD_MS = 60_000;

/** Runs mssi on a fake terminal; sends `signal` once the progress bar is drawn (and `after` ms more). */
function interrupted(args: string[], signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}, after = 300) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, NODE_OPTIONS: `--import=${FAKE_TTY}`, MSSI_TEST_TTY_COLUMNS: '100', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), GUARD_MS);
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!sent && stderr.includes(HIDE) && /\d+%/.test(stderr)) {
        sent = true;
        setTimeout(() => child.kill(signal), after);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr, stdout });
    });
  });
}

const cursorShown = (stderr: string) => stderr.includes(HIDE) && stderr.lastIndexOf(SHOW) > stderr.lastIndexOf(HIDE);

describe('stopped at a terminal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('mssi run by %s: cursor shown again, exit %i', async (signal, status) => {
    const r = await interrupted(['run', LZ, '--rates', RATES, '--no-cache', '-j', '1'], signal, { MSSI_TEST_HANG_ON: 'SS_skim_K40_DomePMTs.root' });
    expect(r.code, r.stderr).toBe(status);
    expect(cursorShown(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`mssi run: interrupted by ${signal} after \\d+ of 10 files`));
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('mssi run --plan --shard by %s: cursor shown again, exit %i, no shard file', async (signal, status) => {
    const runDir = join(tmp('shard'), 'run');
    expect((await mssi(['plan', LZ, '--shards', '1', '--out', runDir])).code).toBe(0);
    const r = await interrupted(['run', '--plan', join(runDir, 'plan.json'), '--shard', '0', '-j', '1', '--no-cache'], signal, {
      MSSI_TEST_HANG_ON: 'SS_skim_K40_DomePMTs.root',
    });
    expect(r.code, r.stderr).toBe(status);
    expect(cursorShown(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`mssi run: shard 0 interrupted by ${signal} after \\d+ of 10 tasks; no shard file written`));
    expect(existsSync(join(runDir, 'shards', '0.json'))).toBe(false);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('mssi simulate by %s: cursor shown again, exit %i, no partial file left', async (signal, status) => {
    const out = tmp('simulate');
    const r = await interrupted(['simulate', out, '-n', '300000', '--source', 'K40_DomePMTs', '--source', 'Co60_DomePMTs'], signal, {}, 100);
    expect(r.code, r.stderr).toBe(status);
    expect(cursorShown(r.stderr)).toBe(true);
    expect(r.stderr).toContain(`mssi simulate: simulate was interrupted; no partial file was left behind (${signal})`);
    // only whole files (written before the signal), no temporary folder
    expect(readdirSync(out).filter((f) => !/^SS_skim_\w+\.root$/.test(f))).toEqual([]);
  });
});
