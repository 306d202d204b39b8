import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limiter';

describe('RateLimiter when the wall clock is set back', () => {
  it('keeps the points left instead of emptying the bucket for as long as the clock went back', () => {
    // prepare: a client that spent 100 of 800 points, then the clock is set back ten minutes
    const limiter = new RateLimiter(800, 60_000);
    const now = Date.parse('2026-12-07T07:00:00Z');
    for (let call = 0; call < 100; call += 1) limiter.take('client', now);

    // act
    const afterSetBack = limiter.take('client', now - 600_000);
    const aSecondLater = limiter.take('client', now - 599_000);

    // assess
    expect(afterSetBack).toMatchObject({ allowed: true, remaining: 699 });
    // a second of refill at 800 a minute (13.3 points) on the set-back clock, less this call
    expect(aSecondLater).toMatchObject({ allowed: true, remaining: 711 });
  });
});
