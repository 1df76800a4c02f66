// `mssi submit` as a user runs it, where no Slurm is on PATH (the real cluster is in test/slurm/cluster.test.ts).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, mssi, ROOT_DIR } from './runCli.js';

const LZ = join(ROOT_DIR, 'fixtures', 'lz');
const RATES = join(ROOT_DIR, 'fixtures', 'rates.csv');
const NO_SLURM = { PATH: join(tmpdir(), 'mssi-no-such-dir') };
const tmp = () => mkdtempSync(join(tmpdir(), 'mssi-submit-cli-'));

describe('mssi submit', () => {
  it('--dry-run without a Slurm: writes the plan and scripts, prints the sbatch commands, submits nothing', async () => {
    const out = tmp();
    const r = await mssi(['submit', '--slurm', LZ, '--rates', RATES, '--out', out, '--shards', '3', '--max-running', '2', '--jobs-per-task', '2', '--sbatch-arg=--partition=short', '--dry-run'], NO_SLURM);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/scontrol not found on PATH.*assumed MaxArraySize 1001/);
    expect(r.stdout).toContain(`sbatch --parsable --array=0-2%2 --cpus-per-task=2 --partition=short ${out}/array.sbatch 0\n`);
    expect(r.stdout).toContain(`--partition=short ${out}/merge.sbatch\n`);
    for (const f of ['plan.json', 'array.sbatch', 'merge.sbatch']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, 'slurm.json'))).toBe(false);
    const script = readFileSync(join(out, 'array.sbatch'), 'utf8');
    expect(script).toContain(`MSSI=${BIN}`);
    expect(script).toContain(`NODE=${process.execPath}`);
    expect(script).toContain(`#SBATCH --output=${out}/logs/shard-%A_%a.out`);
  });

  it('without a Slurm, says so and submits nothing (exit 1)', async () => {
    const out = tmp();
    const r = await mssi(['submit', '--slurm', LZ, '--rates', RATES, '--out', out], NO_SLURM);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('mssi submit: scontrol not found on PATH: run this on a Slurm login node (or install the Slurm client commands)\n');
    expect(existsSync(join(out, 'slurm.json'))).toBe(false);
  });

  it('refuses a bad command line (exit 2), saying what is wrong', async () => {
    const out = tmp();
    const cases: [string[], RegExp][] = [
      [[LZ, '--rates', RATES, '--out', out], /say which scheduler to submit to: --slurm/],
      [['--slurm', LZ, '--out', out], /--rates <csv> is required/],
      [['--slurm', LZ, '--rates', RATES], /--out <run_dir> is required/],
      [['--slurm', join(out, 'nope.root'), '--rates', RATES, '--out', out], /nothing submitted: .*nope\.root: no such file/],
      [['--slurm', LZ, '--rates', join(out, 'rates.csv'), '--out', out], /rates\.csv/],
      [['--slurm', '--resume', out, LZ], /--resume reruns the run's own plan: FILES cannot be given with it/],
      [['--slurm', '--resume', out], /has no .*slurm\.json: it was not submitted with mssi submit --slurm/],
      [['--slurm', LZ, '--rates', RATES, '--out', out, '--shards', '0'], /--shards must be a positive integer/],
    ];
    for (const [args, message] of cases) {
      const r = await mssi(['submit', ...args], NO_SLURM);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
