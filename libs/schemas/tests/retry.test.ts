import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../src/index';

describe('fullJitterDelay', () => {
  it('doubles the ceiling on every attempt up to the cap, and draws below it', () => {
    // prepare
    const options = { baseMs: 50, maxMs: 2000 };
    const attempts = [1, 2, 3, 4, 5, 6, 7, 12];

    // act
    const highest = attempts.map((attempt) => fullJitterDelay(attempt, options, () => 0.999_999));
    const lowest = attempts.map((attempt) => fullJitterDelay(attempt, options, () => 0));

    // assess
    expect(highest).toEqual([49, 99, 199, 399, 799, 1599, 1999, 1999]);
    expect(lowest).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('treats an attempt below 1 as the first', () => {
    // prepare
    const options = { baseMs: 100, maxMs: 1000 };

    // act
    const delays = [0, -3].map((attempt) => fullJitterDelay(attempt, options, () => 0.5));

    // assess
    expect(delays).toEqual([50, 50]);
  });
});
