// The seeded corruption corpus (issue 15): damaged copies of small simulated
// files (zlib, lz4, zstd, none; split and flat) and of two fixtures, run through
// the built CLI in batches as a batch job meets them, next to good files. Every
// case must either fail alone with a message naming its file and record, or
// give the counts of the good file (the damage was in bytes the selection does
// not read) or those of jsroot's own reading of the same bytes; never another
// number, a lost report, a hang, or a cache entry for a failed file.
//
//   npx vitest run test/corruption            (after npm run build)
//   MSSI_CORPUS=5000 npx vitest run test/corruption     a longer run
// Knobs: MSSI_CORPUS (cases, default 1000), MSSI_CORPUS_SEED (default 1),
// MSSI_CORPUS_ONLY=3,17,960-999 (replay cases; a range of one batch replays that run),
// MSSI_CORPUS_BATCH (files per run, 40), MSSI_CORPUS_KEEP=1 (keep every damaged file),
// MSSI_CORPUS_BIG (cases on a file over the 16 MB split threshold, 12; 0: none),
// MSSI_CORPUS_TIMEOUT_S (per run, 60), MSSI_CORPUS_OUT (folder for the report).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SMALL_FILE_BYTES } from '../../src/run/splitPolicy.js';
import { countsWithJsroot } from '../analysis/jsrootCounts.js';
import { mssiTimed, ROOT_DIR, type TimedRun } from './cli.js';
import { BIG_INPUT, INPUTS, makeInput, type MadeInput, type SimulateFallback } from './inputs.js';
import { CATEGORIES, describeMutation, makeBigMutation, makeMutation, type Input, type MutatedFile, type Mutation } from './mutations.js';
import { judgeMessage, messageShape, sameCounts, showCounts, type CountsAndWeight, type Report } from './oracle.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const CASES = env('MSSI_CORPUS', 1000);
const SEED = env('MSSI_CORPUS_SEED', 1);
const BATCH = env('MSSI_CORPUS_BATCH', 40);
const BIG_CASES = env('MSSI_CORPUS_BIG', 12);
const TIMEOUT_MS = env('MSSI_CORPUS_TIMEOUT_S', 60) * 1000;
/** `3,17,960-999`: replay these cases (a whole batch, as a range, replays it with its good files). */
const ONLY = (process.env['MSSI_CORPUS_ONLY'] ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .flatMap((s) => {
    const [a, b] = s.split('-').map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const BIG_INDEX = 1_000_000; // big-file cases are numbered from here
const MAX_ISOLATIONS = 8;

type Outcome =
  | 'failed'
  | 'failed, bad message'
  | 'counts of the good file'
  | 'counts of jsroot'
  | 'WRONG NUMBER'
  | 'READ A CORRUPT BLOCK'
  | 'missing from report'
  | 'LOST REPORT'
  | 'HANG';
const OUTCOMES: readonly Outcome[] = [
  'failed',
  'failed, bad message',
  'counts of the good file',
  'counts of jsroot',
  'WRONG NUMBER',
  'READ A CORRUPT BLOCK',
  'missing from report',
  'LOST REPORT',
  'HANG',
];

interface CaseResult {
  readonly mutation: Mutation;
  readonly path: string;
  outcome: Outcome;
  message?: string;
  problems: string[];
  counts?: CountsAndWeight;
  jsroot?: CountsAndWeight | string;
  /** Set when the case was rerun alone (after a lost report or hang, or for a wrong number). */
  alone?: string;
}

interface RunViolation {
  readonly run: string;
  readonly what: string;
}

const state = {
  dir: '',
  inputs: [] as MadeInput[],
  big: null as MadeInput | null,
  fallbacks: [] as SimulateFallback[],
  good: new Map<string, CountsAndWeight>(),
  baseline: [] as string[],
  cases: [] as CaseResult[],
  lostReports: [] as RunViolation[],
  hangs: [] as RunViolation[],
  exitStatus: [] as RunViolation[],
  goodFiles: [] as RunViolation[],
  cache: [] as RunViolation[],
  runs: 0,
  /** Batches whose files were rerun one by one to find the one that hung or lost the report. */
  isolations: 0,
  seconds: { inputs: 0, corpus: 0, big: 0, jsroot: 0 },
  reportPath: '',
};

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  // jsroot writes its diagnostics to the console: keep them out of the test log
  const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
  console.log = console.error = console.warn = console.info = () => undefined;
  try {
    return await f();
  } finally {
    Object.assign(console, saved);
  }
}

async function jsrootCounts(path: string): Promise<CountsAndWeight | string> {
  const t0 = Date.now();
  try {
    return await quietly(() =>
      Promise.race([
        countsWithJsroot(path),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('jsroot took over 30 s')), 30_000)),
      ]),
    );
  } catch (e) {
    return `jsroot cannot read it: ${(e as Error).message}`;
  } finally {
    state.seconds.jsroot += (Date.now() - t0) / 1000;
  }
}

