import { open, readFile, rename } from 'node:fs/promises';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { bronzeKey, goldKey, silverKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corruptObjectKey, runGold, runSilver } from '../src/index';
import { bronzeRow, createTestLake, type TestLake, writeBronzeSnapshot, writeSmallDay } from './support/transform-lake';

// Objects that read fine but are not what their key says, and objects whose footer is sound but
// whose data pages are damaged: each is set aside with its reason, and gold stays the clean day's.
const TZ = 'America/Sao_Paulo';
const DT = '2026-11-29';
const TIMES = ['2026-11-29T15:00:00Z', '2026-11-29T15:30:00Z', '2026-11-29T16:00:00Z'];
const ids = (time: string) => time.replace(/[-:]/g, '').replace(/Z$/, 'Z');

const writeDay = (store: ObjectStore) => writeSmallDay(store, TIMES, TZ);

/** Overwrites every byte between the leading magic and the footer: the pages, not the footer. */
async function damagePages(path: string): Promise<void> {
  const bytes = await readFile(path);
  const footerLength = bytes.readUInt32LE(bytes.length - 8);
  const handle = await open(path, 'r+');
  try {
    const end = bytes.length - 8 - footerLength;
    await handle.write(Buffer.alloc(end - 4, 0xab), 0, end - 4, 4);
  } finally {
    await handle.close();
  }
}

let lake: TestLake;
let cleanTables: Record<string, number>;

beforeEach(async () => {
  // The clean day's gold, in a lake of its own, to compare with.
  const clean = await createTestLake();
  await writeDay(clean.store);
  cleanTables = (await runGold({ store: clean.store, dates: (await runSilver({ store: clean.store, timeZone: TZ })).dates })).tables;
  await clean.dispose();
  lake = await createTestLake();
});

afterEach(async () => {
  await lake.dispose();
});

describe('bronze objects that are not the snapshot their key names', () => {
  it('leaves alone a copy saved under a name that is no snapshot id, sets it aside when named, and gold counts the snapshot once', async () => {
    // Prepare
    const [, second] = await writeDay(lake.store);
    const copy = bronzeKey(DT, `${ids(TIMES[1]!)}-copy`);
    await lake.store.put(copy, await lake.store.get(second!));

    // Act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const gold = await runGold({ store: lake.store, dates: silver.dates });
    const named = await runSilver({ store: lake.store, bronzeKeys: [copy], timeZone: TZ });

    // Assess
    expect(silver.processed).toHaveLength(3);
    expect(silver.corrupt).toEqual([]);
    expect(gold.tables).toEqual(cleanTables);
    expect(named.corrupt).toEqual([
      { key: copy, reason: expect.stringMatching(/^its key names snapshot 20261129T153000Z-copy, which is not a snapshot id/), action: 'quarantined', movedTo: corruptObjectKey(copy) },
    ]);
  });

  it("sets aside a snapshot whose rows name another snapshot, and one moved to another date's folder", async () => {
    // Prepare
    const [first, second] = await writeDay(lake.store);
    const renamed = bronzeKey(DT, '20261129T170000Z');
    await lake.store.put(renamed, await lake.store.get(first!));
    const moved = bronzeKey('2026-11-30', ids(TIMES[1]!));
    await lake.store.put(moved, await lake.store.get(second!));

    // Act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // Assess
    const reasons = Object.fromEntries(silver.corrupt.map((object) => [object.key, object.reason]));
    expect(reasons).toEqual({
      [renamed]: 'its key names snapshot 20261129T170000Z, but 3 of its rows belong to snapshot 20261129T150000Z (a copy or a renamed file?)',
      [moved]: `its key names snapshot 20261129T153000Z, of 2026-11-29 in ${TZ}, but it lies in the partition dt=2026-11-30 (a file moved to another date's folder?)`,
    });
    expect(silver.processed.map((result) => result.bronzeKey).sort()).toEqual(TIMES.map((time) => bronzeKey(DT, ids(time))));
  });
});

