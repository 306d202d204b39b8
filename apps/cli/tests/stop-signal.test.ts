import { afterEach, describe, expect, it, vi } from 'vitest';
import { StopSignal } from '../src/cli/signals';

let stop: StopSignal | undefined;

afterEach(() => {
  stop?.dispose();
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