function parseReport(r: TimedRun): Report | null {
  try {
    const rep = JSON.parse(r.stdout) as Report;
    return rep && Array.isArray(rep.files) && Array.isArray(rep.failures) ? rep : null;
  } catch {
    return null;
  }
}

const runArgs = (files: readonly string[], cache: string, extra: readonly string[] = []): string[] => [
  'run',
  ...files,
  '--rates',
  RATES,
  '--json',
  '--cache',
  cache,
  '-j',
  '2',
  '-q',
  ...extra,
];

const tail = (s: string, n = 300): string => (s.length > n ? `…${s.slice(-n)}` : s).replace(/\s+/g, ' ');
const head = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\s+/g, ' ');
/** What was on stdout instead of the report: its start shows what got in front of the JSON. */
const stdoutOf = (r: TimedRun): string => (r.stdout === '' ? 'empty stdout' : `stdout starts '${head(r.stdout)}' (${r.stdout.length} chars)`);

/** Judges one damaged file from a report that holds it. */
async function judgeCase(c: CaseResult, rep: Report, original: CountsAndWeight): Promise<void> {
  const rows = rep.files.filter((f) => f.path === c.path);
  const fails = rep.failures.filter((f) => f.path === c.path);
  if (rows.length + fails.length !== 1) {
    c.outcome = 'missing from report';
    c.problems.push(`${rows.length} row(s) and ${fails.length} failure(s) for the file`);
    return;
  }
  if (fails.length === 1) {
    const msg = fails[0]!.error;
    c.message = msg;
    const v = judgeMessage(msg, c.path, c.mutation.category === 'truncate');
    c.outcome = v.ok ? 'failed' : 'failed, bad message';
    c.problems.push(...v.problems);
    return;
  }
  const row = rows[0]!;
  c.counts = { counts: row.counts, eventWeight: row.eventWeight };
  const m = c.mutation;
  if (m.corruptBlock !== null && m.readBySelection) {
    // ROOT's decoders refuse these bytes: jsroot (no checksums) is no reference here
    const same = sameCounts(c.counts, original);
    c.outcome = same ? 'READ A CORRUPT BLOCK' : 'WRONG NUMBER';
    c.problems.push(`read a block that fails its check (${m.corruptBlock})${same ? ', counts unchanged' : `: mssi ${showCounts(c.counts)}, good file ${showCounts(original)}`}`);
    return;
  }
  if (sameCounts(c.counts, original)) {
    c.outcome = 'counts of the good file';
    return;
  }
  c.jsroot = await jsrootCounts(c.path);
  if (typeof c.jsroot !== 'string' && sameCounts(c.counts, c.jsroot)) {
    c.outcome = 'counts of jsroot';
    return;
  }
  c.outcome = 'WRONG NUMBER';
  c.problems.push(
    `mssi ${showCounts(c.counts)}, good file ${showCounts(original)}, ${typeof c.jsroot === 'string' ? c.jsroot : `jsroot on the same bytes ${showCounts(c.jsroot)}`}`,
  );
}

interface Planned {
  readonly file: MutatedFile;
  readonly path: string;
  readonly hash: string;
  readonly original: CountsAndWeight;
}

