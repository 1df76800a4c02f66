// plan.json: written in one canonical form (fixed key order, one input or task a line,
// no timestamps), so the same plan is the same bytes and its hash names it; read back
// with every field checked.

import { atomicWrite } from '../cache/atomicWrite.js';
import { hashText } from '../cache/hash.js';
import { selectionHash } from '../cache/key.js';
import { runLayout } from './layout.js';
import { packageVersion } from '../packageRoot.js';
import { selectionLayout } from '../selection/layout.js';
import { SelectionFileError, selectionFromLayout } from '../selection/validate.js';
import type { Plan, PlanInput, PlannedTask } from './plan.js';
import { Fields, HEX64, join, readJsonFile, RunFileError } from './validate.js';

export const PLAN_SCHEMA = 'mssi.plan/1';

/** plan.json cannot be used: `field` says where and what was expected. */
export class PlanFileError extends RunFileError {
  constructor(file: string, field: string, detail: string) {
    super(file, field, detail);
    this.name = 'PlanFileError';
  }
}

/** The plan's selection hash is not this mssi's hash of the plan's selection: another mssi made it, whose results would not be this one's. */
export class PlanSelectionError extends Error {
  constructor(
    readonly file: string,
    readonly planSelection: string,
    readonly ownSelection: string,
    planVersion: string,
  ) {
    super(
      `${file}: the plan is for selection ${planSelection} (made by mssi ${planVersion}); this mssi ${packageVersion()} ` +
        `has selection ${ownSelection}. Plan again with this mssi, or use mssi ${planVersion}`,
    );
    this.name = 'PlanSelectionError';
  }
}

function canonical(plan: Plan): object {
  return {
    schema: plan.schema,
    shards: plan.shards,
    mssiVersion: plan.mssiVersion,
    selectionHash: plan.selectionHash,
    selection: selectionLayout(plan.selection),
    splitEntries: plan.splitEntries,
    rates: plan.rates && { path: plan.rates.path, absolutePath: plan.rates.absolutePath },
    livetimeDays: plan.livetimeDays,
    totalBytes: plan.totalBytes,
  };
}

const inputLine = (f: PlanInput) => JSON.stringify({ path: f.path, absolutePath: f.absolutePath, size: f.size, mtimeNs: f.mtimeNs });
const taskLine = (t: PlannedTask) =>
  JSON.stringify({ id: t.id, input: t.input, range: t.range && { start: t.range.start, stop: t.range.stop }, bytes: t.bytes, shard: t.shard });

/** The plan's text: a JSON object, its header fields a line each, then one line per input and per task. */
export function serializePlan(plan: Plan): string {
  const head = Object.entries(canonical(plan)).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const list = (name: string, lines: string[]) =>
    lines.length === 0 ? `  ${JSON.stringify(name)}: []` : `  ${JSON.stringify(name)}: [\n    ${lines.join(',\n    ')}\n  ]`;
  return `{\n${head.join('\n')}\n${list('inputs', plan.inputs.map(inputLine))},\n${list('tasks', plan.tasks.map(taskLine))}\n}\n`;
}

/** What names the plan: a shard file carries it, and is refused by another plan. */
export function planHash(plan: Plan): string {
  return hashText(serializePlan(plan));
}

export function writePlan(runDir: string, plan: Plan): void {
  atomicWrite(runLayout(runDir).plan, serializePlan(plan));
}

export interface ReadPlanOptions {
  /** Refuse a plan whose selection hash is not this mssi's hash of its selection (default true; `status` only counts). */
  readonly checkSelection?: boolean;
}

/** RUN_DIR/plan.json, every field checked; throws PlanFileError (or PlanSelectionError). */
export function readPlan(runDir: string, options: ReadPlanOptions = {}): Plan {
  const file = runLayout(runDir).plan;
  const fail = (field: string, detail: string): never => {
    throw new PlanFileError(file, field, detail);
  };
  const plan = validatePlan(readJsonFile(file, JSON.parse, (f, d) => new PlanFileError(file, f, d)), new Fields(fail));
  if (options.checkSelection !== false) {
    const own = selectionHash(plan.selection);
    if (plan.selectionHash !== own) throw new PlanSelectionError(file, plan.selectionHash, own, plan.mssiVersion);
  }
  return plan;
}

