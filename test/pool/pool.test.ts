import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskFailedError, TaskTimeoutError, WorkerDiedError, WorkerPool } from '../../src/pool/pool.js';

const workerModule = fileURLToPath(new URL('./testWorker.mjs', import.meta.url));

interface Payload {
  op: string;
  value?: number;
  events?: number;
  ms?: number;
  marker?: string;
  /** Every task appends its op to this file: how often it ran. */
  log?: string;
}

function pool(size: number, onProgress?: (id: number, events: number) => void, execArgv?: string[]) {
  if (!existsSync(new URL('../../dist/src/pool/workerLoop.js', import.meta.url))) {
    throw new Error('run `npm run build` first (npm test does)');
  }
  return new WorkerPool<Payload, Record<string, unknown>>({ size, workerModule, onProgress, execArgv });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mssi-pool-'));
const timesRun = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the task to fail');
};
/** Whether a process is still there (and not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('worker pool', () => {
  it('runs tasks in worker processes and returns structured results', async () => {
    const progress: number[] = [];
    const p = pool(2, (_id, events) => progress.push(events));
    const results = await Promise.all([1, 2, 3, 4].map((value) => p.run({ op: 'echo', value, events: value * 10 })));
    await p.close();
    expect(results.map((r) => r.value)).toEqual([1, 2, 3, 4]);
    expect(results[0]!.data).toBeInstanceOf(Float64Array);
    expect(Array.from(results[0]!.data as Float64Array)).toEqual([1.5, NaN]);
    expect(new Set(results.map((r) => r.pid)).size).toBeLessThanOrEqual(2);
    expect(results.every((r) => r.pid !== process.pid)).toBe(true);
    expect(progress.sort((a, b) => a - b)).toEqual([10, 20, 30, 40]);
  });

  it('spreads work over the workers', async () => {
    const p = pool(2);
    const results = await Promise.all([1, 2, 3, 4].map(() => p.run({ op: 'slow', ms: 200 })));
    await p.close();
    expect(new Set(results.map((r) => r.pid)).size).toBe(2);
  });

  it('gives each live worker its own seat 0..size-1, and a replacement a free one', async () => {
    const p = pool(3);
    const first = await Promise.all([1, 2, 3, 4, 5, 6].map(() => p.run({ op: 'slow', ms: 150 })));
    const seatOf = new Map(first.map((r) => [r.pid, r.seat]));
    expect([...new Set(seatOf.values())].sort()).toEqual(['0', '1', '2']);
    expect(seatOf.size).toBe(3);
    await expect(p.run({ op: 'crash' })).rejects.toThrow(WorkerDiedError);
    const after = await Promise.all([1, 2, 3, 4, 5, 6].map(() => p.run({ op: 'slow', ms: 150 })));
    await p.close();
    const live = new Map(after.map((r) => [r.pid, r.seat]));
    expect(live.size).toBe(3);
    expect([...live.values()].sort()).toEqual(['0', '1', '2']);
  });

  it('fails a task whose handler throws, and goes on', async () => {
    const p = pool(1);
    await expect(p.run({ op: 'fail', value: 7 })).rejects.toThrow('bad input 7');
    await expect(p.run({ op: 'echo', value: 8 })).resolves.toMatchObject({ value: 8 });
    await p.close();
  });

  it('fails only the task whose worker dies, replaces the worker, and goes on', async () => {
    const p = pool(2);
    const outcomes = await Promise.allSettled([
      p.run({ op: 'echo', value: 1 }),
      p.run({ op: 'crash' }),
      p.run({ op: 'exit' }),
      p.run({ op: 'echo', value: 2 }),
      p.run({ op: 'echo', value: 3 }),
    ]);
    await p.close();
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    const crash = (outcomes[1] as PromiseRejectedResult).reason as Error;
    expect(crash).toBeInstanceOf(WorkerDiedError);
    expect(crash).toBeInstanceOf(TaskFailedError);
    expect(crash.message).toBe('worker process died (signal SIGKILL) twice, once on a fresh worker: native code says goodbye');
    expect(((outcomes[2] as PromiseRejectedResult).reason as Error).message).toBe(
      'worker process died (exit code 3) twice, once on a fresh worker',
    );
  });

  it('retries a task whose worker died once, on a fresh worker', async () => {
    const p = pool(2);
    // both workers started and used
    const used = await Promise.all([p.run({ op: 'slow', ms: 200 }), p.run({ op: 'slow', ms: 200 })]);
    const marker = join(tmp(), 'died-once');
    const retried = await p.run({ op: 'crashOnce', marker });
    await p.close();
    const first = Number(readFileSync(marker, 'utf8'));
    expect(used.map((r) => r.pid)).toContain(first);
    expect([...used.map((r) => r.pid), first]).not.toContain(retried.pid);
  });

  it('does not retry a task that failed in its handler', async () => {
    const p = pool(1);
    const log = join(tmp(), 'log');
    await expect(p.run({ op: 'fail', value: 1, log })).rejects.toThrow('bad input 1');
    await p.close();
    expect(timesRun(log)).toBe(1);
  });

  it("keeps the error's own line of a worker that throws outside any task", async () => {
    const p = pool(1);
    const err = await rejection(p.run({ op: 'throwOutside' }));
    await p.close();
    expect(err).toBeInstanceOf(WorkerDiedError);
    expect(err.message).toBe(
      "worker process died (exit code 1) twice, once on a fresh worker: TypeError: Cannot read properties of undefined (reading 'fTypeName')",
    );
  });

  it('keeps V8\'s line of a worker that runs out of heap', async () => {
    const p = pool(1, undefined, ['--max-old-space-size=24']);
    const err = await rejection(p.run({ op: 'oom' }));
    await p.close();
    expect(err).toBeInstanceOf(WorkerDiedError);
    expect(err.message).toMatch(/^worker process died \((signal SIGABRT|signal SIGTRAP|exit code \d+)\) twice, once on a fresh worker: /);
    expect(err.message).toMatch(/FATAL ERROR: .*JavaScript heap out of memory$/);
  });

  it('starts the largest waiting task first, in order among equals', async () => {
    const p = pool(1);
    const order: number[] = [];
    const first = p.run({ op: 'slow', ms: 300 }); // keeps the one worker busy while the rest queue up
    const sized: [number, number][] = [
      [1, 10],
      [2, 50],
      [3, 30],
      [4, 50],
      [5, 0],
    ];
    const rest = sized.map(([value, size]) => p.run({ op: 'echo', value }, { size }).then(() => order.push(value)));
    await Promise.all([first, ...rest]);
    await p.close();
    expect(order).toEqual([2, 4, 3, 1, 5]);
  });

  it('stops a task past its deadline, on a fresh worker the rest goes on, and does not retry it', async () => {
    const p = pool(1);
    const before = await p.run({ op: 'echo', value: 1 });
    const log = join(tmp(), 'log');
    const hung = await rejection(p.run({ op: 'hang', log }, { timeoutMs: 500 }));
    expect(hung).toBeInstanceOf(TaskTimeoutError);
    expect(hung.message).toBe('did not finish within 0.5 s; the worker was stopped');
    const between = await p.run({ op: 'echo', value: 2 });
    expect(between.pid).not.toBe(before.pid);
    expect(alive(before.pid as number)).toBe(false);
    // a worker that never yields to its event loop is stopped too (this one has started: the
    // deadline runs from when the task is sent, a worker's start-up included)
    const spun = await rejection(p.run({ op: 'spin', log }, { timeoutMs: 500 }));
    expect(spun.message).toBe('did not finish within 0.5 s; the worker was stopped');
    const after = await p.run({ op: 'echo', value: 3 });
    await p.close();
    expect(after).toMatchObject({ value: 3 });
    expect(after.pid).not.toBe(between.pid);
    expect(alive(between.pid as number)).toBe(false);
    expect(timesRun(log)).toBe(2); // neither was retried
  });

  it('kill() stops every worker, busy or idle, and fails what was left', async () => {
    const pids: number[] = [];
    const p = pool(2, (_id, pid) => pids.push(pid));
    const tasks = [p.run({ op: 'hang' }), p.run({ op: 'hang' }), p.run({ op: 'hang' })].map((t) => rejection(t));
    while (pids.length < 2) await new Promise((r) => setTimeout(r, 20));
    await p.kill();
    expect(pids.filter(alive)).toEqual([]);
    for (const err of await Promise.all(tasks)) expect(err.message).toMatch(/cancelled/);
    await expect(p.run({ op: 'echo' })).rejects.toThrow(/closed/);
  });

  it('rejects a pool size that is not a positive integer', () => {
    expect(() => pool(0)).toThrow(RangeError);
  });
});
