// The worker side of the pool: receives tasks, runs them one at a time, replies.

import type { MainMessage, WorkerMessage } from './messages.js';

/** `events` more are done; `total`: the task's events in all, given once known (see messages.ts). */
export type ProgressReporter = (events: number, total?: number) => void;

export type TaskHandler<P, R> = (payload: P, reportProgress: ProgressReporter) => Promise<R> | R;

export interface ServeOptions {
  /** Runs when the pool asks the worker to stop, before it lets go (e.g. to release a GPU device). */
  readonly onExit?: () => void | Promise<void>;
}

export function serveTasks<P, R>(handle: TaskHandler<P, R>, options: ServeOptions = {}): void {
  const send = (message: WorkerMessage<R>) => process.send?.(message);
  // The main process is gone (or said goodbye): nothing of ours can be wanted any more, and
  // a task still running (perhaps stuck) must not outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: MainMessage<P>) => {
    if (message.type === 'exit') {
      Promise.resolve()
        .then(() => options.onExit?.())
        .finally(() => process.disconnect?.());
      return;
    }
    const { id, payload } = message.task;
    Promise.resolve()
      .then(() => handle(payload, (events, total) => send({ type: 'progress', id, events, ...(total === undefined ? {} : { total }) })))
      .then(
        (result) => send({ type: 'done', id, result }),
        (err: unknown) => send({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) }),
      );
  });
  send({ type: 'ready' });
}
