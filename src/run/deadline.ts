// How long a worker task may run before its worker is stopped (`mssi run --task-timeout`).
// A task stuck on some input (a loop in a decoder, a read that never returns) must not
// hang the run; a slow but sound one must never be stopped. So the deadline is
// generous: a base that covers starting a worker and a GPU device and opening a file,
// plus an allowance for each MiB of the task's share of its file, at 1 MiB/s: about
// 200 times slower than one worker reads zlib files (178-236 MB/s compressed in
// README's benchmark tables), leaving room for slow codecs (lzma, in JavaScript), a
// slow disk or network file system, and a machine shared with other jobs.

export const DEFAULT_TASK_TIMEOUT_SECONDS = 600;
/** Seconds added per MiB of the task's share of its file's bytes. */
export const TIMEOUT_SECONDS_PER_MIB = 1;

export function taskTimeoutMs(timeoutSeconds: number, shareBytes: number): number {
  return Math.round((timeoutSeconds + (TIMEOUT_SECONDS_PER_MIB * shareBytes) / (1 << 20)) * 1000);
}
