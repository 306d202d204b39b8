import { describe, expect, it } from 'vitest';
import { contentTypeOf, intlDayPeriod, intlLocalDate, intlLocalHour } from '../src/index';

describe('contentTypeOf', () => {
  it.each([
    ['509658', 'Non-Game'],
    ['26936', 'Non-Game'],
    ['32399', 'Game'],
    ['29595', 'Game'],
    ['', 'Game'],
    [null, 'Game'],
    ['toString', 'Game'],
  ])('%s → %s', (gameId, expected) => {
    // act + assess
    expect(contentTypeOf(gameId)).toBe(expected);
  });
});

describe('local time features', () => {
  it('puts the date and period in the pipeline time zone, across midnight', () => {
    // act + assess
    expect(intlLocalDate('2026-11-30T02:59:59Z', 'America/Sao_Paulo')).toBe('2026-11-29');
    expect(intlLocalDate('2026-11-30T03:00:00Z', 'America/Sao_Paulo')).toBe('2026-11-30');
    expect(intlDayPeriod('2026-11-30T02:59:59Z', 'America/Sao_Paulo')).toBe('Night');
    expect(intlDayPeriod('2026-11-30T03:00:00Z', 'America/Sao_Paulo')).toBe('Dawn');
  });

  it('follows daylight-saving changes', () => {
    // act + assess: New York is on EDT (UTC-4) until 2026-11-01 06:00Z, then on EST (UTC-5)
    expect(intlLocalHour('2026-11-01T05:30:00Z', 'America/New_York')).toBe(1);
    expect(intlLocalHour('2026-11-01T06:30:00Z', 'America/New_York')).toBe(1);
    expect(intlDayPeriod('2026-03-08T11:30:00Z', 'America/New_York')).toBe('Morning');
  });

  it('rejects an unparsable instant', () => {
    // act + assess
    expect(() => intlLocalDate('not a time', 'UTC')).toThrow(/invalid instant/);
  });
});
