// A pool of worker processes. Tasks go to idle workers, the largest waiting one
// first (in order among equals); a worker that dies mid-task fails that task only
// and is replaced, so one bad file (or a crash in native code) never takes the run
// down.

import { fork, type ChildProcess } from 'node:child_process';
import type { MainMessage, Task, WorkerMessage } from './messages.js';

export class TaskFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskFailedError';
  }
}

export interface PoolOptions {
  /** Number of worker processes. */
  readonly size: number;
  /** Module each worker runs (compiled JS). */
  readonly workerModule: string;
  /** Extra arguments for the worker module. */
  readonly workerArgs?: readonly string[];
  /** Called with the number of events a task has finished since its last report. */
  readonly onProgress?: (taskId: number, events: number) => void;
}

interface Pending<P> {
  readonly task: Task<P>;
  /** How much work the task is (e.g. bytes): the largest waiting task goes first. */
  readonly size: number;
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  child: ChildProcess;
  busy: Pending<unknown> | null;
  /** Set once the pool asked it to exit: its exit is then expected. */
  closing: boolean;
}

export class WorkerPool<P, R> {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending<P>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`pool size must be a positive integer, got ${options.size}`);
    }
  }

  /**
   * Runs one task on some worker; rejects with TaskFailedError if it fails or its worker
   * dies. `size`: how much work it is; of the tasks waiting, the largest starts first,
   * so that no big one is left to run alone at the end.
   */
  run(payload: P, size = 0): Promise<R> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      const pending = { task: { id: this.nextId++, payload }, size, resolve: resolve as (r: unknown) => void, reject };
      // after every waiting task at least as large: equal sizes keep their order
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1]!.size < size) at--;
      this.queue.splice(at, 0, pending);
      this.dispatch();
    });
  }

  /** Stops all workers once their current tasks are done. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((done) => {
            slot.closing = true;
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return done();
            slot.child.once('exit', () => done());
            this.send(slot, { type: 'exit' });
          }),
      ),
    );
  }

  /** Kills all workers now (Ctrl-C); pending tasks fail. */
  kill(): void {
    this.closed = true;
    for (const slot of this.slots) {
      slot.closing = true;
      slot.child.kill('SIGKILL');
    }
    for (const p of this.queue.splice(0)) p.reject(new TaskFailedError('cancelled'));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === null && !s.closing);
      if (!slot && this.slots.length < this.options.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.busy = pending as Pending<unknown>;
      this.send(slot, { type: 'task', task: pending.task });
    }
  }

  private send(slot: Slot, message: MainMessage<P>): void {
    if (slot.child.connected) slot.child.send(message);
  }

  private spawn(): Slot {
    const child = fork(this.options.workerModule, [...(this.options.workerArgs ?? [])], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, busy: null, closing: false };
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-2000);
    });
    child.on('message', (message: WorkerMessage<R>) => this.onMessage(slot, message));
    child.on('exit', (code, signal) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      const pending = slot.busy;
      slot.busy = null;
      if (pending) {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        const tail = stderrTail.trim().split('\n').slice(-3).join(' | ');
        pending.reject(new TaskFailedError(`worker process died (${how})${tail ? `: ${tail}` : ''}`));
      }
      if (!this.closed) this.dispatch();
    });
    child.on('error', () => {
      // 'exit' follows and does the accounting.
    });
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, message: WorkerMessage<R>): void {
    const pending = slot.busy;
    if (message.type === 'ready' || !pending || message.id !== pending.task.id) return;
    if (message.type === 'progress') {
      this.options.onProgress?.(message.id, message.events);
      return;
    }
    slot.busy = null;
    if (message.type === 'done') pending.resolve(message.result);
    else pending.reject(new TaskFailedError(message.message));
    this.dispatch();
  }
}
