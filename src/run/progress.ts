// How a run shows itself on stderr: a cli-progress bar on a terminal, one plain
// line per file otherwise, nothing but warnings and failures with --quiet.

import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { FileFailure, FileResult } from '../result.js';
import type { RunObserver } from './runFiles.js';
import { rangeText } from './session.js';
import type { EntryRange } from './tasks.js';

export interface ProgressOptions {
  readonly quiet: boolean;
  readonly stream?: NodeJS.WriteStream;
}

function rate(events: number, ms: number): string {
  if (ms <= 0) return '-';
  const perSecond = (events * 1000) / ms;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)}M` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)}k` : perSecond.toFixed(0);
}

export function progressObserver(options: ProgressOptions): RunObserver {
  const stream = options.stream ?? process.stderr;
  const began = performance.now();
  let events = 0;
  let done = 0;
  let total = 0;
  const useBar = !options.quiet && stream.isTTY === true;
  let multi: MultiBar | null = null;
  let bar: SingleBar | null = null;
  // The bar hides the cursor; a process that exits without stop() (a second Ctrl-C)
  // must still give it back to the terminal.
  const showCursor = () => stream.write('\x1b[?25h');

  const say = (line: string) => {
    if (multi) multi.log(`${line}\n`);
    else stream.write(`${line}\n`);
  };
  const refresh = () =>
    bar?.update(done, { events: events.toLocaleString('en-US'), rate: rate(events, performance.now() - began) });

  return {
    start(files) {
      total = files;
      if (!useBar) return;
      multi = new MultiBar(
        {
          stream,
          format: ' {bar} {value}/{total} files | {events} events | {rate} events/s | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 20,
        },
        Presets.shades_classic,
      );
      bar = multi.create(files, 0, { events: '0', rate: '-' });
      process.once('exit', showCursor);
    },
    events(count) {
      events += count;
      refresh();
    },
    fileDone(result: FileResult, part?: EntryRange) {
      done++;
      if (bar) refresh();
      else if (!options.quiet) {
        const how = result.fromCache ? 'from cache' : `${(result.timings.totalMs / 1000).toFixed(2)} s`;
        const what = part ? `${result.path} (${rangeText(part)})` : result.path;
        say(`[${done}/${total}] ${what}: ${result.counts.nSS} events (${how})`);
      }
    },
    fileFailed(failure: FileFailure) {
      done++;
      refresh();
      say(`mssi: FAILED ${failure.message}`);
    },
    warn(message) {
      say(`mssi: warning: ${message}`);
    },
    stop() {
      if (multi) process.off('exit', showCursor);
      multi?.stop();
      multi = null;
      bar = null;
    },
  };
}
