import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortAt, StopSignal, type WallClockDeadline } from '../src/cli/signals';

let stop: StopSignal | undefined;
let deadline: WallClockDeadline | undefined;

afterEach(() => {
  stop?.dispose();
  deadline?.dispose();
  vi.useRealTimers();
});

/** Lets pending timers and promise callbacks run, `ms` of timer time. */
async function timersAdvance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

describe('StopSignal.sleepUntil', () => {
  it('wakes within a minute of a resume when the machine slept past the target', async () => {
    // prepare: 25 minutes to the next slot; then a suspend of 3 hours, during which the wall
    // clock moves and Node's timers (a monotonic clock) do not
    vi.useFakeTimers({ now: new Date('2026-12-02T10:05:00Z') });
    stop = new StopSignal();
    let woke = false;
    const sleeping = stop.sleepUntil(new Date('2026-12-02T10:30:00Z').getTime()).then(() => {
      woke = true;
    });
    await timersAdvance(1_000);

    // act
    vi.setSystemTime(new Date('2026-12-02T13:05:01Z'));
    await timersAdvance(60_000);

    // assess
    expect(woke).toBe(true);
    await sleeping;
  });

  it('returns within a minute when the wall clock is set back, so that the caller works its target out again', async () => {
    // prepare: 25 minutes to the next slot on a clock that ran three hours ahead
    vi.useFakeTimers({ now: new Date('2026-12-02T10:05:00Z') });
    stop = new StopSignal();
    let woke: boolean | undefined;
    const sleeping = stop.sleepUntil(new Date('2026-12-02T10:30:00Z').getTime()).then((stopping) => {
      woke = stopping;
    });
    await timersAdvance(1_000);

    // act: the clock is corrected
    vi.setSystemTime(new Date('2026-12-02T07:05:01Z'));
    await timersAdvance(60_000);

    // assess: awake, and not stopping
    expect(woke).toBe(false);
    await sleeping;
  });

  it('sleeps until the target while the clock runs normally, and returns at once when stopped', async () => {
    // prepare
    vi.useFakeTimers({ now: new Date('2026-12-02T10:05:00Z') });
    stop = new StopSignal();
    let woke = false;
    const sleeping = stop.sleepUntil(new Date('2026-12-02T10:30:00Z').getTime()).then((stopping) => {
      woke = true;
      return stopping;
    });

    // act
    await timersAdvance(25 * 60_000 - 1);
    const beforeTarget = woke;
    await timersAdvance(1);

    // assess
    expect(beforeTarget).toBe(false);
    expect(woke).toBe(true);
    expect(await sleeping).toBe(false);
    const again = stop.sleepUntil(Date.now() + 60 * 60_000);
    process.emit('SIGTERM');
    expect(await again).toBe(true);
  });
});

describe('abortAt', () => {
  it('aborts within a minute of a resume when the machine slept past the deadline', async () => {
    // prepare: a cycle's crawl with 25 minutes of its slot left; then a suspend of 3 hours
    vi.useFakeTimers({ now: new Date('2026-12-02T10:05:00Z') });
    deadline = abortAt(new Date('2026-12-02T10:30:00Z').getTime());
    await timersAdvance(1_000);

    // act
    vi.setSystemTime(new Date('2026-12-02T13:05:01Z'));
    await timersAdvance(60_000);

    // assess: as AbortSignal.timeout aborts, which would have waited 25 more minutes
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts at the deadline while the clock runs normally, not before', async () => {
    // prepare
    vi.useFakeTimers({ now: new Date('2026-12-02T10:05:00Z') });
    deadline = abortAt(new Date('2026-12-02T10:30:00Z').getTime());

    // act
    await timersAdvance(25 * 60_000 - 1);
    const beforeDeadline = deadline.signal.aborted;
    await timersAdvance(1);

    // assess
    expect(beforeDeadline).toBe(false);
    expect(deadline.signal.aborted).toBe(true);
  });

  it('is aborted at once for a deadline already past, and keeps no timer once disposed', async () => {
    // prepare
    vi.useFakeTimers({ now: new Date('2026-12-02T10:05:00Z') });

    // act
    const past = abortAt(new Date('2026-12-02T10:00:00Z').getTime());
    deadline = abortAt(new Date('2026-12-02T10:30:00Z').getTime());
    deadline.dispose();

    // assess
    expect(past.signal.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
