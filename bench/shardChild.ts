// Runs one mssi command in this process (`node dist/bench/shardChild.js plan ...`) and
// tells its parent, over IPC, how long the command took and this process's peak RSS:
// a fresh process, so the peak is the command's own. Its stdout is the parent's to drop.

import { main } from '../src/cli/main.js';

export interface ChildReport {
  readonly seconds: number;
  readonly maxRssBytes: number;
  readonly exitCode: number;
}

const t0 = performance.now();
await main(['node', 'mssi', ...process.argv.slice(2)]);
const report: ChildReport = {
  seconds: (performance.now() - t0) / 1000,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  exitCode: Number(process.exitCode ?? 0),
};
process.send!(report, () => process.exit(0));
