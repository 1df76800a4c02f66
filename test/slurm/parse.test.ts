import { describe, expect, it } from 'vitest';
import { SlurmOutputError } from '../../src/slurm/errors.js';
import {
  jobOfRecord,
  maxArraySizeOf,
  parseConfig,
  parseIndexSpec,
  parseJobRecords,
  parseSbatchParsable,
  parseSqueue,
} from '../../src/slurm/parse.js';

// Output as Slurm 22.05 (Debian 12's slurm-wlm) prints it, copied from the test cluster.
const SHOW_CONFIG = `Configuration data as of 2026-12-02T03:41:02
AccountingStorageBackupHost = (null)
AccountingStorageType   = accounting_storage/none
ClusterName             = mssi-ci
MaxArraySize            = 6
MaxJobCount             = 10000
MinJobAge               = 600 sec
SLURM_VERSION           = 22.05.8

Cgroup Support Configuration:
AllowedKmemSpace        = (null)

Slurmctld(primary) at vm is UP
`;

const SHOW_JOB = [
  'JobId=9 ArrayJobId=9 ArrayTaskId=3 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) GroupId=root(0) JobState=COMPLETED Reason=None Dependency=(null) ExitCode=0:0 RunTime=00:00:01 WorkDir=/tmp/with space/x StdOut=/tmp/a-3.out Power= ',
  'JobId=12 ArrayJobId=9 ArrayTaskId=2 JobName=wrap JobState=FAILED Reason=NonZeroExitCode ExitCode=4:0 Power=',
  'JobId=13 ArrayJobId=9 ArrayTaskId=4 JobName=wrap JobState=CANCELLED Reason=None ExitCode=0:15',
  'JobId=14 ArrayJobId=9 ArrayTaskId=5-7%2 ArrayTaskThrottle=2 JobName=wrap JobState=PENDING Reason=JobHeldUser ExitCode=0:0',
  'JobId=20 JobName=mssi-merge JobState=COMPLETED Reason=None Dependency=(null) ExitCode=0:0',
].join('\n');

describe('sbatch --parsable', () => {
  it('reads the job id, with or without a cluster name', () => {
    expect(parseSbatchParsable('1234\n')).toEqual({ jobId: 1234, cluster: null });
    expect(parseSbatchParsable('1234;west\n')).toEqual({ jobId: 1234, cluster: 'west' });
  });

  it('refuses anything else, showing what it got', () => {
    expect(() => parseSbatchParsable('Submitted batch job 1234\n')).toThrow(SlurmOutputError);
    expect(() => parseSbatchParsable('')).toThrow(/sbatch --parsable: expected one line "jobid"/);
    expect(() => parseSbatchParsable('12\n13\n')).toThrow(SlurmOutputError);
    expect(() => parseSbatchParsable('0\n')).toThrow(SlurmOutputError);
  });
});

describe('squeue --array --noheader --format', () => {
  it('reads each array task and plain job', () => {
    const out = '10|N/A|PENDING|Dependency\n9|0|RUNNING|None\n9|2|PENDING|JobHeldUser\n\n';
    expect(parseSqueue(out)).toEqual([
      { arrayJobId: 10, taskId: null, state: 'PENDING', reason: 'Dependency' },
      { arrayJobId: 9, taskId: 0, state: 'RUNNING', reason: 'None' },
      { arrayJobId: 9, taskId: 2, state: 'PENDING', reason: 'JobHeldUser' },
    ]);
    expect(parseSqueue('')).toEqual([]);
  });

  it('refuses a header, a meta record of several tasks or a wrong field count', () => {
    expect(() => parseSqueue('ARRAY_JOB_ID|ARRAY_TASK_ID|STATE|REASON\n')).toThrow(SlurmOutputError);
    expect(() => parseSqueue('9|0-3%2|PENDING|JobHeldUser\n')).toThrow(/one task index per line/);
    expect(() => parseSqueue('9|0|RUNNING\n')).toThrow(SlurmOutputError);
  });
});

describe('scontrol show config', () => {
  it('reads Key = Value lines and MaxArraySize', () => {
    const config = parseConfig(SHOW_CONFIG);
    expect(config.get('ClusterName')).toBe('mssi-ci');
    expect(config.get('MinJobAge')).toBe('600 sec');
    expect(maxArraySizeOf(config)).toBe(6);
  });

  it('says so when MaxArraySize is absent or not a number', () => {
    expect(() => maxArraySizeOf(parseConfig('ClusterName = x\n'))).toThrow(/MaxArraySize = <number>.*no such line/);
    expect(() => maxArraySizeOf(parseConfig('MaxArraySize = lots\n'))).toThrow(SlurmOutputError);
  });
});

describe('scontrol show job -o', () => {
  it('reads one record per line; a value may hold spaces', () => {
    const records = parseJobRecords(SHOW_JOB);
    expect(records).toHaveLength(5);
    expect(records[0]!.get('WorkDir')).toBe('/tmp/with space/x');
    expect(records[0]!.get('Power')).toBe('');
    expect(records[0]!.get('UserId')).toBe('root(0)');
  });

  it('gives state, exit status and signal of each task; a meta record stands for its tasks', () => {
    const jobs = parseJobRecords(SHOW_JOB).map(jobOfRecord);
    expect(jobs.map((j) => [j.jobId, j.arrayJobId, j.taskIds, j.state, j.exitStatus, j.exitSignal])).toEqual([
      [9, 9, [3], 'COMPLETED', 0, 0],
      [12, 9, [2], 'FAILED', 4, 0],
      [13, 9, [4], 'CANCELLED', 0, 15],
      [14, 9, [5, 6, 7], 'PENDING', 0, 0],
      [20, null, [], 'COMPLETED', 0, 0],
    ]);
  });

  it('refuses human text', () => {
    expect(() => parseJobRecords('slurm_load_jobs error: Invalid job id specified')).toThrow(SlurmOutputError);
  });
});

describe('array index specs', () => {
  it('expands what Slurm writes', () => {
    expect(parseIndexSpec('3')).toEqual([3]);
    expect(parseIndexSpec('0,2-3%2')).toEqual([0, 2, 3]);
    expect(parseIndexSpec('[0-7:3]')).toEqual([0, 3, 6]);
    expect(() => parseIndexSpec('3-1')).toThrow(SlurmOutputError);
    expect(() => parseIndexSpec('a')).toThrow(SlurmOutputError);
  });
});
