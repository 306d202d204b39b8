import { describe, expect, it } from 'vitest';
import { ageText } from '../src/commands/status';

describe('ageText', () => {
  it('says how long ago an instant was', () => {
    // act
    const text = ageText('2026-12-07T12:00:00Z', Date.parse('2026-12-07T12:30:00Z'));
    // assess
    expect(text).toBe('30 min 0 s ago');
  });

  it("says an instant is ahead of this machine's clock rather than 0 ms ago", () => {
    // act: a snapshot collected under a clock 2 hours ahead
    const text = ageText('2026-12-07T14:00:00Z', Date.parse('2026-12-07T12:00:00Z'));
    // assess
    expect(text).toBe("2 h 0 min ahead of this machine's clock");
  });

  it('says never for no instant', () => {
    // act + assess
    expect(ageText(undefined, 0)).toBe('never');
  });
});