function validatePlan(value: unknown, get: Fields): Plan {
  const o = get.object(value, '');
  if (o.schema !== PLAN_SCHEMA) get.fail('schema', `expected "${PLAN_SCHEMA}", got ${JSON.stringify(o.schema) ?? 'nothing'} (not a plan of this mssi)`);
  const shards = get.integer(o, 'shards', '', 1);
  const rates = get.nullable(o, 'rates', '', (p, k, at) => {
    const r = get.object(p[k], join(at, k));
    return { path: get.string(r, 'path', 'rates'), absolutePath: get.string(r, 'absolutePath', 'rates') };
  });
  const inputs = get.array(o, 'inputs', '').map((v, i): PlanInput => {
    const at = join('inputs', i);
    const f = get.object(v, at);
    return {
      path: get.string(f, 'path', at, /./, 'a path'),
      absolutePath: get.string(f, 'absolutePath', at, /^\//, 'an absolute path'),
      size: get.integer(f, 'size', at),
      mtimeNs: get.string(f, 'mtimeNs', at, /^[0-9]+$/, 'nanoseconds as a decimal string'),
    };
  });
  const tasks = get.array(o, 'tasks', '').map((v, i): PlannedTask => {
    const at = join('tasks', i);
    const t = get.object(v, at);
    const id = get.integer(t, 'id', at, i, i);
    const range = get.nullable(t, 'range', at, (p, k, a) => {
      const r = get.object(p[k], join(a, k));
      const start = get.integer(r, 'start', join(a, k));
      return { start, stop: get.integer(r, 'stop', join(a, k), start + 1) };
    });
    return {
      id,
      input: get.integer(t, 'input', at, 0, inputs.length - 1),
      range,
      bytes: get.integer(t, 'bytes', at),
      shard: get.integer(t, 'shard', at, 0, shards - 1),
    };
  });
  const totalBytes = get.integer(o, 'totalBytes', '');
  const sum = inputs.reduce((a, f) => a + f.size, 0);
  if (totalBytes !== sum) get.fail('totalBytes', `is ${totalBytes}, the inputs' sizes add up to ${sum}`);
  checkCoverage(inputs, tasks, get);
  return {
    schema: PLAN_SCHEMA,
    shards,
    mssiVersion: get.string(o, 'mssiVersion', ''),
    selectionHash: get.string(o, 'selectionHash', '', HEX64, 'a SHA-256 in hex'),
    selection: planSelection(o, get),
    splitEntries: get.integer(o, 'splitEntries', '', 1),
    rates,
    livetimeDays: get.nullable(o, 'livetimeDays', '', (p, k, at) => get.positive(p, k, at)),
    totalBytes,
    inputs,
    tasks,
  };
}

/** The plan's selection, checked as a selection file's is (every field is there: the plan wrote them all). */
function planSelection(o: Record<string, unknown>, get: Fields): Plan['selection'] {
  const recorded = get.object(o.selection, 'selection');
  try {
    return selectionFromLayout(recorded, 'selection');
  } catch (err) {
    const e = err as SelectionFileError;
    if (!(e instanceof SelectionFileError)) throw err;
    return get.fail(e.field ? `selection.${e.field}` : 'selection', e.detail);
  }
}

/** Each file is one whole task, or ranges in entry order that start at 0 and follow each other, in input order. */
function checkCoverage(inputs: readonly PlanInput[], tasks: readonly PlannedTask[], get: Fields): void {
  let input = -1;
  let next = 0; // the entry the file's next range must start at; -1 after a whole-file task
  tasks.forEach((t, i) => {
    const at = join('tasks', i);
    if (t.input !== input) {
      if (t.input !== input + 1) get.fail(join(at, 'input'), `is ${t.input}; tasks go through the inputs in order, input ${input + 1} comes next`);
      input = t.input;
      next = 0;
    }
    if (t.range === null) {
      if (next !== 0) get.fail(join(at, 'range'), `a whole-file task of input ${t.input}, which has other tasks`);
      next = -1;
    } else {
      if (next === -1) get.fail(join(at, 'range'), `a range of input ${t.input}, which has a whole-file task`);
      if (t.range.start !== next) get.fail(join(at, 'range'), `starts at entry ${t.range.start}; input ${t.input}'s ranges so far end at ${next}`);
      next = t.range.stop;
    }
  });
  if (inputs.length > 0 && input !== inputs.length - 1) get.fail('tasks', `input ${input + 1} has no task`);
}