/** One `mssi run` of damaged files beside good ones; judges every case and the run itself. */
async function runBatch(label: string, dir: string, planned: readonly Planned[], goods: readonly MadeInput[], extra: readonly string[] = []): Promise<CaseResult[]> {
  mkdirSync(dir, { recursive: true });
  const goodPaths: string[] = [];
  for (const g of goods) {
    const d = join(dir, `good-${g.id}`);
    mkdirSync(d, { recursive: true });
    const p = join(d, basename(g.path));
    copyFileSync(g.path, p);
    goodPaths.push(p);
  }
  for (const p of planned) writeFileSync(p.path, p.file.data);
  const cache = join(dir, 'cache');
  const files = [...planned.map((p) => p.path), ...goodPaths];
  const r = await mssiTimed(runArgs(files, cache, extra), TIMEOUT_MS);
  state.runs++;
  const results: CaseResult[] = planned.map((p) => ({ mutation: p.file.mutation, path: p.path, outcome: 'failed', problems: [] }));
  const rep = r.timedOut ? null : parseReport(r);
  if (r.timedOut || !rep) {
    const what = r.timedOut
      ? `killed after ${TIMEOUT_MS / 1000} s (${files.length} files)`
      : `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, not the JSON report: ${stdoutOf(r)}; stderr: ${tail(r.stderr)}`;
    (r.timedOut ? state.hangs : state.lostReports).push({ run: label, what });
    if (state.isolations++ >= MAX_ISOLATIONS) {
      for (const c of results) {
        c.outcome = r.timedOut ? 'HANG' : 'LOST REPORT';
        c.alone = `its batch ${r.timedOut ? 'hung' : 'lost the report'}; not rerun alone (over ${MAX_ISOLATIONS} such batches)`;
      }
      return results;
    }
    // Find which files did it: each damaged file again, alone beside one good file.
    for (let i = 0; i < planned.length; i++) {
      const p = planned[i]!;
      const c = results[i]!;
      const alone = await mssiTimed(runArgs([p.path, goodPaths[0]!], join(dir, `cache-alone-${i}`)), Math.min(TIMEOUT_MS, 30_000));
      state.runs++;
      const arep = alone.timedOut ? null : parseReport(alone);
      if (alone.timedOut) {
        c.outcome = 'HANG';
        c.alone = `alone: killed after ${Math.min(TIMEOUT_MS, 30_000) / 1000} s`;
        state.hangs.push({ run: `${label}, ${describeMutation(p.file.mutation)}`, what: 'alone beside one good file: hangs' });
      } else if (!arep) {
        c.outcome = 'LOST REPORT';
        c.alone = `alone: exit ${alone.code}, ${stdoutOf(alone)}; stderr ${tail(alone.stderr)}`;
        state.lostReports.push({ run: `${label}, ${describeMutation(p.file.mutation)}`, what: `alone beside one good file: ${c.alone}` });
      } else {
        await judgeCase(c, arep, p.original);
        c.alone = 'judged from a run of the file alone (its batch lost the report or hung)';
      }
    }
    return results;
  }
  // The run itself: exit status, the good files, the cache.
  const want = rep.failures.length > 0 ? 1 : 0;
  if (r.code !== want) state.exitStatus.push({ run: label, what: `exit ${r.code}${r.signal ? ` (${r.signal})` : ''} with ${rep.failures.length} failure(s); expected ${want}` });
  goods.forEach((g, i) => {
    const p = goodPaths[i]!;
    const row = rep.files.find((f) => f.path === p);
    const fail = rep.failures.find((f) => f.path === p);
    const want = state.good.get(g.id)!;
    if (fail) state.goodFiles.push({ run: label, what: `good file ${g.id} failed: ${fail.error}` });
    else if (!row) state.goodFiles.push({ run: label, what: `good file ${g.id} is not in the report` });
    else if (!sameCounts({ counts: row.counts, eventWeight: row.eventWeight }, want))
      state.goodFiles.push({ run: label, what: `good file ${g.id}: ${showCounts(row)} instead of ${showCounts(want)}` });
  });
  for (let i = 0; i < planned.length; i++) await judgeCase(results[i]!, rep, planned[i]!.original);
  await checkCache(label, cache, rep, planned, results);
  // A wrong number: does the file give it alone too (or only after another file in the same worker)?
  for (let i = 0; i < planned.length; i++) {
    const c = results[i]!;
    if (c.outcome !== 'WRONG NUMBER') continue;
    const alone = await mssiTimed(runArgs([c.path], join(dir, `cache-wrong-${i}`)), Math.min(TIMEOUT_MS, 30_000));
    state.runs++;
    const arep = parseReport(alone);
    const row = arep?.files.find((f) => f.path === c.path);
    const fail = arep?.failures.find((f) => f.path === c.path);
    c.alone = row ? `alone: ${showCounts(row)}` : fail ? `alone: fails: ${fail.error}` : `alone: exit ${alone.code}, no report`;
  }
  return results;
}

