// What `mssi submit --slurm` prints once it has submitted (or, on --dry-run, would
// submit): the job ids, and the commands to follow the run, fetch the report and resume.

import { shellWord, commandLine } from './shell.js';
import { mergeLogPath } from './scripts.js';
import type { SubmitOutcome } from './submit.js';
import { arraySpec } from './arrays.js';

export function formatSubmitOutcome(o: SubmitOutcome): string {
  const run = shellWord(o.runDir);
  const lines: string[] = [];
  const count = o.arrays.reduce((n, a) => n + a.shards.length, 0);
  const what = o.resume ? `${count} of the ${o.planShards} shards` : `${o.planShards} shard${o.planShards === 1 ? '' : 's'}`;
  lines.push(`plan: ${o.layout.plan}; scripts: ${o.runDir}/array.sbatch, ${o.runDir}/merge.sbatch`);
  if (o.dryRun) {
    lines.push(`dry run: nothing submitted; these commands would submit ${what}:`);
    for (const c of o.commands) lines.push(`  ${commandLine(c[0]!, c.slice(1))}`);
    return `${lines.join('\n')}\n`;
  }
  const arrays = o.arrays.map((a) => {
    const shards = `shard${a.shards.length === 1 ? '' : 's'} ${arraySpec(a.shards)}`;
    return a.offset === 0 ? `${a.jobId} (${shards})` : `${a.jobId} (${shards}: task i runs shard ${a.offset}+i)`;
  });
  lines.push(`submitted ${what}: array job${arrays.length === 1 ? '' : 's'} ${arrays.join(', ')}`);
  lines.push(`merge job ${o.mergeJobId} runs after ${arrays.length === 1 ? 'it' : 'them'} (afterany), even if a task fails`);
  const ids = [...o.arrays.map((a) => a.jobId), o.mergeJobId].join(',');
  lines.push(`follow:  mssi status ${run}`);
  lines.push(`         squeue -j ${ids}`);
  lines.push(`logs:    ${o.layout.logs}/ (shard-ARRAYJOB_TASK.out, merge-JOB.out)`);
  lines.push(`report:  ${o.layout.report} once job ${o.mergeJobId} has ended; its text in ${mergeLogPath(o.layout.logs, o.mergeJobId!)}`);
  lines.push(`         mssi merge ${run}   (at any time; names the shards still missing)`);
  lines.push(`resume:  mssi submit --slurm --resume ${run}   (once the jobs have ended: reruns the shards without a good result)`);
  return `${lines.join('\n')}\n`;
}
