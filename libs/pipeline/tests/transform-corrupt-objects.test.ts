import { writeFile } from 'node:fs/promises';
import { bronzeKey, goldKey, quarantineKey, silverKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corruptObjectKey, pendingBronzeKeys, runGold, runSilver } from '../src/index';
import { bronzeRow, createTestLake, readRows, type TestLake, writeBronzeSnapshot, writeSmallDay } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const DT = '2026-11-29';
const TIMES = ['2026-11-29T15:00:00Z', '2026-11-29T15:30:00Z', '2026-11-29T16:00:00Z'];
const ids = (time: string) => time.replace(/[-:]/g, '').replace(/\.\d{3}Z$|Z$/, 'Z');

const writeDay = (store: ObjectStore) => writeSmallDay(store, TIMES, TZ);

let lake: TestLake;

beforeEach(async () => {
  lake = await createTestLake();
});

afterEach(async () => {
  await lake.dispose();
});

describe('transform steps over unreadable lake objects', () => {
  it('gold leaves out an empty silver object, sets it aside, and the next silver run rebuilds it from bronze', async () => {
    // Prepare: a clean day, its gold figures, then one silver object emptied (a torn write).
    await writeDay(lake.store);
    const first = await runSilver({ store: lake.store, timeZone: TZ });
    const clean = await runGold({ store: lake.store, dates: first.dates });
    const torn = silverKey(DT, ids(TIMES[1]!));
    await writeFile(lake.store.pathOf(torn), '');

    // Act: today's failure was a gold step that threw on this date, every cycle.
    const degraded = await runGold({ store: lake.store, dates: [DT] });
    const pending = await pendingBronzeKeys(lake.store);
    const rebuilt = await runSilver({ store: lake.store, timeZone: TZ });
    const repaired = await runGold({ store: lake.store, dates: rebuilt.dates });

    // Assess
    expect(degraded.corrupt).toEqual([{ key: torn, reason: 'empty file (0 bytes)', action: 'quarantined', movedTo: corruptObjectKey(torn) }]);
    expect(await lake.store.exists(corruptObjectKey(torn))).toBe(true);
    expect(degraded.tables.streams_diario).toBeGreaterThan(0);
    expect(pending).toEqual([bronzeKey(DT, ids(TIMES[1]!))]);
    expect(rebuilt.processed.map((result) => result.silverKey)).toEqual([torn]);
    expect(repaired.corrupt).toEqual([]);
    expect(repaired.tables).toEqual(clean.tables);
    const silver = await readRows(lake.store, `silver/streams/dt=${DT}/`, 'id_snapshot, id_stream');
    expect(silver).toHaveLength(9);
  });

  it('gold sets aside the neighbouring date\'s silver object it went without when that one is unreadable', async () => {
    // Prepare: the day, plus one snapshot just after midnight (local time) whose silver is then torn
    await writeDay(lake.store);
    const after = '2026-11-30T03:30:00Z';
    const rows = [1, 2].map((n) => bronzeRow({ collected_at: after, id: String(5000 + n), user_id: String(600 + n), user_login: `canal_${n}`, viewer_count: 100 * n }));
    await writeBronzeSnapshot(lake.store, after, rows, TZ);
    await runSilver({ store: lake.store, timeZone: TZ });
    const neighbour = silverKey('2026-11-30', ids(after));
    await writeFile(lake.store.pathOf(neighbour), 'PAR1 torn');

    // Act
    const gold = await runGold({ store: lake.store, dates: [DT] });

    // Assess: named and moved aside, so the next silver run rebuilds it, and the date still built
    expect(gold.corrupt).toEqual([
      { key: neighbour, reason: 'truncated: 9 bytes is smaller than any Parquet file', action: 'quarantined', movedTo: corruptObjectKey(neighbour) },
    ]);
    expect(await lake.store.exists(neighbour)).toBe(false);
    expect(await pendingBronzeKeys(lake.store)).toEqual([bronzeKey('2026-11-30', ids(after))]);
    expect(gold.tables.streams_diario).toBeGreaterThan(0);
  });

  it('counts an empty silver object of any date as missing, so its snapshot is pending and rebuilt', async () => {
    // Prepare
    await writeDay(lake.store);
    await runSilver({ store: lake.store, timeZone: TZ });
    const emptied = silverKey(DT, ids(TIMES[0]!));
    await writeFile(lake.store.pathOf(emptied), '');

    // Act
    const pending = await pendingBronzeKeys(lake.store);
    const rebuilt = await runSilver({ store: lake.store, timeZone: TZ });

    // Assess
    expect(pending).toEqual([bronzeKey(DT, ids(TIMES[0]!))]);
    expect(rebuilt.processed.map((result) => result.silverKey)).toEqual([emptied]);
    expect((await lake.store.list(emptied))[0]?.size).toBeGreaterThan(12);
  });

  it('silver moves a truncated bronze object to quarantine with its bytes and a reason, and transforms the rest', async () => {
    // Prepare
    const keys = await writeDay(lake.store);
    const bad = keys[2]!;
    const bytes = await lake.store.get(bad);
    const truncated = bytes.slice(0, Math.floor(bytes.length / 2));
    await lake.store.put(bad, truncated);

    // Act: today this object failed the silver step of every cycle.
    const summary = await runSilver({ store: lake.store, timeZone: TZ });

    // Assess
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toHaveLength(2);
    expect(summary.rowsIn).toBe(summary.rowsOut + summary.quarantined);
    expect(summary.corrupt).toEqual([
      { key: bad, reason: expect.stringMatching(/^truncated or torn: no PAR1 magic at the end/), action: 'quarantined', movedTo: corruptObjectKey(bad) },
    ]);
    expect(await lake.store.exists(bad)).toBe(false);
    expect(await lake.store.get(corruptObjectKey(bad))).toEqual(truncated);
    const reason = JSON.parse(new TextDecoder().decode(await lake.store.get(`${corruptObjectKey(bad)}.reason.json`)));
    expect(reason).toMatchObject({ key: bad, reason: summary.corrupt[0]!.reason });
    expect(await lake.store.exists(quarantineKey(DT, ids(TIMES[2]!), 'silver'))).toBe(false);
    expect(await pendingBronzeKeys(lake.store)).toEqual([]);
  });

  it('gold skips an unreadable earlier gold partition in the trends window instead of failing the date', async () => {
    // Prepare
    await writeDay(lake.store);
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const earlier = goldKey('streamers_diario', '2026-11-28');
    await lake.store.put(earlier, 'PAR1 not really');

    // Act
    const gold = await runGold({ store: lake.store, dates: silver.dates });

    // Assess
    expect(gold.corrupt).toEqual(expect.arrayContaining([{ key: earlier, reason: expect.stringContaining('truncated'), action: 'skipped' }]));
    expect(gold.tables.tendencias_diario).toBeGreaterThan(0);
  });
});

