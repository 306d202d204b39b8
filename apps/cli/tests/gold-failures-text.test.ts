import { describe, expect, it } from 'vitest';
import { describeGoldDates, describeGoldFailures } from '../src/runtime/cycle-messages';

/** The error a local copy onto a full disk gives for one date's partition: its own two paths. */
const diskFull = (date: string) =>
  `ENOSPC: no space left on device, copyfile '/tmp/gold-b2/out/gold/streams_diario/dt=${date}/part-0.parquet' -> '/data/lake/gold/streams_diario/dt=${date}/.tmp-1'`;

describe('the message of a gold run that failed for some dates', () => {
  it('names every failed date, one shared cause once, and that they stay pending', () => {
    // prepare
    const failed = ['2026-12-01', '2026-12-02'].map((date) => ({ date, error: diskFull(date) }));

    // act
    const message = describeGoldFailures(failed);

    // assess
    expect(message).toBe(`gold failed for 2 dates: 2026-12-01, 2026-12-02: ${diskFull('2026-12-01')}; they stay pending and the next run retries them`);
  });

  it('speaks of one date in the singular', () => {
    // prepare
    const failed = [{ date: '2026-12-02', error: 'Out of Memory Error: failed to allocate' }];

    // act
    const message = describeGoldFailures(failed);

    // assess
    expect(message).toBe('gold failed for 1 date: 2026-12-02: Out of Memory Error: failed to allocate; it stays pending and the next run retries it');
  });
});

describe('the dates a gold run rebuilt', () => {
  it('counts the dates published, with those left pending by an earlier run, those that failed and the trends refreshed', () => {
    // prepare
    const gold = {
      dates: ['2026-12-01', '2026-12-02', '2026-12-03'],
      pendingDates: ['2026-12-01'],
      failed: [{ date: '2026-12-02', error: 'boom' }],
      trendsRefreshed: ['2026-12-05'],
    };

    // act
    const text = describeGoldDates(gold);

    // assess
    expect(text).toBe('2 dates rebuilt (1 left pending by an earlier run, 1 failed, trends of 1 later date refreshed)');
    expect(describeGoldDates({ dates: ['2026-12-03'], pendingDates: [], failed: [], trendsRefreshed: [] })).toBe('1 date rebuilt');
  });
});