async function checkCache(label: string, cache: string, rep: Report, planned: readonly Planned[], results: readonly CaseResult[]): Promise<void> {
  const ls = await mssiTimed(['cache', 'ls', '--json', '--cache', cache], 30_000);
  state.runs++;
  let entries: { contentHash: string; computedFrom: string; counts: CountsAndWeight['counts']; eventWeight: number | null }[];
  try {
    entries = (JSON.parse(ls.stdout) as { entries: typeof entries }).entries;
  } catch {
    state.cache.push({ run: label, what: `cache ls --json gave no JSON (exit ${ls.code}): ${tail(ls.stdout)} ${tail(ls.stderr)}` });
    return;
  }
  const byPath = new Map(planned.map((p) => [p.path, p]));
  const failedHashes = new Map<string, string>();
  for (const f of rep.failures) {
    const p = byPath.get(f.path);
    if (p) failedHashes.set(p.hash, f.path);
  }
  for (const row of rep.files) {
    const p = byPath.get(row.path);
    if (p && row.contentHash !== p.hash) state.cache.push({ run: label, what: `${describeMutation(p.file.mutation)}: contentHash ${row.contentHash} is not the sha256 of the file (${p.hash})` });
  }
  for (const e of entries) {
    const failed = failedHashes.get(e.contentHash);
    if (failed) {
      const p = byPath.get(failed)!;
      state.cache.push({ run: label, what: `cache entry for a failed file: ${describeMutation(p.file.mutation)} (entry computed from ${e.computedFrom})` });
      continue;
    }
    const wrong = results.find((c, i) => c.outcome === 'WRONG NUMBER' && planned[i]!.hash === e.contentHash);
    if (wrong) state.cache.push({ run: label, what: `cached a wrong number: ${describeMutation(wrong.mutation)}: ${showCounts(e)}` });
    const rows = rep.files.filter((f) => f.contentHash === e.contentHash);
    if (rows.length === 0) {
      state.cache.push({ run: label, what: `cache entry ${e.contentHash} (from ${e.computedFrom}) matches no file of the report` });
      continue;
    }
    for (const row of rows) {
      if (!sameCounts({ counts: e.counts, eventWeight: e.eventWeight }, row)) {
        state.cache.push({ run: label, what: `cache entry for ${row.path}: ${showCounts(e)}, the run reported ${showCounts(row)}` });
      }
    }
  }
}

