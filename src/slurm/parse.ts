// Parsers of the machine-readable output the driver asks Slurm for: `sbatch
// --parsable`, `squeue --noheader --format` with a delimiter, `scontrol show
// config` (Key = Value lines) and `scontrol show job -o` (one line of Key=Value
// per job). Never Slurm's human-readable text.

import { SlurmOutputError } from './errors.js';

export interface SubmittedJob {
  readonly jobId: number;
  /** Set on a multi-cluster site ("id;cluster"). */
  readonly cluster: string | null;
}

const JOB_ID = /^[1-9]\d*$/;

function jobIdOf(text: string, command: string, expected: string, whole: string): number {
  const id = Number(text);
  if (!JOB_ID.test(text) || !Number.isSafeInteger(id)) throw new SlurmOutputError(command, expected, whole);
  return id;
}

/** `sbatch --parsable` prints "jobid" or "jobid;cluster" (and may print warnings on stderr, not here). */
export function parseSbatchParsable(stdout: string): SubmittedJob {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const expected = 'one line "jobid" or "jobid;cluster" from sbatch --parsable';
  if (lines.length !== 1) throw new SlurmOutputError('sbatch --parsable', expected, stdout);
  const [id, cluster, ...rest] = lines[0]!.split(';');
  if (rest.length > 0) throw new SlurmOutputError('sbatch --parsable', expected, stdout);
  return { jobId: jobIdOf(id!, 'sbatch --parsable', expected, stdout), cluster: cluster ?? null };
}

/** The fields asked of squeue, in this order, '|'-separated (no field of these can contain '|'). */
export const SQUEUE_FORMAT = '%F|%K|%T|%r';

export interface QueuedJob {
  /** The array's job id, or the job's own id when it is not an array task. */
  readonly arrayJobId: number;
  /** The task's index in its array; null for a job that is not an array task. */
  readonly taskId: number | null;
  /** PENDING, RUNNING, COMPLETING, ... */
  readonly state: string;
  /** Why it waits (Dependency, JobHeldUser, Resources, None ...). */
  readonly reason: string;
}

/** `squeue --array --noheader --format=SQUEUE_FORMAT`: one job or array task per line. */
export function parseSqueue(stdout: string): QueuedJob[] {
  const expected = `lines "arrayjobid|taskid|state|reason" (squeue --array --noheader --format=${SQUEUE_FORMAT})`;
  const jobs: QueuedJob[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.trim().split('|');
    if (fields.length !== 4) throw new SlurmOutputError('squeue', expected, line);
    const [array, task, state, reason] = fields as [string, string, string, string];
    const arrayJobId = jobIdOf(array, 'squeue', expected, line);
    let taskId: number | null = null;
    if (task !== 'N/A') {
      // --array lists each task on its own line; a range here would be a meta record.
      if (!/^\d+$/.test(task)) throw new SlurmOutputError('squeue', `${expected}, one task index per line`, line);
      taskId = Number(task);
    }
    if (!/^[A-Z_]+$/.test(state)) throw new SlurmOutputError('squeue', expected, line);
    jobs.push({ arrayJobId, taskId, state, reason });
  }
  return jobs;
}

/** `scontrol show config`: the "Key = Value" lines (keys as Slurm spells them); other lines are ignored. */
export function parseConfig(stdout: string): Map<string, string> {
  const config = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z][\w/.:-]*)\s+=\s?(.*)$/.exec(line);
    if (m) config.set(m[1]!, m[2]!.trim());
  }
  return config;
}

/** MaxArraySize from `scontrol show config` (the largest array index is one less). */
export function maxArraySizeOf(config: ReadonlyMap<string, string>): number {
  const text = config.get('MaxArraySize');
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new SlurmOutputError('scontrol show config', 'a line "MaxArraySize = <number>"', text === undefined ? '(no such line)' : `MaxArraySize = ${text}`);
  }
  return n;
}

/**
 * `scontrol show job -o`: one line per job, "Key=Value" pairs separated by spaces.
 * A value may itself hold spaces (a path, a comment), so a pair ends where the next
 * " Key=" starts; the fields read here (ids, state, exit code) never hold spaces.
 */
export function parseJobRecords(stdout: string): Map<string, string>[] {
  const records: Map<string, string>[] = [];
  const key = /(?:^|\s)([A-Za-z][\w:/]*)=/g;
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const starts: { name: string; at: number; valueAt: number }[] = [];
    for (const m of line.matchAll(key)) starts.push({ name: m[1]!, at: m.index!, valueAt: m.index! + m[0].length });
    if (starts.length === 0 || starts[0]!.name !== 'JobId') {
      throw new SlurmOutputError('scontrol show job -o', 'lines of Key=Value pairs starting with JobId=', line);
    }
    const record = new Map<string, string>();
    starts.forEach((s, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]!.at : line.length;
      if (!record.has(s.name)) record.set(s.name, line.slice(s.valueAt, end).trim());
    });
    records.push(record);
  }
  return records;
}

/** Indices of an array spec as Slurm writes it: "3", "0-5", "0,2-3%2", "[0-7%4]". */
export function parseIndexSpec(spec: string): number[] {
  const body = spec.replace(/^\[/, '').replace(/\]$/, '').replace(/%\d+$/, '');
  const out: number[] = [];
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part);
    if (!m) throw new SlurmOutputError('scontrol show job -o', 'an array index spec such as "0,2-5%2"', spec);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (to < from || step < 1) throw new SlurmOutputError('scontrol show job -o', 'an array index spec such as "0,2-5%2"', spec);
    for (let i = from; i <= to; i += step) out.push(i);
  }
  return out;
}

export interface FinishedJob {
  readonly jobId: number;
  readonly arrayJobId: number | null;
  /** Indices this record stands for (one, or several for a meta record of tasks not started). */
  readonly taskIds: readonly number[];
  readonly state: string;
  /** The batch script's exit status ("4" of ExitCode=4:0), and the signal that ended it (0 when none). */
  readonly exitStatus: number | null;
  readonly exitSignal: number | null;
}

/** The fields of a `scontrol show job -o` record that the driver uses. */
export function jobOfRecord(record: ReadonlyMap<string, string>): FinishedJob {
  const text = [...record].map(([k, v]) => `${k}=${v}`).join(' ');
  const id = (name: string): number => {
    const v = record.get(name) ?? '';
    if (!JOB_ID.test(v)) throw new SlurmOutputError('scontrol show job -o', `${name}=<job id>`, text);
    return Number(v);
  };
  const state = record.get('JobState') ?? '';
  if (!/^[A-Z_]+$/.test(state)) throw new SlurmOutputError('scontrol show job -o', 'JobState=<STATE>', text);
  const exit = /^(\d+):(\d+)$/.exec(record.get('ExitCode') ?? '');
  const hasArray = record.has('ArrayJobId');
  return {
    jobId: id('JobId'),
    arrayJobId: hasArray ? id('ArrayJobId') : null,
    taskIds: hasArray && record.has('ArrayTaskId') ? parseIndexSpec(record.get('ArrayTaskId')!) : [],
    state,
    exitStatus: exit ? Number(exit[1]) : null,
    exitSignal: exit ? Number(exit[2]) : null,
  };
}
