// `mssi run` under faults: a hanging worker, a damaged big file, a library writing to
// the console, a signal, an internal error of the main process. The report of the
// good files must survive each, the run must end, and the exit status must say what
// happened.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openFile } from 'jsroot';
import { BIN, mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const fixtures = () => readdirSync(LZ).filter((f) => f.endsWith('.root')).sort().map((f) => join(LZ, f));
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `mssi-${tag}-`));
/** Every CLI run here must end by itself well before this; a hang fails the test with code null. */
const HANG_GUARD = { timeoutMs: 90_000 };

interface JsonReport {
  files: { path: string; counts: Record<string, number> }[];
  failures: { path: string; error: string }[];
}

function parseReport(stdout: string, stderr: string): JsonReport {
  try {
    return JSON.parse(stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not the JSON report:\n${stdout.slice(0, 500)}\nstderr:\n${stderr.slice(0, 2000)}`);
  }
}

async function runJson(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await mssi(['run', ...args, '--rates', RATES, '--json', '--quiet'], env, HANG_GUARD);
  return { ...r, report: parseReport(r.stdout, r.stderr) };
}

async function simulate(dir: string, ...args: string[]): Promise<void> {
  const r = await mssi(['simulate', dir, '--quiet', ...args], {}, HANG_GUARD);
  if (r.code !== 0) throw new Error(`simulate failed: ${r.stderr}`);
}

/** The TFile header's fNbytesInfo (bytes of the streamer list), negated (ROOT's TFile layout; uproot's reading.py). */
function negateNbytesInfo(path: string): void {
  const b = readFileSync(path);
  const at = b.readInt32BE(4) >= 1_000_000 ? 53 : 41; // big files have 8-byte seeks before it
  b.writeInt32BE(-b.readInt32BE(at), at);
  writeFileSync(path, b);
}

/** Flips the low bit of the Scatters TTree's byte count (the first 4 bytes of its record), which jsroot reports with console.log. */
async function damageTreeByteCount(from: string, to: string): Promise<void> {
  const file = await openFile(from);
  const key = (file.fKeys as { fName: string; fSeekKey: number; fKeylen: number }[]).find((k) => k.fName === 'Scatters')!;
  const b = readFileSync(from);
  b[key.fSeekKey + key.fKeylen + 3]! ^= 1;
  writeFileSync(to, b);
}

/** The pids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Whether a process is still there (and not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('mssi run: a task past its deadline', () => {
  it('stops the worker, names the file, the range and the deadline; the others are reported', async () => {
    const dir = tmp('hang');
    const cache = join(dir, 'cache');
    const [a, b] = fixtures();
    const stuck = join(dir, 'SS_skim_K40_DomePMTs.root');
    copyFileSync(b!, stuck);
    const r = await runJson([a!, stuck, '--cache', cache, '--jobs', '1', '--task-timeout', '5'], { MSSI_TEST_HANG_ON: 'SS_skim_K40_DomePMTs.root' });
    expect(r.code).toBe(1);
    expect(r.report.files.map((f) => f.path)).toEqual([a]);
    expect(r.report.failures).toHaveLength(1);
    expect(r.report.failures[0]!.error).toMatch(
      new RegExp(`^${stuck.replace(/[.]/g, '\\.')} \\(entries 0 to the end\\): did not finish within 5(\\.\\d)? s; the worker was stopped$`),
    );
    const ls = JSON.parse((await mssi(['cache', 'ls', '--json', '--cache', cache])).stdout) as { entries: { computedFrom: string }[] };
    expect(ls.entries.map((e) => e.computedFrom)).toEqual([a]);
  });
});

describe('mssi run: damaged files the main process used to parse', () => {
  let big: string;
  let bigUncompressed: string;
  beforeAll(async () => {
    const dir = tmp('bigfiles');
    // over 16 MB: the files the run cuts into ranges, which the main process opened to plan them
    await simulate(join(dir, 'zlib'), '--source', 'K40_DomePMTs', '-n', '400000');
    big = join(dir, 'zlib', 'SS_skim_K40_DomePMTs.root');
    await simulate(join(dir, 'none'), '--source', 'Co60_DomePMTs', '-n', '70000', '--compression', 'none');
    bigUncompressed = join(dir, 'none', 'SS_skim_Co60_DomePMTs.root');
    for (const f of [big, bigUncompressed]) expect(statSync(f).size).toBeGreaterThan(16 << 20);
  });

  it('a big file with a negative fNbytesInfo fails alone; the good file is reported', async () => {
    const bad = join(tmp('nbytesinfo'), 'SS_skim_K40_DomePMTs.root');
    copyFileSync(big, bad);
    negateNbytesInfo(bad);
    const [good] = fixtures();
    const r = await runJson([bad, good!, '--no-cache', '--split-entries', '100000']);
    expect(r.code).toBe(1);
    expect(r.report.files.map((f) => f.path)).toEqual([good]);
    expect(r.report.failures.map((f) => f.path)).toEqual([bad]);
    expect(r.report.failures[0]!.error).toContain(bad);
  });

  it('what jsroot prints while a file is planned never reaches stdout (--json stays valid)', async () => {
    const bad = join(tmp('bytecount-big'), 'SS_skim_Co60_DomePMTs.root');
    await damageTreeByteCount(bigUncompressed, bad);
    const r = await runJson([bad, '--no-cache', '--split-entries', '10000']);
    expect(r.report.files.length + r.report.failures.length).toBe(1);
  });
});

describe('mssi inspect --json', () => {
  it('stays valid JSON when jsroot prints about a damaged TTree record', async () => {
    const dir = tmp('bytecount');
    await simulate(dir, '--source', 'K40_DomePMTs', '-n', '2000', '--compression', 'none');
    const bad = join(dir, 'damaged.root');
    await damageTreeByteCount(join(dir, 'SS_skim_K40_DomePMTs.root'), bad);
    const r = await mssi(['inspect', '--json', bad], {}, HANG_GUARD);
    const described = JSON.parse(r.stdout) as unknown[];
    // described, or refused by the reader (which may check the byte count itself): either way stdout is the JSON
    expect(described.length + (r.code === 1 ? 1 : 0)).toBe(1);
  });
});

describe('mssi run: interrupted', () => {
  let data: string;
  beforeAll(async () => {
    data = tmp('signal');
    // big enough that the run is mid-way when the first file is done
    await simulate(data, '--source', 'K40_DomePMTs', '--source', 'Co60_DomePMTs', '--source', 'K40_BottomTruss', '-n', '200000');
    // and one that never finishes, so the run cannot end before the signal
    copyFileSync(fixtures()[0]!, join(data, 'SS_skim_Stuck.root'));
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('by %s: stops every worker, keeps the finished files in the cache, exits %i', async (signal, status) => {
    const cache = join(tmp('signal-cache'), 'cache');
    const child = spawn(process.execPath, [BIN, 'run', data, '--rates', RATES, '--cache', cache, '--jobs', '2'], {
      cwd: ROOT_DIR,
      env: { ...process.env, MSSI_TEST_HANG_ON: 'SS_skim_Stuck.root' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD.timeoutMs);
    let stdout = '';
    let stderr = '';
    const workers = new Set<number>();
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const first = !/^\[1\//m.test(stderr);
      stderr += d;
      // not a terminal: one line per file; the first one done is the moment
      if (first && /^\[1\//m.test(stderr)) {
        for (const pid of childrenOf(child.pid!)) workers.add(pid);
        child.kill(signal);
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    clearTimeout(guard);
    expect(code, stderr).toBe(status);
    expect(workers.size).toBeGreaterThanOrEqual(1);
    expect([...workers].filter(alive)).toEqual([]);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('interrupted'))).toEqual([
      expect.stringMatching(new RegExp(`^mssi run: interrupted by ${signal} after \\d of 4 files; finished files are kept in the cache `)),
    ]);
    const finished = lines.map((l) => /^\[\d\/4\] (.+): \d+ events/.exec(l)?.[1]).filter((p): p is string => p !== undefined);
    expect(finished.length).toBeGreaterThanOrEqual(1);
    const ls = JSON.parse((await mssi(['cache', 'ls', '--json', '--cache', cache])).stdout) as { entries: { computedFrom: string }[] };
    expect(ls.entries.map((e) => e.computedFrom).sort()).toEqual(finished.map((p) => resolve(p)).sort());
  });
});

describe('mssi run: an internal error of the main process', () => {
  it.each([
    ['throw', 'uncaught exception'],
    ['reject', 'unhandled promise rejection'],
  ])('(%s) still prints the report of the files that finished, names the error and exits 1', async (how, origin) => {
    const [a, b, c] = fixtures();
    const stuck = join(tmp('fault'), 'SS_skim_Stuck.root');
    copyFileSync(c!, stuck);
    const first = a!.split('/').pop()!;
    const r = await runJson([a!, b!, stuck, '--no-cache', '--jobs', '1'], {
      MSSI_TEST_MAIN_FAULT: `${first}:${how}`,
      MSSI_TEST_HANG_ON: 'SS_skim_Stuck.root',
    });
    expect(r.code).toBe(1);
    expect(r.report.files.map((f) => f.path)).toContain(a);
    const notRun = r.report.failures.find((f) => f.path === stuck)!;
    expect(notRun.error).toBe(
      `${stuck}: not processed: mssi stopped after an internal error in the main process (${origin}): Error: test fault after ${first}`,
    );
    expect(r.stderr).toContain(`mssi run: internal error in the main process (${origin}): Error: test fault after ${first}; the report has the`);
  });
});
