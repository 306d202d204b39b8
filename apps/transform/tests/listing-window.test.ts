import { describe, expect, it } from 'vitest';
import { listingWindow } from '../src/listing-window';

describe('listingWindow', () => {
  it('lists the last two days in an ordinary run', () => {
    // act
    const window = listingWindow(new Date('2026-12-07T15:30:00Z'), 30);
    // assess
    expect(window).toBe('2026-12-05');
  });

  it('sweeps the whole history in the run of the first slot after midnight UTC only', () => {
    // act
    const first = listingWindow(new Date('2026-12-07T00:00:00Z'), 30);
    const next = listingWindow(new Date('2026-12-07T00:30:00Z'), 30);
    const before = listingWindow(new Date('2026-12-06T23:30:00Z'), 30);
    // assess
    expect(first).toBeUndefined();
    expect([next, before]).toEqual(['2026-12-05', '2026-12-04']);
  });

  it('sweeps once a day for every interval, wherever a rate schedule puts the slots', () => {
    // prepare: a day of slots of each interval, starting at an offset a rate schedule may give them
    const sweepsPerDay = (intervalMinutes: number, offsetMinutes: number) => {
      const day = Date.parse('2026-12-07T00:00:00Z');
      let sweeps = 0;
      for (let slot = day + offsetMinutes * 60_000; slot < day + 86_400_000; slot += intervalMinutes * 60_000) {
        if (listingWindow(new Date(slot), intervalMinutes) === undefined) sweeps += 1;
      }
      return sweeps;
    };
    // act
    const counts = [5, 7, 30, 60, 90, 1440].flatMap((interval) => [0, 0.5, 53 % interval].map((offset) => sweepsPerDay(interval, offset)));
    // assess
    expect(counts.every((count) => count === 1)).toBe(true);
  });
});
