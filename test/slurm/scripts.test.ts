// The batch scripts run as Slurm runs them (bash, with SLURM_* set), with a stand-in
// for node that records its arguments: no Slurm needed.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrayScript, mergeScript } from '../../src/slurm/scripts.js';

function setup(tag: string) {
  const dir = mkdtempSync(join(tmpdir(), `mssi-scripts-${tag}-`));
  const runDir = join(dir, "run dir's");
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  const calls = join(dir, 'calls');
  // "node": records its arguments, prints a text report, exits $FAKE_EXIT.
  const node = join(dir, 'fake node');
  writeFileSync(node, `#!/bin/bash\nprintf '%s\\n' "$*" >>${JSON.stringify(calls)}\necho text report\nexit \${FAKE_EXIT:-0}\n`);
  chmodSync(node, 0o755);
  const paths = { node, mssi: '/opt/mssi/bin/mssi', runDir, logs: join(runDir, 'logs') };
  return { dir, runDir, calls, paths };
}

const bash = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync('bash', [script, ...args], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });

describe('array.sbatch', () => {
  it('runs shard task id + offset of the plan, with the cache and the task\'s CPUs', () => {
    const { runDir, calls, paths } = setup('array');
    const script = join(runDir, 'array.sbatch');
    const text = arrayScript({ ...paths, cache: '/shared/cache', shards: 14, jobsPerTask: 2, firstArray: '0-5%3', arrays: [{ offset: 0, spec: '0-5%3' }, { offset: 6, spec: '0-5%3' }, { offset: 12, spec: '0-1%3' }] });
    writeFileSync(script, text);
    expect(execFileSync('bash', ['-n', script]).toString()).toBe('');
    expect(text).toContain('set -euo pipefail');
    expect(text).toContain(`#SBATCH --output=${paths.logs}/shard-%A_%a.out`);
    expect(text).toContain('#SBATCH --array=0-5%3');
    expect(text).toContain('#SBATCH --cpus-per-task=2');
    expect(text).toMatch(/sbatch --array=0-1%3 --cpus-per-task=2 .*array\.sbatch' 12/);

    const r = bash(script, ['6'], { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_JOB_ID: '77', SLURM_CPUS_PER_TASK: '4' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mssi: shard 9 of 14 \(array job 77 task 3\)/);
    expect(readFileSync(calls, 'utf8')).toBe(`/opt/mssi/bin/mssi run --plan ${runDir}/plan.json --shard 9 --cache /shared/cache --jobs 4\n`);
  });

  it('without an offset runs shard = task id; outside an array it says how to submit', () => {
    const { runDir, calls, paths } = setup('noarray');
    const script = join(runDir, 'array.sbatch');
    writeFileSync(script, arrayScript({ ...paths, cache: '/c', shards: 3, jobsPerTask: 1, firstArray: '0-2', arrays: [{ offset: 0, spec: '0-2' }] }));
    expect(bash(script, [], { SLURM_ARRAY_TASK_ID: '2' }).status).toBe(0);
    expect(readFileSync(calls, 'utf8')).toContain('--shard 2 --cache /c --jobs 1');
    const r = bash(script, [], {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('not an array task: submit as sbatch --array=0-2');
  });

  it('passes a stop signal to mssi itself (exec), so that it stops its workers', () => {
    const { paths } = setup('exec');
    expect(arrayScript({ ...paths, cache: '/c', shards: 1, jobsPerTask: 1, firstArray: '0', arrays: [{ offset: 0, spec: '0' }] })).toMatch(/\nexec "\$NODE" "\$MSSI" run /);
  });
});

describe('merge.sbatch', () => {
  for (const exit of [0, 1, 4, 2]) {
    it(`prints the text report, has mssi merge write report.json, and exits as it does (${exit})`, () => {
      const { runDir, calls, paths } = setup(`merge${exit}`);
      const script = join(runDir, 'merge.sbatch');
      writeFileSync(script, mergeScript(paths));
      expect(execFileSync('bash', ['-n', script]).toString()).toBe('');
      const r = bash(script, [], { FAKE_EXIT: `${exit}` });
      expect(r.status).toBe(exit);
      expect(r.stdout).toContain('text report');
      expect(r.stdout).toContain(`mssi merge: exit ${exit}`);
      expect(readFileSync(calls, 'utf8')).toBe(`/opt/mssi/bin/mssi merge ${runDir} --out ${runDir}/report.json\n`);
    });
  }
});
