import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { BRONZE_TIME_ZONE_KEY, bronzeKey, bronzeStreamRowSchema, goldPendingKey, silverKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runSilver } from '../src/index';
import { bronzeRow, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const AT = '2026-11-30T23:30:00Z';
const SNAPSHOT = '20261130T233000Z';

const lake = useTestLake();

/** The slot's bronze object in UTC, written a minute ago, with `channels` streams numbered from `first`. */
async function collectedInUtc(first: number, channels: number): Promise<string> {
  const rows = Array.from({ length: channels }, (_, index) => first + index).map((n) =>
    bronzeRow({ collected_at: AT, id: String(9000 + n), user_id: String(900 + n), user_login: `canal_${n}`, viewer_count: 10 * n }),
  );
  const key = await writeBronzeSnapshot(lake.store, AT, rows, 'UTC');
  const aMinuteAgo = new Date(Date.now() - 60_000);
  await utimes(lake.store.pathOf(key), aMinuteAgo, aMinuteAgo);
  return key;
}

describe('runSilver over a slot collected twice under two dates', () => {
  it('keeps the newer bronze copy, sets the older aside with its silver, and names the older date for gold, given the keys alone', async () => {
    // prepare: the slot in UTC (dt=2026-11-30) with its silver, then again in Tokyo (dt=2026-12-01) a minute later
    const older = await collectedInUtc(1, 2);
    await runSilver({ store: lake.store, timeZone: 'UTC', bronzeKeys: [older] });
    const newer = await writeBronzeSnapshot(
      lake.store,
      AT,
      [1, 2, 3].map((n) => bronzeRow({ collected_at: AT, id: String(9000 + n), user_id: String(900 + n), user_login: `canal_${n}`, viewer_count: 10 * n })),
      'Asia/Tokyo',
    );

    // act: as a rebuild or a backfill calls it, with the keys and no pending ones
    const summary = await runSilver({ store: lake.store, timeZone: 'Asia/Tokyo', bronzeKeys: [older, newer] });

    // assess
    expect([older, newer]).toEqual([bronzeKey('2026-11-30', SNAPSHOT), bronzeKey('2026-12-01', SNAPSHOT)]);
    expect(summary.processed).toMatchObject([{ bronzeKey: newer, rowsIn: 3 }]);
    expect(summary.corrupt).toEqual([
      {
        key: older,
        reason: `superseded by ${newer}, a later collection of the same slot under another date (the time zone changed)`,
        action: 'quarantined',
        movedTo: `quarantine/corrupt/${older}`,
        supersededBy: newer,
      },
    ]);
    expect(summary.dates).toContain('2026-11-30');
    expect(summary.dates).toContain('2026-12-01');
    expect(await lake.store.exists(older)).toBe(false);
    expect(await lake.store.exists(`quarantine/corrupt/${older}`)).toBe(true);
    expect(await lake.store.exists(silverKey('2026-11-30', SNAPSHOT))).toBe(false);
    expect(await lake.store.exists(silverKey('2026-12-01', SNAPSHOT))).toBe(true);
    expect(await lake.store.exists(goldPendingKey('2026-11-30', SNAPSHOT))).toBe(true);
  });

  it('keeps the copy the extract wrote when a newer copy was put by hand into another date folder, and sets that one aside as misplaced', async () => {
    // prepare: the slot collected in UTC, then its bytes copied by hand under dt=2026-12-01
    const original = await collectedInUtc(101, 2);
    const copy = bronzeKey('2026-12-01', SNAPSHOT);
    await lake.store.put(copy, await lake.store.get(original));

    // act
    const summary = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // assess
    expect(summary.processed).toMatchObject([{ bronzeKey: original, rowsIn: 2 }]);
    expect(summary.corrupt.map((object) => object.key)).toEqual([copy]);
    expect(summary.corrupt[0]!.reason).not.toMatch(/superseded/);
    expect(await lake.store.exists(original)).toBe(true);
    expect(await lake.store.exists(silverKey('2026-11-30', SNAPSHOT))).toBe(true);
  });

  it('keeps the readable copy when the newer one cannot be read, and sets that one aside as unreadable', async () => {
    // prepare: the slot collected in UTC, then a torn file under the Tokyo date's key
    const original = await collectedInUtc(201, 2);
    const torn = bronzeKey('2026-12-01', SNAPSHOT);
    await lake.store.put(torn, 'PAR1 torn');

    // act
    const summary = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // assess
    expect(summary.processed).toMatchObject([{ bronzeKey: original, rowsIn: 2 }]);
    expect(summary.corrupt.map((object) => object.key)).toEqual([torn]);
    expect(summary.corrupt[0]!.reason).not.toMatch(/superseded/);
    expect(await lake.store.exists(original)).toBe(true);
  });
  it('keeps the readable copy when the newer one names a time zone DuckDB does not know, and silver names that one', async () => {
    // prepare: the slot collected in UTC, then a copy under the Tokyo date's key whose footer names no real zone
    const original = await collectedInUtc(301, 2);
    const copy = bronzeKey('2026-12-01', SNAPSHOT);
    const folder = await mkdtemp(join(tmpdir(), 'unknown-zone-'));
    const path = join(folder, `${SNAPSHOT}.parquet`);
    await withEngine({}, (engine) =>
      engine.writeRowsToParquet([bronzeRow({ collected_at: AT, id: '9301', user_id: '301', user_login: 'canal_301' })], bronzeStreamRowSchema, path, {
        [BRONZE_TIME_ZONE_KEY]: 'Mars/Olympus_Mons',
      }),
    );
    await lake.store.putFile(copy, path);
    await rm(folder, { recursive: true, force: true });

    // act
    const summary = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // assess
    expect(summary.processed.map((object) => object.bronzeKey)).toContain(original);
    expect(summary.corrupt.map((object) => object.reason).join('\n')).not.toMatch(/superseded/);
    expect(summary.failed).toEqual([{ bronzeKey: copy, error: expect.stringMatching(/Unknown TimeZone 'Mars\/Olympus_Mons'/) }]);
    expect(await lake.store.exists(original)).toBe(true);
    expect(await lake.store.exists(silverKey('2026-11-30', SNAPSHOT))).toBe(true);
  });
});