function caseFileName(m: Mutation): string {
  return `c${String(m.index).padStart(7, '0')}-${m.input}-${m.target}.root`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function table(rows: Map<string, Map<Outcome, number>>, title: string): string {
  const cols = OUTCOMES.filter((o) => [...rows.values()].some((r) => (r.get(o) ?? 0) > 0));
  const w0 = Math.max(title.length, ...[...rows.keys()].map((k) => k.length));
  const head = `${title.padEnd(w0)} | ${cols.join(' | ')} | total`;
  const lines = [head, '-'.repeat(head.length)];
  for (const [k, r] of rows) {
    const total = [...r.values()].reduce((a, b) => a + b, 0);
    lines.push(`${k.padEnd(w0)} | ${cols.map((c) => String(r.get(c) ?? '').padStart(c.length)).join(' | ')} | ${total}`);
  }
  return lines.join('\n');
}

function tally(key: (c: CaseResult) => string): Map<string, Map<Outcome, number>> {
  const out = new Map<string, Map<Outcome, number>>();
  for (const c of state.cases) {
    const k = key(c);
    let r = out.get(k);
    if (!r) out.set(k, (r = new Map()));
    r.set(c.outcome, (r.get(c.outcome) ?? 0) + 1);
  }
  return new Map([...out.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

function badShapes(): { shape: string; count: number; problems: string[]; example: string; from: string }[] {
  const shapes = new Map<string, { shape: string; count: number; problems: string[]; example: string; from: string }>();
  for (const c of state.cases) {
    if (c.outcome !== 'failed, bad message' || !c.message) continue;
    const shape = messageShape(c.message, c.path);
    const s = shapes.get(shape);
    if (s) s.count++;
    else shapes.set(shape, { shape, count: 1, problems: c.problems, example: c.message, from: describeMutation(c.mutation) });
  }
  return [...shapes.values()].sort((a, b) => b.count - a.count);
}

function writeSummary(): string {
  const lines: string[] = [];
  lines.push(`corruption corpus: ${state.cases.length} cases (seed ${SEED}), ${state.runs} mssi runs in ${state.dir}`);
  lines.push(
    `time: inputs ${state.seconds.inputs.toFixed(1)} s, corpus ${state.seconds.corpus.toFixed(1)} s, big file ${state.seconds.big.toFixed(1)} s (jsroot references ${state.seconds.jsroot.toFixed(1)} s)`,
  );
  for (const f of state.fallbacks) lines.push(`NOTE: ${f.spec.id} made in-process: the built CLI failed (${f.cliError})`);
  lines.push('', table(tally((c) => c.mutation.category), 'category'), '');
  lines.push(table(tally((c) => `${c.mutation.input} [${c.mutation.compression}]`), 'input'), '');
  lines.push(
    `lost reports ${state.lostReports.length}, hangs ${state.hangs.length}, wrong exit status ${state.exitStatus.length}, good files hurt ${state.goodFiles.length}, cache problems ${state.cache.length}`,
  );
  const shapes = badShapes();
  lines.push('', `distinct bad message shapes: ${shapes.length}`);
  for (const s of shapes.slice(0, 60)) lines.push(`  ${String(s.count).padStart(4)}  ${s.shape.slice(0, 240)}\n        [${s.problems.join('; ')}] e.g. ${s.from}`);
  const text = lines.join('\n');
  const out = process.env['MSSI_CORPUS_OUT'] ?? state.dir;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'corpus-summary.txt'), `${text}\n`);
  writeFileSync(
    join(out, 'corpus-report.json'),
    JSON.stringify(
      {
        seed: SEED,
        cases: state.cases,
        lostReports: state.lostReports,
        hangs: state.hangs,
        exitStatus: state.exitStatus,
        goodFiles: state.goodFiles,
        cache: state.cache,
        badMessageShapes: shapes,
        fallbacks: state.fallbacks.map((f) => ({ input: f.spec.id, cliError: f.cliError })),
        baseline: state.baseline,
        seconds: state.seconds,
      },
      null,
      1,
    ),
  );
  state.reportPath = join(out, 'corpus-summary.txt');
  return text;
}

/** A list of failing cases for an assertion message, the first `n` in full. */
function listCases(cs: readonly CaseResult[], n = 25): string {
  const shown = cs.slice(0, n).map((c) => {
    const parts = [`- ${describeMutation(c.mutation)}`, `  file ${c.path}: ${c.outcome}`];
    if (c.message) parts.push(`  message: ${JSON.stringify(c.message)}`);
    if (c.problems.length) parts.push(`  problems: ${c.problems.join('; ')}`);
    if (c.alone) parts.push(`  ${c.alone}`);
    return parts.join('\n');
  });
  if (cs.length > n) shown.push(`… and ${cs.length - n} more (all in ${state.reportPath.replace(/summary\.txt$/, 'report.json')})`);
  return `${cs.length} case(s):\n${shown.join('\n')}`;
}

const listRuns = (vs: readonly RunViolation[]): string => `${vs.length}:\n${vs.slice(0, 25).map((v) => `- ${v.run}: ${v.what}`).join('\n')}`;

function keepViolations(): void {
  const keep = join(state.dir, 'violations');
  for (const c of state.cases) {
    if (!['failed', 'counts of the good file', 'counts of jsroot'].includes(c.outcome) && existsSync(c.path) && !existsSync(join(keep, basename(c.path)))) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(c.path, join(keep, basename(c.path)));
    }
  }
}

describe('seeded corruption corpus through the built CLI', () => {
  beforeAll(async () => {
    if (!existsSync(join(ROOT_DIR, 'dist', 'bundle', 'main.js'))) throw new Error('run `npm run build` first: the corpus runs the built CLI');
    state.dir = mkdtempSync(join(tmpdir(), 'mssi-corpus-'));
    let t0 = Date.now();
    for (const spec of INPUTS) state.inputs.push(await makeInput(spec, join(state.dir, 'inputs'), state.fallbacks));
    const bigIndices = ONLY.length > 0 ? ONLY.filter((i) => i >= BIG_INDEX) : Array.from({ length: BIG_CASES }, (_, i) => BIG_INDEX + i);
    if (bigIndices.length > 0) state.big = await makeInput(BIG_INPUT, join(state.dir, 'inputs'), state.fallbacks);
    // The good files' counts: jsroot's reading, which mssi must match on them.
    const all = [...state.inputs, ...(state.big ? [state.big] : [])];
    for (const i of all) {
      const ref = await jsrootCounts(i.path);
      if (typeof ref === 'string') throw new Error(`${i.id}: ${ref}`);
      state.good.set(i.id, ref);
    }
    const base = await mssiTimed(runArgs(all.map((i) => i.path), join(state.dir, 'cache-baseline'), ['--no-cache']), 120_000);
    const baseRep = parseReport(base);
    for (const i of all) {
      const row = baseRep?.files.find((f) => f.path === i.path);
      if (!row) state.baseline.push(`${i.id}: not read (${baseRep?.failures.find((f) => f.path === i.path)?.error ?? `exit ${base.code}: ${tail(base.stderr)}`})`);
      else if (!sameCounts(row, state.good.get(i.id)!)) state.baseline.push(`${i.id}: mssi ${showCounts(row)}, jsroot ${showCounts(state.good.get(i.id)!)}`);
    }
    state.seconds.inputs = (Date.now() - t0) / 1000;

    // The corpus: case i takes input i mod n, its category by turn.
    t0 = Date.now();
    const indices = ONLY.length > 0 ? ONLY.filter((i) => i < BIG_INDEX) : Array.from({ length: CASES }, (_, i) => i);
    const inputs: Input[] = state.inputs;
    for (let at = 0; at < indices.length; at += BATCH) {
      // named and given good files by its first case, so that a replayed batch is the same run
      const b = Math.floor(indices[at]! / BATCH);
      const dir = join(state.dir, `batch-${b}`);
      mkdirSync(dir, { recursive: true });
      const planned: Planned[] = [];
      for (const index of indices.slice(at, at + BATCH)) {
        const file = await makeMutation(SEED, index, inputs);
        planned.push({ file, path: join(dir, caseFileName(file.mutation)), hash: sha256(file.data), original: state.good.get(file.mutation.input)! });
      }
      const goods = [0, 1, 2].map((k) => state.inputs[(3 * b + k) % state.inputs.length]!);
      state.cases.push(...(await runBatch(`batch ${b}`, dir, planned, goods)));
      keepViolations();
      if (!process.env['MSSI_CORPUS_KEEP']) rmSync(dir, { recursive: true, force: true });
    }
    state.seconds.corpus = (Date.now() - t0) / 1000;

    // A file over the split threshold: the main process opens it to plan ranges.
    t0 = Date.now();
    if (state.big) {
      const small = state.inputs[0]!;
      for (const index of bigIndices) {
        const k = index - BIG_INDEX;
        const file = await makeBigMutation(SEED, index, k, state.big);
        const dir = join(state.dir, `big-${k}`);
        mkdirSync(dir, { recursive: true });
        const planned: Planned = { file, path: join(dir, caseFileName(file.mutation)), hash: sha256(file.data), original: state.good.get(state.big.id)! };
        state.cases.push(...(await runBatch(`big case ${k}`, dir, [planned], [small], ['--split-entries', '10000'])));
        keepViolations();
        if (!process.env['MSSI_CORPUS_KEEP']) rmSync(dir, { recursive: true, force: true });
      }
    }
    state.seconds.big = (Date.now() - t0) / 1000;
    console.log(writeSummary());
  }, 3_600_000);

  afterAll(() => {
    // the inputs (one of 17 MB) go; the report and the damaged files of violated cases stay
    if (state.dir && !process.env['MSSI_CORPUS_KEEP']) rmSync(join(state.dir, 'inputs'), { recursive: true, force: true });
    if (state.reportPath) console.log(`corpus report: ${state.reportPath} (and corpus-report.json beside it)`);
  });

  it('is built from small simulated files of every compression and layout, and fixtures, read alike by mssi and jsroot', () => {
    expect(state.baseline, state.baseline.join('\n')).toEqual([]);
    if (state.big) expect(state.big.bytes.length, 'the big input is over the split threshold').toBeGreaterThan(SMALL_FILE_BYTES);
    const compressions = new Set(state.inputs.map((i) => i.compression));
    expect([...compressions].sort()).toEqual(['lz4', 'none', 'zlib', 'zstd']);
  });

  it('`mssi simulate --compression zstd` makes the zstd input in the built CLI', () => {
    // TODO(issue 15): the zstd input is made in-process while the built CLI fails
    // ("zstd.ZstdInit is not a function"); this turns green when the CLI works.
    expect(state.fallbacks.map((f) => `${f.spec.id}: ${f.cliError}`)).toEqual([]);
  });

  it('has the cases it says: every category on every input, at least 1000 unless replaying', () => {
    if (ONLY.length > 0) return;
    expect(state.cases.length).toBeGreaterThanOrEqual(Math.min(CASES, 1000));
    const seen = new Set(state.cases.map((c) => `${c.mutation.input}/${c.mutation.category}`));
    for (const i of state.inputs) {
      for (const cat of CATEGORIES) {
        if (cat === 'basket.block' && i.compression === 'none') continue;
        expect(seen.has(`${i.id}/${cat}`), `${i.id}/${cat}`).toBe(true);
      }
    }
  });

  it('never gives a wrong number: counts are the good file\u2019s or jsroot\u2019s on the same bytes', () => {
    const bad = state.cases.filter((c) => c.outcome === 'WRONG NUMBER');
    expect(bad, listCases(bad)).toEqual([]);
  });

  it('refuses a compressed block that fails the checks of ROOT\u2019s decoders (zlib adler32, lz4 xxhash64, libzstd)', () => {
    const bad = state.cases.filter((c) => c.outcome === 'READ A CORRUPT BLOCK');
    expect(bad, listCases(bad)).toEqual([]);
  });

  it('never loses the report: stdout is the JSON report, every file is in it once', () => {
    expect(state.lostReports, listRuns(state.lostReports)).toEqual([]);
    const bad = state.cases.filter((c) => c.outcome === 'LOST REPORT' || c.outcome === 'missing from report');
    expect(bad, listCases(bad)).toEqual([]);
  });

  it('never hangs', () => {
    expect(state.hangs, listRuns(state.hangs)).toEqual([]);
  });

  it('exits 1 when a file failed, 0 otherwise', () => {
    expect(state.exitStatus, listRuns(state.exitStatus)).toEqual([]);
  });

  it('leaves the good files beside the damaged ones intact', () => {
    expect(state.goodFiles, listRuns(state.goodFiles)).toEqual([]);
  });

  it('caches nothing for a failed file (nor a wrong number), and every entry holds the counts the run reported', () => {
    expect(state.cache, listRuns(state.cache)).toEqual([]);
  });

  it('fails a damaged file with a message naming the file and the record, without raw internals', () => {
    const bad = state.cases.filter((c) => c.outcome === 'failed, bad message');
    const shapes = badShapes();
    const summary = shapes
      .slice(0, 30)
      .map((s) => `${String(s.count).padStart(4)}  ${s.shape.slice(0, 200)}\n      [${s.problems.join('; ')}] e.g. ${s.from}`)
      .join('\n');
    expect(bad.length, `${bad.length} bad messages in ${shapes.length} shapes:\n${summary}`).toBe(0);
  });
});
