import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { progressObserver } from '../../src/run/progress.js';
import { resultOf } from '../report/results.js';

const progress = new URL('../../dist/src/run/progress.js', import.meta.url).href;

/** Runs the progress bar in a process whose stdout poses as a terminal; returns what it wrote there. */
function onFakeTerminal(then: string): string {
  const script = `
    const { progressObserver } = await import(${JSON.stringify(progress)});
    Object.assign(process.stdout, { isTTY: true, columns: 80 });
    const observer = progressObserver({ quiet: false, stream: process.stdout });
    observer.start({ files: 3, bytes: 3000 });
    ${then}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return r.stdout;
}

/** A stream that says it is a terminal and keeps what is written to it. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The bar's last line as it was drawn (escape sequences removed). */
const lastBar = (text: string) =>
  text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '\n')
    .split('\n')
    .filter((l) => l.includes('files |'))
    .at(-1)
    ?.trim();

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

  it('advances with the bytes done inside one big file, and says files done and events/s', () => {
    const terminal = new FakeTerminal();
    const observer = progressObserver({ quiet: false, stream: terminal as unknown as NodeJS.WriteStream });
    observer.start({ files: 2, bytes: 1000 });
    observer.progress({ bytes: 250, events: 150_000 });
    observer.stop();
    expect(lastBar(terminal.text)).toMatch(/^[█░]{40} 25% \| 0\/2 files \| 150,000 events \| [\d.]+[kM]? events\/s \| ETA (\d+s|\d+m\d\ds|-)$/);
    expect(terminal.text).not.toMatch(/\[\d\/2\]/); // no per-file lines on a terminal
  });

  it('counts files as they end, and logs failures above the bar', () => {
    const terminal = new FakeTerminal();
    const observer = progressObserver({ quiet: false, stream: terminal as unknown as NodeJS.WriteStream });
    observer.start({ files: 2, bytes: 1000 });
    observer.progress({ bytes: 1000, events: 4000 });
    observer.fileDone(resultOf('a/SS_skim_A.root', { nSS: 2000 }, 1));
    observer.fileFailed({ path: 'a/b.root', message: 'a/b.root: not a ROOT file' });
    observer.stop();
    expect(lastBar(terminal.text)).toMatch(/ 100% \| 2\/2 files \| 4,000 events \| .* \| ETA 0s$/);
    expect(terminal.text).toContain('mssi: FAILED a/b.root: not a ROOT file');
  });

  it('off a terminal writes one plain line per file, as before', () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _e, done) {
        text += chunk.toString();
        done();
      },
    });
    const observer = progressObserver({ quiet: false, stream: stream as unknown as NodeJS.WriteStream });
    observer.start({ files: 2, bytes: 1000 });
    observer.progress({ bytes: 500, events: 2000 });
    observer.fileDone({ ...resultOf('a/SS_skim_A.root', { nSS: 2000 }, 1), timings: { readMs: 0, selectMs: 0, totalMs: 1234 } });
    observer.fileDone({ ...resultOf('a/SS_skim_B.root', { nSS: 7 }, 1), fromCache: true });
    observer.stop();
    expect(text).toBe('[1/2] a/SS_skim_A.root: 2000 events (1.23 s)\n[2/2] a/SS_skim_B.root: 7 events (from cache)\n');
  });
});
