// The typed messages between the main process and its workers (over Node IPC,
// structured-clone serialisation, so TypedArrays and nested objects survive).

/** One unit of work: a file, or an entry range of a file aligned to its clusters. */
export interface Task<P = unknown> {
  readonly id: number;
  readonly payload: P;
}

export type WorkerMessage<R = unknown> =
  | { readonly type: 'ready' }
  /**
   * `events` more events of the task are done. `total`, once the worker knows it (its
   * first report, sent as soon as the task's input is opened): the events of the whole
   * task, so that the main process can show how far into a big task it is.
   */
  | { readonly type: 'progress'; readonly id: number; readonly events: number; readonly total?: number }
  | { readonly type: 'done'; readonly id: number; readonly result: R }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

export type MainMessage<P = unknown> =
  | { readonly type: 'task'; readonly task: Task<P> }
  | { readonly type: 'exit' };
