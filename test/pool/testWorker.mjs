// A worker for the pool tests, built on the compiled worker loop (npm test builds first).
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { serveTasks } from '../../dist/src/pool/workerLoop.js';

serveTasks(async (payload, progress) => {
  if (payload.log) appendFileSync(payload.log, `${payload.op}\n`);
  switch (payload.op) {
    case 'echo':
      progress(payload.events ?? 0);
      return { pid: process.pid, value: payload.value, data: new Float64Array([1.5, NaN]) };
    case 'fail':
      throw new Error(`bad input ${payload.value}`);
    case 'crash':
      process.stderr.write('native code says goodbye\n');
      process.kill(process.pid, 'SIGKILL');
      return null;
    case 'crashOnce':
      // dies the first time (leaving a marker), succeeds on the retry
      if (!existsSync(payload.marker)) {
        writeFileSync(payload.marker, String(process.pid));
        process.kill(process.pid, 'SIGKILL');
      }
      return { pid: process.pid };
    case 'exit':
      process.exit(3);
    case 'slow':
      await new Promise((r) => setTimeout(r, payload.ms));
      return { pid: process.pid, seat: process.env.MSSI_WORKER_SEAT };
    case 'hang':
      // a read that never completes: the task's promise never settles (progress: the pid, for kill())
      progress(process.pid);
      return new Promise(() => {});
    case 'spin':
      // a loop that never yields: the worker cannot even receive messages
      for (;;);
    case 'throwOutside':
      // an exception no task's promise can catch (e.g. from a library's I/O callback)
      setTimeout(() => {
        throw new TypeError('Cannot read properties of undefined (reading \'fTypeName\')');
      }, 0);
      return new Promise(() => {});
    case 'oom': {
      // runs out of heap (the pool test starts this worker with a small --max-old-space-size)
      const hoard = [];
      for (;;) hoard.push(new Array(100_000).fill(hoard.length));
    }
    default:
      throw new Error(`unknown op ${payload.op}`);
  }
});
