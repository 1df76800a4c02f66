import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlurmRunRecordError } from '../../src/slurm/errors.js';
import { jobIdsOf, readSlurmRecord, shardsOfArray, writeSlurmRecord } from '../../src/slurm/runRecord.js';
import { sampleRecord } from './sampleRecord.js';

describe('RUN_DIR/slurm.json', () => {
  it('reads back what was written, whole, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-record-'));
    writeSlurmRecord(dir, sampleRecord(dir));
    expect(readSlurmRecord(dir)).toEqual(sampleRecord(dir));
    expect(readdirSync(dir)).toEqual(['slurm.json']);
  });

  it('gives the shards of each array and every job id of the run', () => {
    const r = sampleRecord('/r');
    expect(r.submissions.flatMap((s) => s.arrays.map(shardsOfArray))).toEqual([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9], [7, 9]]);
    expect(jobIdsOf(r)).toEqual([10, 11, 12, 20, 21]);
  });

  it('is null for a run not submitted to Slurm', () => {
    expect(readSlurmRecord(mkdtempSync(join(tmpdir(), 'mssi-record-')))).toBeNull();
  });

  it('names the field that is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-record-'));
    const write = (x: unknown) => writeFileSync(join(dir, 'slurm.json'), JSON.stringify(x));
    write({ ...sampleRecord(dir), schema: 'other' });
    expect(() => readSlurmRecord(dir)).toThrow(/slurm\.json: field schema: expected "mssi\.slurm\/1"/);
    const r = sampleRecord(dir);
    write({ ...r, submissions: [{ ...r.submissions[0], arrays: [{ jobId: 10, offset: 0, spec: 'all' }] }] });
    expect(() => readSlurmRecord(dir)).toThrow(/field submissions\[0\]\.arrays\[0\]\.spec: expected an --array value/);
    write({ ...r, submissions: [{ ...r.submissions[0], mergeJobId: '12' }] });
    expect(() => readSlurmRecord(dir)).toThrow(SlurmRunRecordError);
    writeFileSync(join(dir, 'slurm.json'), '{"schema":');
    expect(() => readSlurmRecord(dir)).toThrow(/not JSON/);
  });
});
