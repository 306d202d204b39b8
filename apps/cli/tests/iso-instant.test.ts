import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../src/cli/iso-instant';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-11-29T21:30:00Z', '2026-11-29T21:30:00.000Z'],
    ['2026-11-29T21:30Z', '2026-11-29T21:30:00.000Z'],
    ['2026-11-29T18:30:00-03:00', '2026-11-29T21:30:00.000Z'],
    ['2026-11-30T03:00:00.250+05:30', '2026-11-29T21:30:00.250Z'],
    ['2026-11-29 18:30:00+0000', '2026-11-29T18:30:00.000Z'],
    ['2026-11-29T18:30-03', '2026-11-29T21:30:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, expected) => {
    // act
    const instant = parseIsoInstant(text);

    // assess
    expect(instant?.toISOString()).toBe(expected);
  });

  it.each([
    ['05/12/2026', 'US order, which new Date() takes as 12 May'],
    ['2026-02-30T10:00:00Z', 'a day February lacks, which new Date() rolls into March'],
    ['2027-02-29', 'a leap day of a common year'],
    ['2026-11-29T24:30:00Z', 'an hour past the day'],
    ['2026-11-29T21:30:00', 'a time without its zone, which new Date() reads in the machine\'s'],
    ['2026-11-29T21:30:00+25:00', 'an offset no zone has'],
    ['1', 'a bare number'],
    ['', 'nothing'],
  ])('refuses %j: %s', (text) => {
    // act
    const instant = parseIsoInstant(text);

    // assess
    expect(instant).toBeUndefined();
  });
});
