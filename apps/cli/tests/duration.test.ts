import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/cli/duration';

describe('formatDuration', () => {
  it('never shows a unit at its full count after rounding (60 s, 60 min, 1000 ms)', () => {
    // prepare
    const cases: Array<[number, string]> = [
      [999.6, '1.0 s'],
      [59_999.6, '1 min 0 s'],
      [119_999, '2 min 0 s'],
      [3_599_999, '1 h 0 min'],
      [7_199_999_999, '2000 h 0 min'],
      [850, '850 ms'],
      [12_400, '12.4 s'],
      [185_000, '3 min 5 s'],
      [9_000_000, '2 h 30 min'],
    ];
    // act
    const shown = cases.map(([ms]) => formatDuration(ms));
    // assess
    expect(shown).toEqual(cases.map(([, text]) => text));
  });
});

describe('parseDuration', () => {
  it('reads the forms the options document', () => {
    // act + assess
    expect(['30m', '1h30m', '90s', '2d', '0.5h'].map(parseDuration)).toEqual([1_800_000, 5_400_000, 90_000, 172_800_000, 1_800_000]);
  });

  it('refuses a duration that overflows to Infinity or is shorter than a millisecond', () => {
    // prepare
    const texts = [`${'9'.repeat(400)}d`, '0.0000001s', '0s', '', '5', '-5m'];
    // act
    const parsed = texts.map(parseDuration);
    // assess
    expect(parsed).toEqual(texts.map(() => undefined));
  });
});
