import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { bronzeKey } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { LakeObjectCheck } from '../src/lake/lake-object-check';
import { LakeSession } from '../src/lake/lake-session';
import { LAKE_VIEWS, viewStatement } from '../src/lake/views';
import { useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();
const BRONZE = LAKE_VIEWS.find((view) => view.name === 'bronze_streams')!;

/** Bronze objects written from `selects`, one per snapshot of 2026-11-29 from 10:00 on, half-hourly. */
async function bronzeLake(selects: readonly string[]): Promise<string> {
  const dataDir = await dataDirectory();
  await withEngine({}, async (engine) => {
    for (const [index, sql] of selects.entries()) {
      const minutes = 600 + 30 * index;
      const snapshot = `20261129T${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}00Z`;
      const path = join(dataDir, 'lake', bronzeKey('2026-11-29', snapshot));
      await mkdir(dirname(path), { recursive: true });
      await engine.copyToParquet(sql, undefined, path);
    }
  });
  return dataDir;
}

describe('a lake view over objects of one schema or of several', () => {
  it('reads objects of one schema by the first one’s columns, whatever order each file holds them in', async () => {
    // prepare
    const dataDir = await bronzeLake(["SELECT 'ana' AS user_name, 10::BIGINT AS viewer_count", "SELECT 20::BIGINT AS viewer_count, 'bia' AS user_name"]);
    const store = new LocalObjectStore(join(dataDir, 'lake'));
    const check = await LakeObjectCheck.open(store, join(dataDir, 'cache', 'lake-objects.json'));

    // act
    const { sql } = await viewStatement(BRONZE, store, check);
    await check.close();
    const session = await LakeSession.open(dataDir, { warn: () => {} });
    const rows = await session.query('SELECT user_name, viewer_count FROM bronze_streams ORDER BY user_name').finally(() => session.close());

    // assess: one read_parquet, not by name (which opens every footer whenever a query binds)
    expect(sql).toContain('union_by_name = false');
    expect(sql).not.toContain('UNION ALL');
    expect(rows.rows).toEqual([
      ['ana', 10],
      ['bia', 20],
    ]);
  });

  it('joins objects of another schema by name, a column they lack read as null', async () => {
    // prepare: an older object without viewer_count, and one with a column of its own
    const dataDir = await bronzeLake([
      "SELECT 'ana' AS user_name, 10::BIGINT AS viewer_count",
      "SELECT 'old' AS user_name",
      "SELECT 'new' AS user_name, 30::BIGINT AS viewer_count, true AS is_mature",
    ]);

    // act
    const session = await LakeSession.open(dataDir, { warn: () => {} });
    const rows = await session.query('SELECT user_name, viewer_count, is_mature FROM bronze_streams ORDER BY user_name').finally(() => session.close());

    // assess
    expect(rows.rows).toEqual([
      ['ana', 10, null],
      ['new', 30, true],
      ['old', null, null],
    ]);
  });
});
