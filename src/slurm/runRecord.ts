// RUN_DIR/slurm.json: what the driver submitted for a run (the arrays with their
// offsets and indices, the merge jobs, the options to resubmit with). Written whole
// (temporary name, fsync, rename); only this driver reads or writes it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite } from '../cache/atomicWrite.js';
import { parseIndexSpec } from './parse.js';
import { SlurmRunRecordError } from './errors.js';

export const SLURM_RECORD_FILE = 'slurm.json';
export const SLURM_RECORD_SCHEMA = 'mssi.slurm/1';

export interface SubmittedArray {
  readonly jobId: number;
  /** Shard = offset + task index. */
  readonly offset: number;
  /** The --array value as submitted ("0-5%2", "3,7"). */
  readonly spec: string;
}

export interface Submission {
  readonly submittedAt: string;
  readonly resume: boolean;
  readonly arrays: readonly SubmittedArray[];
  readonly mergeJobId: number;
}

export interface SlurmRunRecord {
  readonly schema: typeof SLURM_RECORD_SCHEMA;
  readonly runDir: string;
  readonly cache: string;
  readonly jobsPerTask: number;
  readonly maxRunning: number | null;
  readonly sbatchArgs: readonly string[];
  readonly maxArraySize: number;
  /** Oldest first; a shard's latest array is in the last submission that has it. */
  readonly submissions: readonly Submission[];
}

export const slurmRecordPath = (runDir: string): string => join(runDir, SLURM_RECORD_FILE);

/** The shards an array of a submission runs. */
export const shardsOfArray = (a: SubmittedArray): number[] => parseIndexSpec(a.spec).map((i) => i + a.offset);

/** Every job id of the run: arrays and merge jobs of all submissions. */
export const jobIdsOf = (record: SlurmRunRecord): number[] =>
  record.submissions.flatMap((s) => [...s.arrays.map((a) => a.jobId), s.mergeJobId]);

export function writeSlurmRecord(runDir: string, record: SlurmRunRecord): void {
  atomicWrite(slurmRecordPath(runDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** The record, checked field by field; null when the run has none (it was not submitted to Slurm). */
export function readSlurmRecord(runDir: string): SlurmRunRecord | null {
  const path = slurmRecordPath(runDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SlurmRunRecordError(path, `cannot read it: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SlurmRunRecordError(path, `not JSON: ${(err as Error).message}`);
  }
  return checkRecord(path, data);
}

type Json = Record<string, unknown>;

function checkRecord(path: string, data: unknown): SlurmRunRecord {
  const bad = (field: string, want: string): never => {
    throw new SlurmRunRecordError(path, `field ${field}: expected ${want}`);
  };
  const obj = (v: unknown, field: string): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : bad(field, 'an object'));
  const int = (v: unknown, field: string, min: number): number => (Number.isSafeInteger(v) && (v as number) >= min ? (v as number) : bad(field, `an integer >= ${min}`));
  const str = (v: unknown, field: string): string => (typeof v === 'string' ? v : bad(field, 'a string'));
  const arr = (v: unknown, field: string): unknown[] => (Array.isArray(v) ? v : bad(field, 'an array'));

  const r = obj(data, '(top level)');
  if (r.schema !== SLURM_RECORD_SCHEMA) bad('schema', `"${SLURM_RECORD_SCHEMA}"`);
  const submissions = arr(r.submissions, 'submissions').map((s, i): Submission => {
    const f = `submissions[${i}]`;
    const o = obj(s, f);
    if (typeof o.resume !== 'boolean') bad(`${f}.resume`, 'true or false');
    return {
      submittedAt: str(o.submittedAt, `${f}.submittedAt`),
      resume: o.resume as boolean,
      mergeJobId: int(o.mergeJobId, `${f}.mergeJobId`, 1),
      arrays: arr(o.arrays, `${f}.arrays`).map((a, j): SubmittedArray => {
        const g = `${f}.arrays[${j}]`;
        const x = obj(a, g);
        const spec = str(x.spec, `${g}.spec`);
        try {
          parseIndexSpec(spec);
        } catch {
          bad(`${g}.spec`, 'an --array value such as "0-9%4"');
        }
        return { jobId: int(x.jobId, `${g}.jobId`, 1), offset: int(x.offset, `${g}.offset`, 0), spec };
      }),
    };
  });
  return {
    schema: SLURM_RECORD_SCHEMA,
    runDir: str(r.runDir, 'runDir'),
    cache: str(r.cache, 'cache'),
    jobsPerTask: int(r.jobsPerTask, 'jobsPerTask', 1),
    maxRunning: r.maxRunning === null ? null : int(r.maxRunning, 'maxRunning', 1),
    sbatchArgs: arr(r.sbatchArgs, 'sbatchArgs').map((a, i) => str(a, `sbatchArgs[${i}]`)),
    maxArraySize: int(r.maxArraySize, 'maxArraySize', 1),
    submissions,
  };
}
