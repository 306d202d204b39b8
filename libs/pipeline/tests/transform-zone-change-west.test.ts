import { bronzeKey, silverKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { datesToRebuildByKey, goldNeighbourKeys } from '../src/transform/silver-neighbours';
import { bronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const lake = useTestLake();

/** Every hour from 22:00 UTC on December 1 to 03:00 UTC on December 2. */
const TIMES = ['2026-12-01T22:00:00Z', '2026-12-01T23:00:00Z', '2026-12-02T00:00:00Z', '2026-12-02T01:00:00Z', '2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z'];
/** The collector's zone moves from UTC to São Paulo (three hours west) before the 01:00 UTC slot. */
const zoneAt = (at: string) => (Date.parse(at) < Date.parse('2026-12-02T01:00:00Z') ? 'UTC' : 'America/Sao_Paulo');

describe('gold across a change of PIPELINE_TIMEZONE to the west', () => {
  it('counts every hour of a broadcast once when the slots after the change land under the earlier date', async () => {
    // prepare: one broadcast of 100 viewers from 21:50 UTC, live in every hourly slot, each cycle run as `run` runs it
    const broadcast = (at: string) =>
      bronzeRow({ collected_at: at, id: '7001', user_id: '8001', user_login: 'canal_oeste', viewer_count: 100, started_at: '2026-12-01T21:50:00Z', collection_interval_minutes: 60 });
    const dates = new Set<string>();

    // act
    for (const at of TIMES) {
      const key = await writeBronzeSnapshot(lake.store, at, [broadcast(at)], zoneAt(at));
      const silver = await runSilver({ store: lake.store, timeZone: zoneAt(at), bronzeKeys: [key], includePending: true });
      const gold = await runGold({ store: lake.store, dates: silver.dates, includePending: true, silver: { timeZone: zoneAt(at) } });
      expect(gold.failed).toEqual([]);
      for (const date of gold.dates) dates.add(date);
    }
    const streams = await readRows<{ data: Date; horas_assistidas: number }>(lake.store, 'gold/streams_diario/', 'data, periodo_dia');

    // assess: the 00:00 UTC slot is dated December 2 (UTC), the 01:00 and 02:00 ones December 1 (São Paulo)
    expect(await lake.store.exists(bronzeKey('2026-12-02', '20261202T000000Z'))).toBe(true);
    expect(await lake.store.exists(bronzeKey('2026-12-01', '20261202T020000Z'))).toBe(true);
    expect([...dates].sort()).toEqual(['2026-12-01', '2026-12-02']);
    // each hour on the date it happened in, in the zone of the sample that starts it: December 1
    // gets the lead-in from 21:50, 22:00 to 00:00 (UTC) and 01:00 to 03:00 (22:00 to 00:00 in São
    // Paulo); December 2 gets 00:00 to 01:00 (UTC); the 03:00 sample is the newest, still open
    const hoursOf = (date: string) => streams.filter((row) => row.data.toISOString().startsWith(date)).reduce((sum, row) => sum + row.horas_assistidas, 0);
    expect(hoursOf('2026-12-01')).toBeCloseTo(100 * (10 / 60 + 4), 6);
    expect(hoursOf('2026-12-02')).toBeCloseTo(100 * 1, 6);
  });
});

describe('goldNeighbourKeys', () => {
  const key = (dt: string, id: string) => silverKey(dt, id);

  it('takes the last snapshot before a date and the first after it when the dates do not overlap', () => {
    // prepare
    const own = [key('2026-11-30', '20261130T030000Z'), key('2026-11-30', '20261201T023000Z')];
    const before = [key('2026-11-29', '20261130T000000Z'), key('2026-11-29', '20261130T023000Z')];
    const after = [key('2026-12-01', '20261201T030000Z'), key('2026-12-01', '20261201T033000Z')];

    // act
    const neighbours = goldNeighbourKeys(own, before, after);

    // assess
    expect(neighbours).toEqual([before[1], after[0]]);
  });

  it('also takes the snapshots of the day after collected between the first and last of the date', () => {
    // prepare: 00:00 and 00:30 UTC of December 1 dated in UTC, the hours after them in São Paulo
    const own = [key('2026-11-30', '20261130T030000Z'), key('2026-11-30', '20261201T010000Z'), key('2026-11-30', '20261201T023000Z')];
    const after = [key('2026-12-01', '20261201T000000Z'), key('2026-12-01', '20261201T003000Z'), key('2026-12-01', '20261201T030000Z')];

    // act
    const neighbours = goldNeighbourKeys(own, [], after);

    // assess
    expect(neighbours).toEqual(after);
  });

  it('takes the nearest snapshot of each side for a date with no silver of its own', () => {
    // prepare
    const before = [key('2026-11-29', '20261130T000000Z'), key('2026-11-29', '20261130T023000Z')];
    const after = [key('2026-12-01', '20261201T030000Z'), key('2026-12-01', '20261201T033000Z')];

    // act
    const neighbours = goldNeighbourKeys([], before, after);

    // assess
    expect(neighbours).toEqual([before[1], after[0]]);
  });
});

describe('datesToRebuildByKey across a change of PIPELINE_TIMEZONE to the west', () => {
  it('names the other date for every snapshot that date reads, not only the first and last of each', async () => {
    // prepare: the layout of the broadcast above, each key's bytes irrelevant (only listed)
    const keys = {
      '22:00': silverKey('2026-12-01', '20261201T220000Z'),
      '23:00': silverKey('2026-12-01', '20261201T230000Z'),
      '00:00': silverKey('2026-12-02', '20261202T000000Z'),
      '01:00': silverKey('2026-12-01', '20261202T010000Z'),
      '02:00': silverKey('2026-12-01', '20261202T020000Z'),
      '03:00': silverKey('2026-12-02', '20261202T030000Z'),
    };
    for (const key of Object.values(keys)) await lake.store.put(key, 'listed only');

    // act
    const dates = await datesToRebuildByKey(lake.store, Object.values(keys));

    // assess: only 22:00 is read by its own date alone; 03:00 ends the tail of 02:00 (December 1)
    expect(Object.fromEntries(Object.entries(keys).map(([time, key]) => [time, dates.get(key)]))).toEqual({
      '22:00': ['2026-12-01'],
      '23:00': ['2026-12-01', '2026-12-02'],
      '00:00': ['2026-12-01', '2026-12-02'],
      '01:00': ['2026-12-01', '2026-12-02'],
      '02:00': ['2026-12-01', '2026-12-02'],
      '03:00': ['2026-12-01', '2026-12-02'],
    });
  });
});

