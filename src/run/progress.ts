// How a run shows itself on stderr: a cli-progress bar on a terminal, one plain
// line per file otherwise (shard logs rely on them), nothing but warnings and
// failures with --quiet. The bar advances with the bytes of input done (workMeter.ts),
// so that one big file shows motion and an ETA; it also says how many files are done
// and how many events per second are selected.

import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { FileFailure, FileResult } from '../result.js';
import type { RunObserver, RunWork } from './session.js';
import { rangeText } from './session.js';
import type { EntryRange } from './tasks.js';
import type { WorkDelta } from './workMeter.js';

export interface ProgressOptions {
  readonly quiet: boolean;
  readonly stream?: NodeJS.WriteStream;
}

/** What the bar shows, at one moment. */
export interface ProgressSnapshot {
  readonly files: number;
  readonly filesDone: number;
  readonly bytes: number;
  readonly bytesDone: number;
  readonly events: number;
  /** 0..1 of the bytes. */
  readonly fraction: number;
  /** Since the start; null before anything was selected. */
  readonly eventsPerSecond: number | null;
  /** From the bytes done over the last samples; null until there is a rate. */
  readonly etaSeconds: number | null;
}

/** Samples of (time, bytes done) the ETA is taken over: recent enough to follow a change of pace. */
const ETA_SAMPLES = 20;

/** The state the bar shows: a run's files, bytes and events done, and its pace. */
export class RunProgress {
  private files = 0;
  private filesDone = 0;
  private bytes = 0;
  private bytesDone = 0;
  private events = 0;
  private began = 0;
  private samples: { t: number; bytes: number }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(work: RunWork): void {
    this.files = work.files;
    this.bytes = work.bytes;
    this.began = this.now();
    this.samples = [{ t: this.began, bytes: 0 }];
  }

  advance(done: WorkDelta): void {
    this.bytesDone = Math.min(this.bytes, this.bytesDone + done.bytes);
    this.events += done.events;
    this.samples.push({ t: this.now(), bytes: this.bytesDone });
    if (this.samples.length > ETA_SAMPLES) this.samples.shift();
  }

  /** A file (or task) is over, done or failed. */
  fileEnded(): void {
    this.filesDone++;
  }

  snapshot(): ProgressSnapshot {
    const elapsedMs = this.now() - this.began;
    const first = this.samples[0];
    const last = this.samples.at(-1);
    let etaSeconds: number | null = null;
    if (this.bytesDone >= this.bytes && this.bytes > 0) etaSeconds = 0;
    else if (first && last && last.t > first.t && last.bytes > first.bytes) {
      etaSeconds = ((this.bytes - this.bytesDone) * (last.t - first.t)) / (last.bytes - first.bytes) / 1000;
    }
    return {
      files: this.files,
      filesDone: this.filesDone,
      bytes: this.bytes,
      bytesDone: this.bytesDone,
      events: this.events,
      fraction: this.bytes > 0 ? this.bytesDone / this.bytes : this.files > 0 ? this.filesDone / this.files : 0,
      eventsPerSecond: this.events > 0 && elapsedMs > 0 ? (this.events * 1000) / elapsedMs : null,
      etaSeconds,
    };
  }
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return '-';
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)}M` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)}k` : perSecond.toFixed(0);
}

/** "-", "42s", "3m05s", "2h07m". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '-';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The bar's scale: bytes are counted in these (cli-progress wants integers; a fraction of a per-mille is no motion). */
const BAR_STEPS = 10_000;

export function progressObserver(options: ProgressOptions): RunObserver {
  const stream = options.stream ?? process.stderr;
  const state = new RunProgress();
  const useBar = !options.quiet && stream.isTTY === true;
  let multi: MultiBar | null = null;
  let bar: SingleBar | null = null;
  // The bar hides the cursor; a process that exits without stop() (a second Ctrl-C,
  // a signal) must still give it back to the terminal.
  const showCursor = () => stream.write('\x1b[?25h');

  const say = (line: string) => {
    if (multi) multi.log(`${line}\n`);
    else stream.write(`${line}\n`);
  };
  const refresh = () => {
    if (!bar) return;
    const s = state.snapshot();
    bar.update(Math.round(s.fraction * BAR_STEPS), payload(s));
  };
  const payload = (s: ProgressSnapshot) => ({
    filesDone: s.filesDone,
    files: s.files,
    events: s.events.toLocaleString('en-US'),
    rate: formatRate(s.eventsPerSecond),
    remaining: formatEta(s.etaSeconds),
  });
  const fileEnded = () => {
    state.fileEnded();
    refresh();
  };

  return {
    start(work) {
      state.start(work);
      if (!useBar) return;
      multi = new MultiBar(
        {
          stream,
          format: ' {bar} {percentage}% | {filesDone}/{files} files | {events} events | {rate} events/s | ETA {remaining}',
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      );
      bar = multi.create(BAR_STEPS, 0, payload(state.snapshot()));
      process.once('exit', showCursor);
    },
    progress(done) {
      state.advance(done);
      refresh();
    },
    fileDone(result: FileResult, part?: EntryRange) {
      fileEnded();
      if (!bar && !options.quiet) {
        const { filesDone, files } = state.snapshot();
        const how = result.fromCache ? 'from cache' : `${(result.timings.totalMs / 1000).toFixed(2)} s`;
        const what = part ? `${result.path} (${rangeText(part)})` : result.path;
        say(`[${filesDone}/${files}] ${what}: ${result.counts.nSS} events (${how})`);
      }
    },
    fileFailed(failure: FileFailure) {
      fileEnded();
      say(`mssi: FAILED ${failure.message}`);
    },
    warn(message) {
      say(`mssi: warning: ${message}`);
    },
    stop() {
      if (multi) process.off('exit', showCursor);
      // lines logged since the last redraw are written by a redraw only (stop() drops them)
      multi?.update();
      multi?.stop();
      multi = null;
      bar = null;
    },
  };
}
