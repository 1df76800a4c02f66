// What the host itself allows, measured in the same benchmark run, beside the goals
// it bounds: how zlib alone scales over worker processes (the most `mssi run` with
// that many workers can reach over one), and what a first touch of a memory page
// costs (every worker pays it for its heap and buffers; on some VMs it is 5-10x
// what it is on others).
//
// Run as a child (`node dist/bench/host.js inflate SHARE OF FILE...`): collects the
// baskets of every OF-th file from SHARE on, says 'ready', and on 'go' inflates them
// three times and replies with the fastest pass's seconds.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inflateSeconds, selectionBaskets } from './read.js';

/** Nanoseconds per 4 KiB page of a fresh 64 MiB buffer's first touch; best of 3. */
export function firstTouchNsPerPage(): number {
  const page = 4096;
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const bytes = new Uint8Array(64 << 20);
    for (let i = 0; i < bytes.length; i += page) bytes[i] = 1;
    best = Math.min(best, ((performance.now() - t0) * 1e6) / (bytes.length / page));
  }
  return best;
}

interface ChildMessage {
  readonly type: 'ready' | 'done';
  readonly seconds?: number;
}

/**
 * Seconds each of `processes` child processes takes to inflate its share of the
 * files' selection baskets, all starting together (each share: every n-th file).
 */
export async function parallelInflateSeconds(files: readonly string[], processes: number): Promise<number[]> {
  const children = Array.from({ length: processes }, (_, share) =>
    fork(fileURLToPath(import.meta.url), ['inflate', String(share), String(processes), ...files], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  const next = (child: (typeof children)[number], type: ChildMessage['type']) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) => reject(new Error(`bench: inflate child exited (${code}) before '${type}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  try {
    await Promise.all(children.map((c) => next(c, 'ready')));
    const done = children.map((c) => next(c, 'done'));
    for (const c of children) c.send('go');
    return (await Promise.all(done)).map((m) => m.seconds!);
  } finally {
    for (const c of children) c.kill();
  }
}

async function child(share: number, of: number, files: readonly string[]): Promise<void> {
  const baskets = await selectionBaskets(files.filter((_, i) => i % of === share));
  inflateSeconds(baskets); // warm-up: code compiled, pages touched
  process.send!({ type: 'ready' } satisfies ChildMessage);
  process.once('message', () => {
    const seconds = Math.min(inflateSeconds(baskets), inflateSeconds(baskets), inflateSeconds(baskets));
    process.send!({ type: 'done', seconds } satisfies ChildMessage, () => process.exit(0));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'inflate') {
  const [share, of, ...files] = process.argv.slice(3);
  await child(Number(share), Number(of), files);
}
