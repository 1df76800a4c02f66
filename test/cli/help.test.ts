// Every command's --help ends with two or three examples, and they are real: each
// parses as a command line of the program (in dry form: every action replaced), and
// each one that needs no cluster runs, as written, in a folder with the package's
// fixtures/ and examples/, in the order the help shows them, and succeeds.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { BIN, mssi, ROOT_DIR } from './runCli.js';

/** Command paths: [] for the program, ['run'], ['cache', 'ls'], ... in the order registered. */
function commandPaths(program: Command): string[][] {
  const out: string[][] = [[]];
  const walk = (c: Command, path: string[]) => {
    for (const sub of c.commands) {
      out.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

/** The examples a help text ends with ("Examples:" then indented lines, to the end). */
function examplesOf(help: string): string[] | null {
  const m = /\nExamples:\n((?: {2}\S.*\n)+)$/.exec(help);
  return m ? m[1]!.trimEnd().split('\n').map((l) => l.trim()) : null;
}

/** A command line's words, as a shell splits them (quotes; up to a redirection or a pipe). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const m of line.matchAll(re)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] !== undefined && /^[>|]/.test(word)) break;
    out.push(word);
  }
  return out;
}

/** Parses `argv` with every action replaced: commander's own checks (options, choices, arguments, parsers) only. */
async function dryParse(argv: string[]): Promise<string> {
  const program = buildProgram();
  let ran = '';
  const silence = (c: Command) => {
    c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    c.action((...args: unknown[]) => {
      ran = (args.at(-1) as Command).name();
    });
    for (const sub of c.commands) silence(sub);
  };
  for (const sub of program.commands) silence(sub);
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return 'help';
    throw err;
  }
  return ran;
}

const needsCluster = (line: string) => / submit /.test(line) && !line.includes('--dry-run');

function sh(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = line.replace(/^mssi /, `"${process.execPath}" "${BIN}" `);
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd, env: { ...process.env, ...env }, maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('--help', () => {
  const paths = commandPaths(buildProgram());

  it('lists the commands it checks', () => {
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['', 'run', 'plan', 'merge', 'status', 'submit', 'selection', 'selection show', 'selection init', 'cache', 'cache ls', 'cache clear', 'inspect', 'gpu', 'simulate']),
    );
  });

  it('of every command ends with two or three examples that parse, and those that need no cluster run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mssi-help-'));
    symlinkSync(join(ROOT_DIR, 'fixtures'), join(dir, 'fixtures'));
    symlinkSync(join(ROOT_DIR, 'examples'), join(dir, 'examples'));
    const env = { MSSI_CACHE: join(dir, 'user-cache') };
    for (const path of paths) {
      const help = await mssi([...path, '--help']);
      expect(help.code, path.join(' ')).toBe(0);
      const examples = examplesOf(help.stdout);
      expect(examples, `mssi ${path.join(' ')} --help ends with examples`).not.toBeNull();
      expect(examples!.length).toBeGreaterThanOrEqual(2);
      expect(examples!.length).toBeLessThanOrEqual(3);
      for (const line of examples!) {
        const argv = words(line);
        expect(argv[0], line).toBe('mssi');
        await expect(dryParse(argv.slice(1)), line).resolves.toBeTypeOf('string');
        if (needsCluster(line)) continue;
        const r = await sh(line, dir, env);
        // mssi gpu: 3 where no adapter passes the self-test, as documented
        const ok = line.startsWith('mssi gpu') ? [0, 3] : [0];
        expect(ok, `${line}\n${r.stderr}`).toContain(r.code);
      }
    }
  });

  it('of run lists the environment variables mssi reads and the exit statuses', async () => {
    const help = (await mssi(['run', '--help'])).stdout;
    for (const name of ['MSSI_CACHE', 'XDG_CACHE_HOME', 'MSSI_GPU_BACKEND', 'MSSI_GPU_ALLOW_SOFTWARE', 'MSSI_GPU_NATIVE_LOG']) {
      expect(help).toMatch(new RegExp(`\\n {2}${name} +\\S`));
    }
    for (const status of ['0', '1', '2', '3', '5', '130, 143']) expect(help).toMatch(new RegExp(`\\n {2}${status} +\\S`));
    // and no test hook
    expect(help).not.toContain('MSSI_TEST');
  });

  it('a dry parse does catch a bad example', async () => {
    await expect(dryParse(['run', '--no-such-option'])).rejects.toThrow(CommanderError);
    await expect(dryParse(['run', 'x', '--backend', 'fpga'])).rejects.toThrow(/fpga/);
  });
});
