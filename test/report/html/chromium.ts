// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
// JSON messages ended by NUL, we write on its fd 3 and read its fd 4): no port, no
// WebSocket, no package. Opens a page, gathers its console errors and uncaught
// exceptions, evaluates an expression and takes a PNG screenshot.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** The Chromium to run: $MSSI_CHROMIUM, else the first of Debian's and others' names on PATH; null when none. */
export function findChromium(): string | null {
  const candidates = process.env.MSSI_CHROMIUM ? [process.env.MSSI_CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome'];
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0 && /chrom/i.test(r.stdout)) return c;
  }
  return null;
}

export interface PageVisit {
  /** console.error / console.assert messages, uncaught exceptions, and the browser's own error log entries. */
  readonly errors: string[];
  readonly png: Buffer;
  /** The value of `evaluate`, as JSON. */
  readonly value: unknown;
}

export interface VisitOptions {
  readonly width: number;
  readonly height: number;
  /** A JavaScript expression evaluated in the page after load, its value returned by value (returnByValue). */
  readonly evaluate?: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, any>;
  result?: Record<string, any>;
  error?: { message: string };
  sessionId?: string;
}

/** Opens file in a fresh headless Chromium (its own profile, removed after). */
export async function visit(chromium: string, file: string, options: VisitOptions): Promise<PageVisit> {
  const profile = mkdtempSync(join(tmpdir(), 'mssi-chromium-'));
  const child = spawn(
    chromium,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let nextId = 1;
  let failed: Error | null = null;
  const fail = (e: Error) => {
    failed ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  child.on('error', (e) => fail(new Error(`${chromium} did not start: ${e.message}`)));
  child.on('exit', (code, signal) => fail(new Error(`${chromium} exited (${code ?? signal}) before the visit ended; its stderr ends:\n${stderr}`)));
  toBrowser.on('error', (e) => fail(new Error(`writing to ${chromium}'s debugging pipe: ${e.message}`)));
  let buffered = Buffer.alloc(0);
  fromBrowser.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const m = JSON.parse(buffered.subarray(0, end).toString('utf8')) as Message;
      buffered = buffered.subarray(end + 1);
      if (m.id !== undefined && pending.has(m.id)) {
        const p = pending.get(m.id)!;
        pending.delete(m.id);
        if (m.error) p.reject(new Error(`DevTools: ${m.error.message}`));
        else p.resolve(m);
      } else for (const l of [...listeners]) l(m);
    }
  });
  const send = (method: string, params: object = {}, sessionId?: string): Promise<Record<string, any>> =>
    new Promise((resolve, reject) => {
      if (failed) return reject(failed);
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const event = (method: string, sessionId: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const l = (m: Message) => {
        if (m.method === method && m.sessionId === sessionId) {
          listeners.splice(listeners.indexOf(l), 1);
          resolve(m);
        }
      };
      listeners.push(l);
      child.once('exit', () => reject(failed));
    });
  // a hang guard, not a speed check: a stuck browser fails the test with its stderr
  const guard = setTimeout(() => {
    fail(new Error(`${chromium} did not finish the visit of ${file} in 90 s; its stderr ends:\n${stderr}`));
    child.kill('SIGKILL');
  }, 90_000);
  try {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    const errors: string[] = [];
    listeners.push((m) => {
      if (m.sessionId !== sessionId || !m.params) return;
      if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'assert')) {
        errors.push(`console.${m.params.type}: ${(m.params.args ?? []).map((a: any) => a.value ?? a.description ?? '').join(' ')}`);
      } else if (m.method === 'Runtime.exceptionThrown') {
        const d = m.params.exceptionDetails;
        errors.push(`uncaught: ${d?.exception?.description ?? d?.text ?? 'exception'}`);
      } else if (m.method === 'Log.entryAdded' && m.params.entry?.level === 'error') {
        errors.push(`log (${m.params.entry.source}): ${m.params.entry.text}${m.params.entry.url ? ` (${m.params.entry.url})` : ''}`);
      }
    });
    await send('Runtime.enable', {}, sessionId);
    await send('Log.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    await send('Emulation.setDeviceMetricsOverride', { width: options.width, height: options.height, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = event('Page.loadEventFired', sessionId);
    const nav = await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
    if (nav.errorText) throw new Error(`Chromium could not open ${file}: ${nav.errorText}`);
    await loaded;
    let value: unknown = null;
    if (options.evaluate) {
      const r = await send('Runtime.evaluate', { expression: options.evaluate, returnByValue: true }, sessionId);
      if (r.exceptionDetails) throw new Error(`evaluating ${options.evaluate}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      value = r.result?.value;
    }
    const shot = await send('Page.captureScreenshot', { format: 'png' }, sessionId);
    return { errors, png: Buffer.from(shot.data as string, 'base64'), value };
  } finally {
    clearTimeout(guard);
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null && child.signalCode === null) {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      send('Browser.close').catch(() => child.kill('SIGKILL'));
      await exited;
      clearTimeout(kill);
    }
    rmSync(profile, { recursive: true, force: true });
  }
}
