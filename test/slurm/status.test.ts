// slurmStates against a stand-in for the Slurm commands (what they print on the test cluster).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlurmCommandError } from '../../src/slurm/errors.js';
import type { SlurmRunner } from '../../src/slurm/exec.js';
import { writeSlurmRecord } from '../../src/slurm/runRecord.js';
import { slurmStates, slurmTaskStates } from '../../src/slurm/status.js';
import { sampleRecord } from './sampleRecord.js';

function fakeSlurm(answers: { squeue: string; jobs: Record<number, string> }): { run: SlurmRunner; calls: string[] } {
  const calls: string[] = [];
  const run: SlurmRunner = async (command, args) => {
    calls.push([command, ...args].join(' '));
    if (command === 'squeue') return answers.squeue;
    if (command === 'scontrol' && args[0] === 'show' && args[1] === 'job') {
      const out = answers.jobs[Number(args[3])];
      if (out === undefined) throw new SlurmCommandError(command, args, 1, 'slurm_load_jobs error: Invalid job id specified');
      return out;
    }
    throw new Error(`unexpected ${command} ${args.join(' ')}`);
  };
  return { run, calls };
}

describe('slurmStates', () => {
  it('gives each shard the state of its latest task: queued from squeue, finished from scontrol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-status-'));
    writeSlurmRecord(dir, sampleRecord(dir));
    const { run, calls } = fakeSlurm({
      // another user's or another run's job (99) is ignored
      squeue: '20|1|RUNNING|None\n20|3|PENDING|JobArrayTaskLimit\n21|N/A|PENDING|Dependency\n99|0|RUNNING|None\n',
      jobs: {
        10: [
          'JobId=13 ArrayJobId=10 ArrayTaskId=0 JobState=COMPLETED Reason=None ExitCode=0:0',
          'JobId=14 ArrayJobId=10 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0',
          'JobId=15 ArrayJobId=10 ArrayTaskId=2 JobState=CANCELLED Reason=None ExitCode=0:15',
          'JobId=16 ArrayJobId=10 ArrayTaskId=3 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:0',
        ].join('\n'),
        // array 11 is forgotten (MinJobAge): its shards are left out, except those resubmitted
      },
    });
    const states = await slurmTaskStates(dir, run);
    expect([...states].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 'COMPLETED job 10_0'],
      [1, 'FAILED exit 1 job 10_1'],
      [2, 'CANCELLED signal 15 job 10_2'],
      [3, 'TIMEOUT job 10_3'],
      [7, 'RUNNING job 20_1'],
      [9, 'PENDING (JobArrayTaskLimit) job 20_3'],
    ]);
    expect(calls[0]).toMatch(/^squeue --array --noheader --format=%F\|%K\|%T\|%r --user=/);
    expect(calls.filter((c) => c.startsWith('scontrol'))).toEqual(['scontrol show job -o 10', 'scontrol show job -o 11']);
  });

  it('is the scheduler hook: null without slurm.json', () => {
    expect(slurmStates.scheduler).toBe('slurm');
    expect(slurmStates.states(mkdtempSync(join(tmpdir(), 'mssi-status-')))).toBeNull();
  });
});
