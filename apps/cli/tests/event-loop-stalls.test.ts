import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { watchStalls } from '../src/runtime/event-loop-stalls';

/** Holds the event loop, as a process stopped with SIGSTOP leaves it: no timer runs meanwhile. */
function holdEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // nothing runs until the loop is let go
  }
}

describe('watchStalls', () => {
  it('counts a gap in which the event loop did not run, and keeps that count once disposed of', async () => {
    // prepare
    const stalls = watchStalls();
    await sleep(1_500);

    // act: a gap of 6.5 s, then the watch disposed of and time let pass
    holdEventLoop(6_500);
    stalls.dispose();
    const counted = stalls.stalledMs();
    await sleep(1_500);

    // assess
    expect(counted).toBeGreaterThanOrEqual(5_000);
    expect(counted).toBeLessThan(7_000);
    expect(stalls.stalledMs()).toBe(counted);
  });

  it('counts nothing while the event loop runs', async () => {
    // prepare
    const stalls = watchStalls();

    // act
    await sleep(2_500);
    const counted = stalls.stalledMs();
    stalls.dispose();

    // assess
    expect(counted).toBe(0);
  });
});
