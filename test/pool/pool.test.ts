import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TaskFailedError, WorkerPool } from '../../src/pool/pool.js';

const workerModule = fileURLToPath(new URL('./testWorker.mjs', import.meta.url));

interface Payload {
  op: string;
  value?: number;
  events?: number;
  ms?: number;
}

function pool(size: number, onProgress?: (id: number, events: number) => void) {
  if (!existsSync(new URL('../../dist/src/pool/workerLoop.js', import.meta.url))) {
    throw new Error('run `npm run build` first (npm test does)');
  }
  return new WorkerPool<Payload, Record<string, unknown>>({ size, workerModule, onProgress });
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
    expect(crash).toBeInstanceOf(TaskFailedError);
    expect(crash.message).toMatch(/worker process died \(signal SIGKILL\): native code says goodbye/);
    expect(((outcomes[2] as PromiseRejectedResult).reason as Error).message).toMatch(/exit code 3/);
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
    const rest = sized.map(([value, size]) => p.run({ op: 'echo', value }, size).then(() => order.push(value)));
    await Promise.all([first, ...rest]);
    await p.close();
    expect(order).toEqual([2, 4, 3, 1, 5]);
  });

  it('rejects a pool size that is not a positive integer', () => {
    expect(() => pool(0)).toThrow(RangeError);
  });
});
