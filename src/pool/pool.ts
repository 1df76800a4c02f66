// A pool of worker processes. Tasks go to idle workers, the largest waiting one
// first (in order among equals). One bad input never takes the run down:
// - a task past its deadline has its worker killed (SIGKILL: a worker stuck in a
//   loop cannot even read a message) and fails; a new worker takes its place;
// - a worker that dies mid-task (a signal, out of memory, an exception outside the
//   task) has its task run once more on a newly started worker (the dead one may have
//   been left in a bad state by an earlier task), then the task fails with the line
//   of its stderr that names the error;
// - a task whose handler failed (the worker replied 'failed') fails at once.

import { fork, type ChildProcess } from 'node:child_process';
import { deathDetail, howItDied, STDERR_KEPT_CHARS } from './deathReport.js';
import type { MainMessage, Task, WorkerMessage } from './messages.js';

/** A task failed: its handler threw (the message is the handler's), or one of the subclasses. */
export class TaskFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFailedError';
  }
}

/** The task ran past its deadline; its worker was killed. */
export class TaskTimeoutError extends TaskFailedError {
  constructor(readonly timeoutMs: number) {
    super(`did not finish within ${formatSeconds(timeoutMs)}; the worker was stopped`);
    this.name = 'TaskTimeoutError';
  }
}

/** The task's worker died, on its first try and again on a fresh worker. */
export class WorkerDiedError extends TaskFailedError {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerDiedError';
  }
}

/** The pool was killed (the run was interrupted) before the task finished. */
export class TaskCancelledError extends TaskFailedError {
  constructor() {
    super('cancelled: the run was stopped');
    this.name = 'TaskCancelledError';
  }
}

export interface PoolOptions {
  /** Number of worker processes. */
  readonly size: number;
  /** Module each worker runs (compiled JS). */
  readonly workerModule: string;
  /** Extra arguments for the worker module. */
  readonly workerArgs?: readonly string[];
  /** Node options of the workers (e.g. a heap limit); default: none. */
  readonly execArgv?: readonly string[];
  /** Called with the number of events a task has finished since its last report (and its total, once known). */
  readonly onProgress?: (taskId: number, events: number, total?: number) => void;
  /** How long close() waits for a worker to exit when asked, before it kills it. */
  readonly closeGraceMs?: number;
}

export interface TaskOptions {
  /** How much work the task is (e.g. bytes): the largest waiting task goes first. */
  readonly size?: number;
  /** The task fails, and its worker is killed, if it has not finished this long after it started. */
  readonly timeoutMs?: number;
  /** This task's progress reports, as they come (besides the pool's onProgress). */
  readonly onProgress?: (progress: TaskProgress) => void;
}

/** A progress report of one task. */
export interface TaskProgress {
  /** Events done since the last report of this attempt. */
  readonly events: number;
  /** The task's events in all, in the report that first knows it. */
  readonly total?: number;
  /** 1; 2 once it runs again on a fresh worker (its first worker died): it starts again from 0. */
  readonly attempt: number;
}

interface Pending<P> {
  readonly task: Task<P>;
  readonly size: number;
  readonly timeoutMs: number;
  readonly onProgress: ((progress: TaskProgress) => void) | undefined;
  /** How the task's earlier worker died ("signal SIGKILL", and its line), once it has. */
  died: { how: string; detail: string } | null;
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  readonly child: ChildProcess;
  /** 0..size-1, unique among live workers (a replacement takes a free one): the worker's MSSI_WORKER_SEAT. */
  readonly seat: number;
  busy: Pending<unknown> | null;
  /** Set once the pool asked it to exit (or killed it): its exit is then expected. */
  closing: boolean;
  /** Its task ran past the deadline and the pool killed it. */
  timedOut: boolean;
  timer: NodeJS.Timeout | null;
  /** The end of what it wrote on stderr since its current task started. */
  stderr: string;
  /** Resolves once the process is gone and its pipes are closed. */
  readonly gone: Promise<void>;
}

const DEFAULT_CLOSE_GRACE_MS = 10_000;

/**
 * Each worker's seat, in its environment: 0..size-1, unique among the live workers
 * (a worker started in place of one that died takes a free seat). Lets at most K
 * workers take a scarce resource (a GPU device) without asking the main process.
 */
export const WORKER_SEAT_ENV = 'MSSI_WORKER_SEAT';

