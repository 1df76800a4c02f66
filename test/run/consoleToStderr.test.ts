import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// the bundled module bin/mssi loads first
const routing = new URL('../../dist/bundle/consoleToStderr.js', import.meta.url).href;

describe('console routing', () => {
  it('sends every console method of a process to stderr, so only the report reaches stdout', () => {
    const script = `
      await import(${JSON.stringify(routing)});
      console.log('log'); console.info('info'); console.debug('debug'); console.warn('warn');
      console.error('error'); console.table([1]); console.dir({ dir: 1 }); console.trace('trace');
      process.stdout.write('report\\n');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('report\n');
    for (const word of ['log', 'info', 'debug', 'warn', 'error', 'dir', 'trace']) expect(r.stderr).toContain(word);
  });
});