describe('gold step under a concurrent silver writer', () => {
  it('rebuilds a date again when another run adds a silver object while gold is being written', async () => {
    // Prepare: silver for two snapshots; the third lands (as another run would) right after gold publishes its first object.
    const keys = await writeDay(lake.store);
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: keys.slice(0, 2) });
    let raced = false;
    const racing: ObjectStore = {
      location: lake.store.location,
      put: (key, body) => lake.store.put(key, body),
      putFile: async (key, path) => {
        await lake.store.putFile(key, path);
        if (!raced && key.startsWith('gold/')) {
          raced = true;
          await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [keys[2]!] });
        }
      },
      get: (key) => lake.store.get(key),
      getFile: (key, path) => lake.store.getFile(key, path),
      list: (prefix) => lake.store.list(prefix),
      exists: (key) => lake.store.exists(key),
      delete: (key) => lake.store.delete(key),
      deleteIfUnchanged: (object) => lake.store.deleteIfUnchanged(object),
    };

    // Act
    await runGold({ store: racing, dates: [DT] });

    // Assess: every sample of the three snapshots is in the published partition.
    const gold = await readRows<{ amostras: number }>(lake.store, `gold/streamers_diario/dt=${DT}/`, 'nome_streamer');
    expect(raced).toBe(true);
    expect(gold.reduce((sum, row) => sum + Number(row.amostras), 0)).toBe(9);
  });
});
