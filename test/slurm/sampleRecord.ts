// A slurm.json of a run cut into two arrays (MaxArraySize 6) and resumed once.
import { join } from 'node:path';
import type { SlurmRunRecord } from '../../src/slurm/runRecord.js';

export function sampleRecord(runDir: string): SlurmRunRecord {
  return {
    schema: 'mssi.slurm/1',
    runDir,
    cache: join(runDir, 'cache'),
    jobsPerTask: 2,
    maxRunning: 4,
    sbatchArgs: ['--partition=short', '--hold'],
    maxArraySize: 6,
    submissions: [
      { submittedAt: '2026-12-02T03:00:00.000Z', resume: false, mergeJobId: 12, arrays: [{ jobId: 10, offset: 0, spec: '0-5%4' }, { jobId: 11, offset: 6, spec: '0-3%4' }] },
      { submittedAt: '2026-12-02T04:00:00.000Z', resume: true, mergeJobId: 21, arrays: [{ jobId: 20, offset: 6, spec: '1,3%4' }] },
    ],
  };
}