describe('a bronze object with columns of other types than the extract writes', () => {
  it('is set aside alone, naming each column that differs, while the other snapshots are transformed', async () => {
    // Prepare: collected_at rewritten as text, viewer_count as a double
    const [, second] = await writeDay(lake.store);
    const path = lake.store.pathOf(second!);
    await withEngine({}, (engine) =>
      engine.run(
        `COPY (SELECT * REPLACE (CAST(collected_at AS VARCHAR) AS collected_at, CAST(viewer_count AS DOUBLE) AS viewer_count) FROM read_parquet(${sqlString(path)})) TO ${sqlString(`${path}.retyped`)} (FORMAT parquet)`,
      ),
    );
    await rename(`${path}.retyped`, path);

    // Act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const again = await runSilver({ store: lake.store, timeZone: TZ });

    // Assess: its bytes kept in quarantine, and the next run has nothing left to fail on
    expect(silver.processed).toHaveLength(2);
    expect(silver.failed).toEqual([]);
    expect(silver.corrupt).toEqual([
      {
        key: second,
        reason: 'its columns are not those the extract writes: viewer_count is DOUBLE, not BIGINT; collected_at is VARCHAR, not TIMESTAMP',
        action: 'quarantined',
        movedTo: corruptObjectKey(second!),
      },
    ]);
    expect(await lake.store.exists(second!)).toBe(false);
    expect(await lake.store.exists(corruptObjectKey(second!))).toBe(true);
    expect([again.processed, again.failed, again.corrupt]).toEqual([[], [], []]);
  });
});

describe('objects whose data pages are damaged behind a sound footer', () => {
  it('silver sets aside such a bronze object instead of failing on it every cycle', async () => {
    // Prepare
    const [, second] = await writeDay(lake.store);
    await damagePages(lake.store.pathOf(second!));

    // Act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const again = await runSilver({ store: lake.store, timeZone: TZ });

    // Assess
    expect(silver.failed).toEqual([]);
    expect(silver.corrupt).toEqual([{ key: second, reason: expect.stringMatching(/^unreadable data: /), action: 'quarantined', movedTo: corruptObjectKey(second!) }]);
    expect(silver.processed).toHaveLength(2);
    expect(again).toMatchObject({ processed: [], failed: [], corrupt: [] });
  });

  it('gold sets aside such a silver object, builds its date without it, and the next cycle folds it back in', async () => {
    // Prepare
    await writeDay(lake.store);
    await runGold({ store: lake.store, dates: (await runSilver({ store: lake.store, timeZone: TZ })).dates });
    const damaged = silverKey(DT, ids(TIMES[1]!));
    await damagePages(lake.store.pathOf(damaged));

    // Act
    const degraded = await runGold({ store: lake.store, dates: [DT] });
    const rebuilt = await runSilver({ store: lake.store, timeZone: TZ });
    const repaired = await runGold({ store: lake.store, dates: rebuilt.dates });

    // Assess
    expect(degraded.failed).toEqual([]);
    expect(degraded.corrupt).toEqual([{ key: damaged, reason: expect.stringMatching(/^unreadable data: /), action: 'quarantined', movedTo: corruptObjectKey(damaged) }]);
    expect(degraded.tables.streams_diario).toBeGreaterThan(0);
    expect(rebuilt.processed.map((result) => result.silverKey)).toEqual([damaged]);
    expect(repaired.tables).toEqual(cleanTables);
  });
});

describe('a gold partition removed by hand', () => {
  it('is rebuilt by the next gold run that takes the dates left pending, though no marker names its date', async () => {
    // Prepare
    await writeDay(lake.store);
    await runGold({ store: lake.store, dates: (await runSilver({ store: lake.store, timeZone: TZ })).dates, includePending: true });
    const removed = goldKey('streamers_diario', DT);
    await lake.store.delete(removed);

    // Act
    const gold = await runGold({ store: lake.store, dates: [], includePending: true });
    const settled = await runGold({ store: lake.store, dates: [], includePending: true });

    // Assess
    expect(gold.dates).toEqual([DT]);
    expect(gold.tables).toEqual(cleanTables);
    expect(await lake.store.exists(removed)).toBe(true);
    expect(settled.dates).toEqual([]);
  });

  it('is rebuilt after the dates asked for, so a stop after one date leaves the newest built, not an old one', async () => {
    // Prepare: three days; the two earlier ones lose a table's partition (as a lake kept from before it existed)
    const days = ['2026-11-27', '2026-11-28', DT];
    for (const day of days) await writeBronzeSnapshot(lake.store, `${day}T15:00:00Z`, [bronzeRow({ collected_at: `${day}T15:00:00Z` })], TZ);
    await runGold({ store: lake.store, dates: (await runSilver({ store: lake.store, timeZone: TZ })).dates, includePending: true });
    for (const day of days.slice(0, 2)) await lake.store.delete(goldKey('canais_hora', day));
    let done = 0;

    // Act: a stop once one date is done, as the Lambda's deadline would
    const gold = await runGold({ store: lake.store, dates: [DT], includePending: true, stop: { get stopping() { return done >= 1; } }, onDateDone: () => { done += 1; } });

    // Assess
    expect(gold.dates).toEqual([DT, '2026-11-27', '2026-11-28']);
    expect(gold.skipped).toEqual(['2026-11-27', '2026-11-28']);
    expect(await lake.store.exists(goldKey('canais_hora', '2026-11-27'))).toBe(false);
  });
});
