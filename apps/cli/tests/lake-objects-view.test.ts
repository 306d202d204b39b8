import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardData } from '../src/dashboard/page';
import { LakeSession } from '../src/lake/lake-session';
import { temporaryDataDir } from './support/cli-process';

const OBJECTS = {
  'raw/streams/dt=2026-11-29/20261129T150000Z.parquet': "SELECT 'a' AS user_name",
  'raw/streams/dt=2026-11-29/20261129T153000Z.parquet': "SELECT 'b' AS user_name",
  'silver/streams/dt=2026-11-29/20261129T150000Z.parquet': "SELECT 'a' AS nome_streamer",
  'gold/streamers_diario/dt=2026-11-29/part-0.parquet': "SELECT 'a' AS nome_streamer",
  'gold/streamers_diario/dt=2026-11-30/part-0.parquet': "SELECT 'a' AS nome_streamer",
};

let dataDir: string;

beforeAll(async () => {
  // prepare: a few objects of each layer, and a file no view reads
  dataDir = await temporaryDataDir();
  await withEngine({}, async (engine) => {
    for (const [key, sql] of Object.entries(OBJECTS)) {
      await mkdir(dirname(join(dataDir, 'lake', key)), { recursive: true });
      await engine.copyToParquet(sql, undefined, join(dataDir, 'lake', key));
    }
  });
  await writeFile(join(dataDir, 'lake', 'raw/streams/dt=2026-11-29/notes.txt'), 'mine');
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('lake_objects', () => {
  it('lists every object a lake view reads, with its view, date, snapshot time and size', async () => {
    // act
    const session = await LakeSession.open(dataDir, { reads: [] });
    const listed = await session
      .query('SELECT view, CAST(dt AS VARCHAR), snapshot, CAST(collected_at AS VARCHAR), bytes > 0, key FROM lake_objects ORDER BY key')
      .finally(() => session.close());

    // assess: the stray file is not there
    expect(listed.rows).toEqual([
      ['gold_streamers_diario', '2026-11-29', null, null, true, 'gold/streamers_diario/dt=2026-11-29/part-0.parquet'],
      ['gold_streamers_diario', '2026-11-30', null, null, true, 'gold/streamers_diario/dt=2026-11-30/part-0.parquet'],
      ['bronze_streams', '2026-11-29', '20261129T150000Z', '2026-11-29 15:00:00', true, 'raw/streams/dt=2026-11-29/20261129T150000Z.parquet'],
      ['bronze_streams', '2026-11-29', '20261129T153000Z', '2026-11-29 15:30:00', true, 'raw/streams/dt=2026-11-29/20261129T153000Z.parquet'],
      ['silver_streams', '2026-11-29', '20261129T150000Z', '2026-11-29 15:00:00', true, 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet'],
    ]);
  });

  it("gives the dashboard's data freshness without reading the layers' rows", async () => {
    // act
    const data = await dashboardData({ dataDir, timeZone: 'UTC', warn: () => {} });

    // assess
    const freshness = data.panels.find((panel) => panel.id === 'freshness')!;
    expect(freshness.error).toBeUndefined();
    expect(freshness.rows.slice(0, 3).map((row) => row.slice(0, 2))).toEqual([
      ['bronze', '2026-11-29 15:30 UTC'],
      ['silver', '2026-11-29 15:00 UTC'],
      ['gold', '2026-11-30'],
    ]);
    expect(String(freshness.rows[0]![2])).toMatch(/^2 snapshots, \d+\.\d MB$/);
    expect(freshness.rows[2]![2]).toBe('2 day(s) of aggregates');
  });
});
