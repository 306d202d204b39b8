import { rm } from 'node:fs/promises';
import { parquetKeyValues, withEngine } from '@twitch-pipeline/duckdb';
import { bronzeKey, GOLD_TABLES, goldKey, silverKey } from '@twitch-pipeline/schemas';
import type { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goldModelVersion, MODEL_VERSION_KEY, runGold, runSilver, silverModelVersion } from '../src/index';
import { bronzeRow, createTestLake, readRows, rewriteAsEarlierVersion, type TestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const DT = '2026-11-29';
const NEXT_DT = '2026-11-30';
// Three snapshots of 2026-11-29 and the first of the day after (00:30 in São Paulo): gold of
// 2026-11-29 reads that one as its neighbour across midnight.
const TIMES = ['2026-11-29T15:00:00Z', '2026-11-29T15:30:00Z', '2026-11-29T16:00:00Z', '2026-11-30T03:30:00Z'];
const ids = (time: string) => time.replace(/[-:]/g, '').replace(/\.\d{3}Z$|Z$/, 'Z');
const dtOf = (time: string) => (time.startsWith(NEXT_DT) ? NEXT_DT : DT);
const silverKeyOf = (time: string) => silverKey(dtOf(time), ids(time));

async function writeLake(store: LocalObjectStore): Promise<void> {
  for (const [index, collected_at] of TIMES.entries()) {
    const rows = [1, 2, 3].map((n) => bronzeRow({ collected_at, id: String(5000 + n), user_id: String(600 + n), user_login: `canal_${n}`, viewer_count: 100 * n + index }));
    await writeBronzeSnapshot(store, collected_at, rows, TZ);
  }
}

async function footerVersions(store: LocalObjectStore, keys: readonly string[]): Promise<(string | undefined)[]> {
  return withEngine({}, (engine) => parquetKeyValues(engine, keys.map((key) => store.pathOf(key)), MODEL_VERSION_KEY));
}

async function goldRows(store: LocalObjectStore): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of Object.keys(GOLD_TABLES)) rows[table] = await readRows(store, `gold/${table}/dt=${DT}/`, '*');
  return rows;
}

/** Samples gold counted for the date: 3 streams in each of its snapshots that gold read. */
async function samplesInGold(store: LocalObjectStore): Promise<number> {
  const rows = await readRows<{ amostras: number }>(store, `gold/streams_diario/dt=${DT}/`, 'nome_streamer');
  return rows.reduce((sum, row) => sum + Number(row.amostras), 0);
}

let lake: TestLake;

beforeEach(async () => {
  lake = await createTestLake();
  await writeLake(lake.store);
});

afterEach(async () => {
  await lake.dispose();
});

describe('model versions of silver and gold objects', () => {
  it('stamps every silver object and gold partition with the version of the models that wrote it', async () => {
    // prepare
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    // act
    await runGold({ store: lake.store, dates: silver.dates });
    // assess
    expect(silverModelVersion()).toMatch(/^silver:[0-9a-f]{16}$/);
    expect(goldModelVersion()).toMatch(/^gold:[0-9a-f]{16}$/);
    expect(await footerVersions(lake.store, TIMES.map(silverKeyOf))).toEqual(TIMES.map(() => silverModelVersion()));
    const goldKeys = [...Object.keys(GOLD_TABLES), 'melhores_horarios', 'tendencias_diario'].map((table) => goldKey(table, DT));
    expect(await footerVersions(lake.store, goldKeys)).toEqual(goldKeys.map(() => goldModelVersion()));
  });

  it('rebuilds from bronze the silver objects an earlier version wrote, the neighbour across midnight included, before gold reads them', async () => {
    // Prepare: the gold of a lake built by this version, then its silver rewritten as an earlier version wrote it.
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });
    const expected = await goldRows(lake.store);
    for (const time of TIMES) await rewriteAsEarlierVersion(lake.store, silverKeyOf(time));

    // Act: before, this threw "Binder Error: Referenced column "intervalo_coleta_minutos" not found".
    const gold = await runGold({ store: lake.store, dates: [DT], silver: { timeZone: TZ } });

    // Assess
    expect(gold.outdated).toEqual(TIMES.map((time) => ({ key: silverKeyOf(time), found: null, action: 'rebuilt' })));
    expect(await footerVersions(lake.store, TIMES.map(silverKeyOf))).toEqual(TIMES.map(() => silverModelVersion()));
    expect(await goldRows(lake.store)).toEqual(expected);
    expect(gold.corrupt).toEqual([]);
  });

  it('leaves out, and names, an outdated silver object it cannot rebuild, and writes gold from the rest', async () => {
    // Prepare: one outdated object whose bronze object is gone, one that can be rebuilt.
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });
    const [lost, rebuildable] = [TIMES[0]!, TIMES[1]!];
    await rewriteAsEarlierVersion(lake.store, silverKeyOf(lost));
    await rewriteAsEarlierVersion(lake.store, silverKeyOf(rebuildable));
    await rm(lake.store.pathOf(bronzeKey(DT, ids(lost))));

    // Act
    const gold = await runGold({ store: lake.store, dates: [DT], silver: { timeZone: TZ } });

    // Assess
    expect(gold.outdated).toEqual([
      { key: silverKeyOf(lost), found: null, action: 'left out', reason: 'could not be rebuilt from bronze: no such bronze object' },
      { key: silverKeyOf(rebuildable), found: null, action: 'rebuilt' },
    ]);
    expect(await samplesInGold(lake.store)).toBe(6);
    expect(await lake.store.exists(silverKeyOf(lost))).toBe(true);
  });

  it('without the silver settings, leaves every outdated silver object out and says how to rebuild it', async () => {
    // prepare
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });
    await rewriteAsEarlierVersion(lake.store, silverKeyOf(TIMES[2]!));

    // act
    const gold = await runGold({ store: lake.store, dates: [DT] });

    // assess
    expect(gold.outdated).toEqual([{ key: silverKeyOf(TIMES[2]!), found: null, action: 'left out', reason: expect.stringContaining('run `rebuild`') }]);
    expect(await samplesInGold(lake.store)).toBe(6);
    expect(await footerVersions(lake.store, [silverKeyOf(TIMES[2]!)])).toEqual([undefined]);
  });
});
