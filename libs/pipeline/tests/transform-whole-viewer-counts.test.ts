import { rename } from 'node:fs/promises';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { quarantineKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { readBronzeEvents, runSilver } from '../src/index';
import { bronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

// The extract writes viewer_count as BIGINT; a foreign writer's DOUBLE column can carry values no
// BIGINT holds. Silver's espectadores would round them while horas_assistidas kept the fraction,
// so both silver and the real-time path set such rows aside under one reason.
const TZ = 'America/Sao_Paulo';
const COLLECTED_AT = '2026-11-29T15:00:00Z';
const COUNTS: Record<string, string> = { '1': '12.0', '2': '1.5', '3': "'NaN'", '4': '1e30' };

describe('a bronze object whose viewer_count column is a DOUBLE', () => {
  const lake = useTestLake();

  it('quarantines the counts that are not whole numbers, in silver and in the real-time path alike', async () => {
    // prepare
    const rows = Object.keys(COUNTS).map((id) => bronzeRow({ id, user_id: `u${id}`, user_login: `canal${id}`, collected_at: COLLECTED_AT }));
    const key = await writeBronzeSnapshot(lake.store, COLLECTED_AT, rows, TZ);
    const path = lake.store.pathOf(key);
    const counts = Object.entries(COUNTS)
      .map(([id, value]) => `WHEN '${id}' THEN CAST(${value} AS DOUBLE)`)
      .join(' ');
    await withEngine({}, (engine) =>
      engine.run(
        `COPY (SELECT * REPLACE (CASE id ${counts} END AS viewer_count) FROM read_parquet(${sqlString(path)}))
           TO ${sqlString(`${path}.retyped`)} (FORMAT parquet)`,
      ),
    );
    await rename(`${path}.retyped`, path);

    // act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const events = await readBronzeEvents(lake.store, key, { timeZone: TZ });

    // assess
    expect(silver.failed).toEqual([]);
    expect(silver.processed).toMatchObject([{ rowsIn: 4, rowsOut: 1, quarantined: 3 }]);
    const [kept] = await readRows<{ id_stream: string; espectadores: number; horas_assistidas: number; intervalo_minutos: number }>(
      lake.store,
      'silver/',
      'id_stream',
    );
    expect(kept).toMatchObject({ id_stream: '1', espectadores: 12 });
    expect(kept!.horas_assistidas).toBeCloseTo((12 * kept!.intervalo_minutos) / 60, 9);
    const quarantined = await readRows<{ reason: string; record: string }>(lake.store, quarantineKey('2026-11-29', '20261129T150000Z', 'silver'), 'record');
    expect(quarantined.map((row) => [JSON.parse(row.record).id, row.reason])).toEqual([
      ['2', 'viewer_count not a whole number'],
      ['3', 'viewer_count not a whole number'],
      ['4', 'viewer_count not a whole number'],
    ]);
    expect(quarantined.map((row) => JSON.parse(row.record).viewer_count)).toEqual([1.5, 'nan', 1e30]);
    expect(events.events.map((event) => [event.id_stream, event.espectadores])).toEqual([['1', 12]]);
    expect(events.skipped).toEqual({ 'viewer_count not a whole number': 3 });
  });
});
