import { describe, expect, it } from 'vitest';
import { listingWindow } from '../src/listing-window';

describe('listingWindow', () => {
  it('lists the last two days in an ordinary run', () => {
    // act
    const window = listingWindow(new Date('2026-12-07T15:30:00Z'), 30);
    // assess
    expect(window).toBe('2026-12-05');
  });

  it('sweeps the whole history in the first interval after midnight UTC', () => {
    // act
    const sweeps = [listingWindow(new Date('2026-12-07T00:00:00Z'), 30), listingWindow(new Date('2026-12-07T00:29:59Z'), 30)];
    const after = listingWindow(new Date('2026-12-07T00:30:00Z'), 30);
    // assess
    expect(sweeps).toEqual([undefined, undefined]);
    expect(after).toBe('2026-12-05');
  });

  it('sweeps for a quarter of an hour at least, and for a whole interval when it is longer', () => {
    // act
    const short = listingWindow(new Date('2026-12-07T00:14:00Z'), 5);
    const long = listingWindow(new Date('2026-12-07T01:59:00Z'), 120);
    // assess
    expect([short, long]).toEqual([undefined, undefined]);
  });
});
