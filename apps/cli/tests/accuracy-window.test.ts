import { describe, expect, it } from 'vitest';
import { accuracyWindow } from '../src/runtime/demo-summary';

const slots = (first: string, last: string) => [new Date(first), new Date(last)];

describe('the window the demo compares with the ground truth', () => {
  it('reaches one interval before the first snapshot, for its samples lead-ins', async () => {
    // prepare: 12:00 in São Paulo, well inside its day
    const demo = slots('2026-11-30T15:00:00Z', '2026-12-01T14:30:00Z');
    // act
    const window = await accuracyWindow(demo, 30, 'America/Sao_Paulo');
    // assess
    expect(window).toEqual({ from: new Date('2026-11-30T14:30:00Z'), to: new Date('2026-12-01T14:30:00Z') });
  });

  it('starts at local midnight when the first snapshot is less than an interval after it', async () => {
    // prepare: the first snapshot at 00:00 and at 00:20 in São Paulo (03:00Z, 03:20Z): their
    // lead-ins before midnight fall on a date without snapshots, which gold has no partition for
    // (a demo started at 02:30–02:59 UTC compared 30 minutes more truth and printed −3.09 %)
    const atMidnight = slots('2026-12-01T03:00:00Z', '2026-12-02T02:30:00Z');
    const justAfter = slots('2026-12-01T03:20:00Z', '2026-12-02T02:50:00Z');
    // act
    const windows = await Promise.all([accuracyWindow(atMidnight, 30, 'America/Sao_Paulo'), accuracyWindow(justAfter, 30, 'America/Sao_Paulo')]);
    // assess
    expect(windows.map((window) => window.from)).toEqual([new Date('2026-12-01T03:00:00Z'), new Date('2026-12-01T03:00:00Z')]);
  });

  it('finds midnight in a zone with a quarter-hour offset', async () => {
    // prepare: Kathmandu is UTC+05:45, so its midnight is 18:15Z
    const demo = slots('2026-11-30T18:30:00Z', '2026-12-01T18:00:00Z');
    // act
    const window = await accuracyWindow(demo, 60, 'Asia/Kathmandu');
    // assess
    expect(window.from).toEqual(new Date('2026-11-30T18:15:00Z'));
  });
});
