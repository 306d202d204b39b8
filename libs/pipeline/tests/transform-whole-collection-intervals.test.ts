import { rename } from 'node:fs/promises';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { quarantineKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { readBronzeEvents, runSilver } from '../src/index';
import { bronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

// The extract writes collection_interval_minutes as BIGINT; a foreign writer's DOUBLE column can
// carry a fraction, which silver rounded into intervalo_coleta_minutos while its hours watched
// kept it, or a NaN or ±∞, whose cast failed the object and set the whole snapshot aside as one
// of other columns. Such a row is quarantined alone, in silver and in the real-time path alike.
const TZ = 'America/Sao_Paulo';
const COLLECTED_AT = '2026-11-29T15:00:00Z';
const INTERVALS: Record<string, string> = { '1': '30.0', '2': '30.5', '3': "'NaN'", '4': "'Infinity'", '5': '1e30' };

describe('a bronze object whose collection_interval_minutes column is a DOUBLE', () => {
  const lake = useTestLake();

  it('quarantines the intervals that are not whole numbers and transforms the other rows', async () => {
    // prepare
    const rows = Object.keys(INTERVALS).map((id) => bronzeRow({ id, user_id: `u${id}`, user_login: `canal${id}`, collected_at: COLLECTED_AT }));
    const key = await writeBronzeSnapshot(lake.store, COLLECTED_AT, rows, TZ);
    const path = lake.store.pathOf(key);
    const intervals = Object.entries(INTERVALS)
      .map(([id, value]) => `WHEN '${id}' THEN CAST(${value} AS DOUBLE)`)
      .join(' ');
    await withEngine({}, (engine) =>
      engine.run(
        `COPY (SELECT * REPLACE (CASE id ${intervals} END AS collection_interval_minutes) FROM read_parquet(${sqlString(path)}))
           TO ${sqlString(`${path}.retyped`)} (FORMAT parquet)`,
      ),
    );
    await rename(`${path}.retyped`, path);

    // act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const events = await readBronzeEvents(lake.store, key, { timeZone: TZ });

    // assess
    expect(silver.corrupt).toEqual([]);
    expect(silver.failed).toEqual([]);
    expect(silver.processed).toMatchObject([{ rowsIn: 5, rowsOut: 1, quarantined: 4 }]);
    const [kept] = await readRows<{ id_stream: string; intervalo_coleta_minutos: number; intervalo_minutos: number }>(lake.store, 'silver/', 'id_stream');
    expect(kept).toMatchObject({ id_stream: '1', intervalo_coleta_minutos: 30, intervalo_minutos: 30 });
    const quarantined = await readRows<{ reason: string; record: string }>(lake.store, quarantineKey('2026-11-29', '20261129T150000Z', 'silver'), 'record');
    expect(quarantined.map((row) => [JSON.parse(row.record).id, row.reason])).toEqual([
      ['2', 'invalid collection_interval_minutes'],
      ['3', 'invalid collection_interval_minutes'],
      ['4', 'invalid collection_interval_minutes'],
      ['5', 'invalid collection_interval_minutes'],
    ]);
    expect(quarantined.map((row) => JSON.parse(row.record).collection_interval_minutes)).toEqual([30.5, 'nan', 'inf', 1e30]);
    expect(events.events.map((event) => event.id_stream)).toEqual(['1']);
    expect(events.skipped).toEqual({ 'invalid collection_interval_minutes': 4 });
  });
});
