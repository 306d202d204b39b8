import { describe, expect, it } from 'vitest';
import { bronzeKey, goldKey, goldPendingKey, isCalendarDate, isSnapshotId, parseGoldPendingKey, parseLakeKey, parseSnapshotKey, quarantineKey, refusedCrawlQuarantineKey, silverKey, snapshotIdFor } from '../src/index';

describe('lake keys', () => {
  it('builds the documented layout', () => {
    // act + assess
    const id = snapshotIdFor(new Date('2026-11-29T21:30:00.000Z'));
    expect(id).toBe('20261129T213000Z');
    expect(bronzeKey('2026-11-29', id)).toBe('raw/streams/dt=2026-11-29/20261129T213000Z.parquet');
    expect(silverKey('2026-11-29', id)).toBe('silver/streams/dt=2026-11-29/20261129T213000Z.parquet');
    expect(quarantineKey('2026-11-29', id, 'silver')).toBe(
      'quarantine/streams/dt=2026-11-29/20261129T213000Z-silver.parquet',
    );
    expect(goldKey('streams_diario', '2026-11-29')).toBe('gold/streams_diario/dt=2026-11-29/part-0.parquet');
    expect(refusedCrawlQuarantineKey('2026-11-29', id, new Date('2026-11-29T22:05:12.345Z'))).toBe(
      'quarantine/streams/dt=2026-11-29/20261129T213000Z-refused-20261129T220512Z-bronze.parquet',
    );
  });

  it('parses a key back into date and snapshot id', () => {
    // act + assess
    expect(parseLakeKey('raw/streams/dt=2026-11-29/20261129T213000Z.parquet')).toEqual({
      dt: '2026-11-29',
      snapshotId: '20261129T213000Z',
    });
    expect(parseLakeKey('raw/streams/dt=2026-11-29/.tmp-abc')).toBeUndefined();
  });

  it('takes only names a snapshot id could be for snapshot objects, not files copied in by hand', () => {
    // act + assess
    expect(parseSnapshotKey('silver/streams/dt=2026-11-29/20261129T213000Z.parquet')).toEqual({ dt: '2026-11-29', snapshotId: '20261129T213000Z' });
    for (const name of ['20261129T213000Z-copy', 'my_export', 'part-0', '20261129T2130Z']) {
      expect(parseSnapshotKey(`raw/streams/dt=2026-11-29/${name}.parquet`)).toBeUndefined();
      expect(isSnapshotId(name)).toBe(false);
    }
    expect(isSnapshotId(snapshotIdFor(new Date('2026-11-29T21:30:00Z')))).toBe(true);
  });

  it('builds and parses back the marker of a silver object gold has not folded in', () => {
    // prepare
    const key = goldPendingKey('2026-11-29', '20261129T213000Z');
    // act
    const parsed = parseGoldPendingKey(key);
    // assess
    expect(key).toBe('pending/gold/dt=2026-11-29/20261129T213000Z.json');
    expect(parsed).toEqual({ dt: '2026-11-29', snapshotId: '20261129T213000Z' });
    expect(parseGoldPendingKey('pending/gold/dt=2026-11-29/.tmp-abc')).toBeUndefined();
    expect(parseGoldPendingKey('silver/streams/dt=2026-11-29/20261129T213000Z.json')).toBeUndefined();
  });

  it('takes no day the calendar lacks as a partition date, built or parsed', () => {
    // act + assess
    expect(() => bronzeKey('2026-13-01', '20261129T213000Z')).toThrow(/invalid partition date "2026-13-01"/);
    expect(() => silverKey('2026-02-30', '20260230T213000Z')).toThrow(/invalid partition date/);
    expect(parseLakeKey('silver/streams/dt=2026-13-01/20261129T213000Z.parquet')).toBeUndefined();
    expect(parseLakeKey('silver/streams/dt=2026-02-30/20260230T213000Z.parquet')).toBeUndefined();
    expect(parseGoldPendingKey('pending/gold/dt=2026-00-10/20261129T213000Z.json')).toBeUndefined();
    expect(parseLakeKey('silver/streams/dt=2028-02-29/20280229T213000Z.parquet')).toEqual({ dt: '2028-02-29', snapshotId: '20280229T213000Z' });
  });

  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-11-29T00:00:00Z', false],
    [' 2026-11-29', false],
  ])('tells a day of the calendar: %s is %s', (date, expected) => {
    // act + assess
    expect(isCalendarDate(date)).toBe(expected);
  });

  it('refuses path tricks in dates, ids and table names', () => {
    // act + assess
    expect(() => bronzeKey('../etc', 'x')).toThrow(/invalid partition date/);
    expect(() => silverKey('2026-11-29', '../../x')).toThrow(/invalid snapshot id/);
    expect(() => goldKey('a/b', '2026-11-29')).toThrow(/invalid gold table/);
  });
});
