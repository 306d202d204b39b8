import { describe, expect, it } from 'vitest';
import { sleep } from '../src/backoff';

describe('sleep', () => {
  it('waits about the given time', async () => {
    // prepare
    const started = performance.now();

    // act
    await sleep(30);

    // assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("rejects with the signal's own reason when aborted while waiting", async () => {
    // prepare
    const stop = new AbortController();
    const cause = new Error('language en failed');
    const waiting = sleep(10_000, stop.signal);

    // act
    stop.abort(cause);

    // assess
    await expect(waiting).rejects.toBe(cause);
  });

  it('rejects at once when the signal has already aborted', async () => {
    // prepare
    const cause = new Error('deadline');
    const signal = AbortSignal.abort(cause);
    const started = performance.now();

    // act
    const outcome = sleep(10_000, signal);

    // assess
    await expect(outcome).rejects.toBe(cause);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