export class WorkerPool<P, R> {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending<P>[] = [];
  private nextId = 1;
  private closed = false;
  private killed = false;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`pool size must be a positive integer, got ${options.size}`);
    }
  }

  /**
   * Runs one task on some worker; rejects with a TaskFailedError (or a subclass) if it
   * fails, runs past `timeoutMs`, or its worker dies twice. Of the tasks waiting, the
   * largest (`size`) starts first, so that no big one is left to run alone at the end.
   */
  run(payload: P, options: TaskOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    const size = options.size ?? 0;
    const timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    if (!(timeoutMs > 0)) return Promise.reject(new RangeError(`task timeout must be > 0 ms, got ${timeoutMs}`));
    return new Promise<R>((resolve, reject) => {
      const pending: Pending<P> = {
        task: { id: this.nextId++, payload },
        size,
        timeoutMs,
        onProgress: options.onProgress,
        died: null,
        resolve: resolve as (r: unknown) => void,
        reject,
      };
      // after every waiting task at least as large: equal sizes keep their order
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1]!.size < size) at--;
      this.queue.splice(at, 0, pending);
      this.dispatch();
    });
  }

  /** Stops all workers once their current tasks are done (killing any that does not exit in time). */
  async close(): Promise<void> {
    this.closed = true;
    const grace = this.options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.closing = true;
        this.send(slot, { type: 'exit' });
        const timer = setTimeout(() => slot.child.kill('SIGKILL'), grace);
        await slot.gone;
        clearTimeout(timer);
      }),
    );
  }

  /** Kills all workers now (an interrupted run); every task not finished fails as cancelled. */
  async kill(): Promise<void> {
    this.closed = true;
    this.killed = true;
    for (const p of this.queue.splice(0)) p.reject(new TaskCancelledError());
    const slots = [...this.slots];
    for (const slot of slots) {
      slot.closing = true;
      slot.child.kill('SIGKILL');
    }
    await Promise.all(slots.map((s) => s.gone));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      // a task whose worker died goes to a newly started one; there is room, as the dead one's place is free
      let slot = head.died ? undefined : this.slots.find((s) => s.busy === null && !s.closing);
      if (!slot && this.slots.length < this.options.size) slot = this.spawn();
      if (!slot) return;
      this.queue.shift();
      this.start(slot, head as Pending<unknown>);
    }
  }

  private start(slot: Slot, pending: Pending<unknown>): void {
    slot.busy = pending;
    slot.stderr = '';
    if (Number.isFinite(pending.timeoutMs)) {
      slot.timer = setTimeout(() => {
        slot.timedOut = true;
        slot.child.kill('SIGKILL');
      }, pending.timeoutMs);
    }
    this.send(slot, { type: 'task', task: pending.task as Task<P> });
  }

  private send(slot: Slot, message: MainMessage<P>): void {
    if (!slot.child.connected) return;
    // A channel closing under the message shows up as the worker's exit.
    slot.child.send(message, (err) => void err);
  }

  private spawn(): Slot {
    let seat = 0;
    while (this.slots.some((s) => s.seat === seat)) seat++;
    const child = fork(this.options.workerModule, [...(this.options.workerArgs ?? [])], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [...(this.options.execArgv ?? [])],
      env: { ...process.env, [WORKER_SEAT_ENV]: String(seat) },
    });
    let markGone: () => void = () => {};
    const slot: Slot = {
      child,
      seat,
      busy: null,
      closing: false,
      timedOut: false,
      timer: null,
      stderr: '',
      gone: new Promise<void>((resolve) => (markGone = resolve)),
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      slot.stderr = (slot.stderr + text).slice(-STDERR_KEPT_CHARS);
    });
    child.on('message', (message: WorkerMessage<R>) => this.onMessage(slot, message));
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (finished) return;
      finished = true;
      this.onGone(slot, code, signal, spawnError);
      markGone();
    };
    // 'close', not 'exit': by then its stderr has been read to the end (the error line is there).
    child.on('close', (code, signal) => finish(code, signal));
    child.on('error', (err) => {
      // a process that could not be started has no 'close' to wait for
      if (child.pid === undefined) finish(null, null, err);
    });
    this.slots.push(slot);
    return slot;
  }

  private onGone(slot: Slot, code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void {
    if (slot.timer) clearTimeout(slot.timer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const pending = slot.busy;
    slot.busy = null;
    if (pending) {
      if (this.killed) pending.reject(new TaskCancelledError());
      else if (slot.timedOut) pending.reject(new TaskTimeoutError(pending.timeoutMs));
      else {
        const how = spawnError ? 'could not be started' : howItDied(code, signal);
        const detail = spawnError ? spawnError.message : deathDetail(slot.stderr);
        if (!pending.died && !this.closed) {
          pending.died = { how, detail };
          this.queue.unshift(pending as Pending<P>);
        } else {
          pending.reject(new WorkerDiedError(diedMessage(pending.died, { how, detail })));
        }
      }
    }
    if (!this.closed) this.dispatch();
  }

  private onMessage(slot: Slot, message: WorkerMessage<R>): void {
    const pending = slot.busy;
    if (message.type === 'ready' || !pending || slot.timedOut || message.id !== pending.task.id) return;
    if (message.type === 'progress') {
      this.options.onProgress?.(message.id, message.events, message.total);
      const attempt = pending.died ? 2 : 1;
      pending.onProgress?.({ events: message.events, ...(message.total === undefined ? {} : { total: message.total }), attempt });
      return;
    }
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    if (message.type === 'done') pending.resolve(message.result);
    else pending.reject(new TaskFailedError(message.message));
    this.dispatch();
  }
}

function diedMessage(first: { how: string; detail: string } | null, last: { how: string; detail: string }): string {
  const said = (d: { detail: string; how: string }) =>
    d.detail || (d.how === 'signal SIGKILL' ? "no message (the system's out-of-memory killer stops processes this way)" : '');
  if (!first) return `worker process died (${last.how})${said(last) ? `: ${said(last)}` : ''}`;
  if (first.how === last.how && first.detail === last.detail) {
    return `worker process died (${last.how}) twice, once on a fresh worker${said(last) ? `: ${said(last)}` : ''}`;
  }
  const one = (d: { how: string; detail: string }) => `${d.how}${said(d) ? `: ${said(d)}` : ''}`;
  return `worker process died twice, once on a fresh worker: first ${one(first)}; then ${one(last)}`;
}

/** "600 s", "0.3 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;
}
