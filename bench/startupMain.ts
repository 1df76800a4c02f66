// `npm run bench:startup`: the start-up benchmark alone (bench/startup.ts).

import { availableParallelism, cpus } from 'node:os';
import { benchStartup } from './startup.js';
import { formatBenchTable } from './table.js';

process.stdout.write(`mssi benchmarks (node ${process.version}, ${process.arch}; ${cpus()[0]?.model ?? 'cpu'} x ${availableParallelism()})\n\n`);
process.stdout.write(`${formatBenchTable('mssi start-up (whole processes)', benchStartup())}\n`);
