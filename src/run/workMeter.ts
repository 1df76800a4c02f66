// How much of a run's work is done, in bytes of input. The main process never opens a
// file, so it cannot know a file's entries up front; it knows each file's size (and
// each task's share of it). A task's worker says how many events the task has as soon
// as it has opened the file (its first progress report), and how many it has done as
// it goes: the task's share of bytes is counted in that proportion. A file's bytes
// are complete when the file is (done from the cache, computed, or failed).

import type { TaskProgress } from '../pool/pool.js';

/** Done since the last report: bytes of input, events selected. */
export interface WorkDelta {
  readonly bytes: number;
  readonly events: number;
}

/** A unit of work worth `bytes`: a file of `mssi run`, or a task of a plan's shard. */
export class WorkUnit {
  private counted = 0;
  private finished = false;

  constructor(
    readonly bytes: number,
    private readonly report: (delta: WorkDelta) => void,
  ) {}

  /**
   * The progress callback of a worker task over `share` of this unit's bytes. A task
   * run again on a fresh worker (attempt 2) starts from 0: nothing is counted twice.
   */
  task(share: number): (progress: TaskProgress) => void {
    let attempt = 1;
    let total: number | undefined;
    let done = 0;
    let shownBytes = 0;
    let shownEvents = 0;
    return (p) => {
      if (this.finished) return;
      if (p.attempt !== attempt) {
        attempt = p.attempt;
        total = undefined;
        done = 0;
      }
      if (p.total !== undefined) total = p.total;
      done += p.events;
      const fraction = total === undefined ? 0 : total === 0 ? 1 : Math.min(1, done / total);
      const bytes = Math.min(Math.max(0, share * fraction - shownBytes), this.bytes - this.counted);
      const events = Math.max(0, done - shownEvents);
      if (bytes <= 0 && events === 0) return;
      shownBytes += Math.max(0, bytes);
      shownEvents += events;
      this.counted += Math.max(0, bytes);
      this.report({ bytes: Math.max(0, bytes), events });
    };
  }

  /** The unit is over (done or failed): whatever of its bytes is not counted yet. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const rest = this.bytes - this.counted;
    this.counted = this.bytes;
    if (rest > 0) this.report({ bytes: rest, events: 0 });
  }
}

export class WorkMeter {
  constructor(private readonly report: (delta: WorkDelta) => void) {}

  unit(bytes: number): WorkUnit {
    return new WorkUnit(Math.max(0, bytes), this.report);
  }
}
