// A worker for the pool tests, built on the compiled worker loop (npm test builds first).
import { serveTasks } from '../../dist/src/pool/workerLoop.js';

serveTasks(async (payload, progress) => {
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
    case 'exit':
      process.exit(3);
    case 'slow':
      await new Promise((r) => setTimeout(r, payload.ms));
      return { pid: process.pid };
    default:
      throw new Error(`unknown op ${payload.op}`);
  }
});
