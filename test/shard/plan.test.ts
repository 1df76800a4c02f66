import { describe, expect, it } from 'vitest';
import { DEFAULT_SELECTION } from '../../src/selection/definition.js';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectionHash } from '../../src/cache/key.js';
import { packageVersion } from '../../src/packageRoot.js';
import { shardLoads } from '../../src/shard/balance.js';
import {
  createPlan,
  PlanFileError,
  planHash,
  PlanInputError,
  PlanSelectionError,
  readPlan,
  serializePlan,
  tasksOfShard,
  writePlan,
  type Plan,
} from '../../src/shard/plan.js';

const LZ = fileURLToPath(new URL('../../fixtures/lz/', import.meta.url));
const names = readdirSync(LZ).filter((f) => f.endsWith('.root')).sort();
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-plan-${tag}-`));

/** The fixtures copied into a new folder, each with the same fixed modification time. */
function copyFixtures(tag: string): string[] {
  const dir = tmp(tag);
  return names.map((n, i) => {
    const to = join(dir, n);
    copyFileSync(join(LZ, n), to);
    utimesSync(to, 1_700_000_000 + i, 1_700_000_000 + i);
    return to;
  });
}

/** The plan's text without what depends on where the files are. */
const placeless = (plan: Plan, dir: string) =>
  serializePlan({ ...plan, inputs: plan.inputs.map((f) => ({ ...f, path: f.path.replace(dir, 'DIR'), absolutePath: 'ABS' })) });

describe('createPlan', () => {
  it('records the inputs, the selection, mssi version, rates and livetime, and puts every task in a shard', async () => {
    const files = copyFixtures('record');
    const plan = await createPlan(files, { shards: 3, ratesPath: 'fixtures/rates.csv', livetimeDays: 100 });
    expect(plan.schema).toBe('mssi.plan/1');
    expect(plan.selectionHash).toBe(selectionHash(DEFAULT_SELECTION));
    expect(plan.selection).toEqual(DEFAULT_SELECTION);
    expect(plan.mssiVersion).toBe(packageVersion());
    expect(plan.mssiVersion).toBe(JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')).version);
    expect(plan.rates).toEqual({ path: 'fixtures/rates.csv', absolutePath: join(process.cwd(), 'fixtures/rates.csv') });
    expect(plan.livetimeDays).toBe(100);
    expect(plan.inputs.map((f) => f.path)).toEqual(files);
    const s = statSync(files[0]!, { bigint: true });
    expect(plan.inputs[0]).toEqual({ path: files[0], absolutePath: files[0], size: Number(s.size), mtimeNs: String(s.mtimeNs) });
    expect(plan.totalBytes).toBe(plan.inputs.reduce((a, f) => a + f.size, 0));
    // ten files of about the same size in three shards: none is over a fair share, so none is cut
    expect(plan.tasks.map((t) => [t.input, t.range])).toEqual(files.map((_, i) => [i, null]));
    expect([0, 1, 2].flatMap((k) => tasksOfShard(plan, k).map((t) => t.id)).sort((a, b) => a - b)).toEqual(plan.tasks.map((t) => t.id));
    const loads = shardLoads(plan.tasks.map((t) => t.bytes), plan.tasks.map((t) => t.shard), 3);
    expect(Math.max(...loads)).toBeLessThanOrEqual(plan.totalBytes / 3 + Math.max(...plan.inputs.map((f) => f.size)));
  });

  it('is deterministic: the same files give the same plan.json, and so do copies elsewhere apart from the absolute paths', async () => {
    const a = copyFixtures('a');
    const b = copyFixtures('b');
    const options = { shards: 4, splitEntries: 700 };
    const [p1, p2, p3] = [await createPlan(a, options), await createPlan(a, options), await createPlan(b, options)];
    const dirA = join(a[0]!, '..');
    const dirB = join(b[0]!, '..');
    writePlan(join(dirA, 'run1'), p1);
    writePlan(join(dirA, 'run2'), p2);
    expect(readFileSync(join(dirA, 'run1', 'plan.json'))).toEqual(readFileSync(join(dirA, 'run2', 'plan.json')));
    expect(placeless(p3, dirB)).toBe(placeless(p1, dirA));
    expect(serializePlan(p1)).not.toMatch(/20[0-9]{2}-[0-9]{2}-[0-9]{2}T/); // no timestamps
  });

  it('cuts a file larger than its fair share into cluster-aligned ranges, in a worker, with bytes by entries', async () => {
    // the smallest and the largest fixture in two shards: only the largest is over half of the two
    const all = copyFixtures('cut');
    const bySize = [...all].sort((x, y) => statSync(x).size - statSync(y).size);
    const files = [bySize[0]!, bySize.at(-1)!];
    const sizes = files.map((f) => statSync(f).size);
    const big = 1;
    const plan = await createPlan(files, { shards: 2, jobs: 1 });
    const ranges = plan.tasks.filter((t) => t.input === big);
    // about half a fair share each: 3 pieces of its 2000 entries, 667 each, at the fixtures' 500-entry clusters: 1000
    expect(ranges.map((t) => t.range)).toEqual([
      { start: 0, stop: 1000 },
      { start: 1000, stop: 2000 },
    ]);
    expect(ranges.reduce((a, t) => a + t.bytes, 0)).toBe(sizes[big]);
    expect(plan.tasks.filter((t) => t.input !== big).every((t) => t.range === null)).toBe(true);
    // --split-entries cuts finer where asked
    const fine = await createPlan(files, { shards: 2, jobs: 1, splitEntries: 500 });
    expect(fine.tasks.filter((t) => t.input === big).map((t) => t.range!.start)).toEqual([0, 500, 1000, 1500]);
  });

  it('plans a big file it cannot open whole, with a warning (its shard reports the problem)', async () => {
    const dir = tmp('bad');
    const bad = join(dir, 'bad.root');
    writeFileSync(bad, Buffer.alloc(1_000_000, 7));
    const small = join(dir, 'small.root');
    copyFileSync(join(LZ, names[0]!), small);
    const warnings: string[] = [];
    const plan = await createPlan([bad, small], { shards: 2, jobs: 1, onWarning: (m) => warnings.push(m) });
    expect(plan.tasks.map((t) => t.range)).toEqual([null, null]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/bad\.root: could not be cut into entry ranges \(.*not a ROOT file.*\); it is planned whole/);
  });

  it('refuses an input that is not a regular file, naming it', async () => {
    await expect(createPlan(['/nonexistent/x.root'], { shards: 1 })).rejects.toThrow(new PlanInputError('/nonexistent/x.root', 'no such file'));
    await expect(createPlan([tmp('dir')], { shards: 1 })).rejects.toThrow(/not a regular file/);
  });
});

describe('readPlan', () => {
  async function planned(): Promise<{ dir: string; plan: Plan; text: string }> {
    const files = copyFixtures('read').slice(0, 4);
    const plan = await createPlan(files, { shards: 2 });
    const dir = tmp('run');
    writePlan(dir, plan);
    return { dir, plan, text: readFileSync(join(dir, 'plan.json'), 'utf8') };
  }

  /** plan.json with `edit` applied to its parsed JSON. */
  function edited(dir: string, text: string, edit: (o: Record<string, any>) => void): string {
    const o = JSON.parse(text);
    edit(o);
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(o));
    return dir;
  }

  it('reads back what writePlan wrote, with the same hash', async () => {
    const { dir, plan } = await planned();
    const back = readPlan(dir);
    expect(back).toEqual(plan);
    expect(planHash(back)).toBe(planHash(plan));
  });

  it('refuses a damaged or hand-edited plan with an error naming the field and what was expected', async () => {
    const { dir, text } = await planned();
    const file = join(dir, 'plan.json');
    const cases: [(o: Record<string, any>) => void, string][] = [
      [(o) => (o.schema = 'mssi.plan/9'), 'schema: expected "mssi.plan/1", got "mssi.plan/9"'],
      [(o) => (o.tasks[1].shard = 2), 'tasks[1].shard: expected an integer 0 to 1, got 2'],
      [(o) => (o.inputs[0].size = -1), 'inputs[0].size: expected an integer >= 0, got -1'],
      [(o) => delete o.inputs[2].mtimeNs, 'inputs[2].mtimeNs: expected nanoseconds as a decimal string, got nothing (the field is missing)'],
      [(o) => (o.inputs[1].absolutePath = 'rel/x.root'), 'inputs[1].absolutePath: expected an absolute path, got "rel/x.root"'],
      [(o) => (o.tasks[3].id = 7), 'tasks[3].id: expected an integer 3 to 3, got 7'],
      [(o) => (o.tasks[2].input = 9), 'tasks[2].input: expected an integer 0 to 3, got 9'],
      [(o) => o.tasks.pop(), 'tasks: input 3 has no task'],
      [(o) => (o.totalBytes += 1), "totalBytes: is"],
      [(o) => (o.tasks[0].range = { start: 0, stop: 0 }), 'tasks[0].range.stop: expected an integer >= 1, got 0'],
      [(o) => (o.selectionHash = 'abc'), 'selectionHash: expected a SHA-256 in hex, got "abc"'],
      [(o) => (o.livetimeDays = 0), 'livetimeDays: expected a number > 0, got 0'],
    ];
    for (const [edit, message] of cases) {
      edited(dir, text, edit);
      let thrown: unknown;
      try {
        readPlan(dir);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, message).toBeInstanceOf(PlanFileError);
      expect((thrown as Error).message).toContain(`${file}: ${message}`);
    }
    writeFileSync(file, text.slice(0, 200));
    expect(() => readPlan(dir)).toThrow(`${file}: not valid JSON (truncated, or not written by mssi)`);
    expect(() => readPlan(tmp('empty'))).toThrow(/plan\.json: no such file/);
  });

  it("refuses a plan for another selection than this mssi's, naming both hashes", async () => {
    const { dir, text } = await planned();
    const other = 'ab'.repeat(32);
    edited(dir, text, (o) => (o.selectionHash = other));
    expect(() => readPlan(dir)).toThrow(PlanSelectionError);
    expect(() => readPlan(dir)).toThrow(new RegExp(`selection ${other} .*has selection ${selectionHash(DEFAULT_SELECTION)}`));
    // status only counts: it may read it
    expect(readPlan(dir, { checkSelection: false }).selectionHash).toBe(other);
  });
});
