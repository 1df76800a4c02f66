import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

const progress = new URL('../../dist/src/run/progress.js', import.meta.url).href;

/** Runs the progress bar in a process whose stdout poses as a terminal; returns what it wrote there. */
function onFakeTerminal(then: string): string {
  const script = `
    const { progressObserver } = await import(${JSON.stringify(progress)});
    Object.assign(process.stdout, { isTTY: true, columns: 80 });
    const observer = progressObserver({ quiet: false, stream: process.stdout });
    observer.start(3);
    ${then}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return r.stdout;
}

const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';

describe('progress bar', () => {
  it('hides the cursor while it runs and shows it again when stopped', () => {
    const out = onFakeTerminal('observer.stop();');
    expect(out).toContain(HIDE);
    expect(out.lastIndexOf(SHOW)).toBeGreaterThan(out.indexOf(HIDE));
  });

  it('shows the cursor again when the process exits without stopping it (a second Ctrl-C)', () => {
    const out = onFakeTerminal('process.exit(130);');
    expect(out).toContain(HIDE);
    expect(out.endsWith(SHOW)).toBe(true);
  });
});
