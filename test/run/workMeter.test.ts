// The progress model without a terminal: bytes counted as tasks report their events,
// the state the bar shows, and its ETA, on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { formatEta, RunProgress } from '../../src/run/progress.js';
import { WorkMeter, type WorkDelta } from '../../src/run/workMeter.js';

function meter() {
  const deltas: WorkDelta[] = [];
  const m = new WorkMeter((d) => deltas.push(d));
  const bytes = () => deltas.reduce((a, d) => a + d.bytes, 0);
  const events = () => deltas.reduce((a, d) => a + d.events, 0);
  return { m, deltas, bytes, events };
}

describe('WorkMeter', () => {
  it("counts a task's share of its file's bytes in proportion to its events, once the worker says how many it has", () => {
    const { m, bytes, events } = meter();
    const file = m.unit(600_000_000);
    const task = file.task(600_000_000);
    task({ events: 0, total: 600_000, attempt: 1 }); // the file is open: its entries are known
    expect(bytes()).toBe(0);
    task({ events: 65_536, attempt: 1 });
    expect(bytes()).toBeCloseTo((600_000_000 * 65_536) / 600_000);
    task({ events: 300_000 - 65_536, attempt: 1 });
    expect(bytes()).toBeCloseTo(300_000_000);
    expect(events()).toBe(300_000);
    file.finish();
    expect(bytes()).toBe(600_000_000);
  });

  it("advances a file cut into ranges by each range's share, and nothing before a range knows its total", () => {
    const { m, bytes } = meter();
    const file = m.unit(1000);
    const [a, b] = [file.task(500), file.task(500)];
    a({ events: 100, attempt: 1 }); // no total yet: events only
    expect(bytes()).toBe(0);
    a({ events: 0, total: 200, attempt: 1 });
    expect(bytes()).toBe(250);
    b({ events: 50, total: 100, attempt: 1 });
    expect(bytes()).toBe(500);
    file.finish();
    expect(bytes()).toBe(1000);
  });

  it('counts nothing twice: a task run again on a fresh worker, reports past the total, reports after the end', () => {
    const { m, bytes, events } = meter();
    const file = m.unit(1000);
    const task = file.task(1000);
    task({ events: 0, total: 100, attempt: 1 });
    task({ events: 60, attempt: 1 });
    expect(bytes()).toBe(600);
    // its worker died: the task starts again from 0 on a new one
    task({ events: 0, total: 100, attempt: 2 });
    task({ events: 30, attempt: 2 });
    expect(bytes()).toBe(600);
    expect(events()).toBe(60);
    task({ events: 50, attempt: 2 });
    expect(bytes()).toBe(800);
    expect(events()).toBe(80);
    task({ events: 500, attempt: 2 });
    expect(bytes()).toBe(1000);
    file.finish();
    task({ events: 5, attempt: 2 });
    file.finish();
    expect(bytes()).toBe(1000);
  });

  it('a file from the cache, a failed one and an empty one count whole when they end', () => {
    const { m, bytes } = meter();
    m.unit(300).finish();
    const failed = m.unit(200);
    failed.task(200)({ events: 0, total: 10, attempt: 1 });
    failed.finish();
    const empty = m.unit(50);
    empty.task(50)({ events: 0, total: 0, attempt: 1 });
    expect(bytes()).toBe(550);
  });
});

describe('RunProgress', () => {
  it('shows bytes, files and events done, the rate, and an ETA from the pace', () => {
    let now = 0;
    const p = new RunProgress(() => now);
    p.start({ files: 2, bytes: 1000 });
    expect(p.snapshot()).toMatchObject({ files: 2, filesDone: 0, fraction: 0, eventsPerSecond: null, etaSeconds: null });
    now = 1000;
    p.advance({ bytes: 100, events: 5000 });
    expect(p.snapshot()).toMatchObject({ bytesDone: 100, events: 5000, eventsPerSecond: 5000 });
    expect(p.snapshot().fraction).toBeCloseTo(0.1);
    expect(p.snapshot().etaSeconds).toBeCloseTo(9);
    now = 2000;
    p.advance({ bytes: 300, events: 15_000 });
    expect(p.snapshot().etaSeconds).toBeCloseTo(3);
    p.fileEnded();
    expect(p.snapshot().filesDone).toBe(1);
    now = 3000;
    p.advance({ bytes: 600, events: 0 });
    p.fileEnded();
    expect(p.snapshot()).toMatchObject({ filesDone: 2, fraction: 1, etaSeconds: 0 });
  });

  it('never goes past the whole, and a run of empty files goes by files', () => {
    const p = new RunProgress(() => 0);
    p.start({ files: 2, bytes: 10 });
    p.advance({ bytes: 25, events: 0 });
    expect(p.snapshot().fraction).toBe(1);
    const empty = new RunProgress(() => 0);
    empty.start({ files: 2, bytes: 0 });
    empty.fileEnded();
    expect(empty.snapshot().fraction).toBe(0.5);
  });

  it('formats the ETA', () => {
    expect(formatEta(null)).toBe('-');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('-');
    expect(formatEta(41.2)).toBe('42s');
    expect(formatEta(185)).toBe('3m05s');
    expect(formatEta(7620)).toBe('2h07m');
  });
});
