import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bronzeStreamRowSchema, type BronzeStreamRow, columnNames } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, withEngine } from '../src/index';

const row = (overrides: Partial<BronzeStreamRow> = {}): BronzeStreamRow => ({
  id: '1',
  user_id: '10',
  user_login: 'alice',
  user_name: 'Alice ✨',
  game_id: '509658',
  game_name: 'Just Chatting',
  type: 'live',
  title: 'olá 🎮',
  tags: ['Português'],
  viewer_count: 42,
  started_at: '2026-11-29T10:00:00Z',
  language: 'pt',
  thumbnail_url: 'https://example.invalid/{width}x{height}.jpg',
  tag_ids: null,
  is_mature: false,
  snapshot_id: '20261129T120000Z',
  collected_at: '2026-11-29T12:00:00.000Z',
  query_language: 'pt',
  collection_interval_minutes: 30,
  ...overrides,
});

describe('DuckDbEngine', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('binds parameters instead of splicing them', async () => {
    // prepare
    const hostile = "'; DROP TABLE x; --";
    // act
    const rows = await withEngine({}, (engine) => engine.all('SELECT $value AS v, 2::BIGINT AS n', { value: hostile }));
    // assess
    expect(rows).toEqual([{ v: hostile, n: 2 }]);
  });

  it('writes schema-typed rows to Parquet and reads them back unchanged', async () => {
    // prepare
    const path = join(directory, 'bronze.parquet');
    const rows = [row(), row({ id: '2', user_login: 'bob', tags: null, collected_at: '2026-11-29T15:00:00+03:00' })];

    // act
    const readBack = await withEngine({ memoryLimit: '256MB', threads: 1 }, async (engine) => {
      await engine.writeRowsToParquet(rows, bronzeStreamRowSchema, path);
      return {
        types: await engine.all('SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($path))', {
          path,
        }),
        values: await engine.all(
          "SELECT id, tags, viewer_count, strftime(collected_at, '%Y-%m-%dT%H:%M:%SZ') AS collected_at, title FROM read_parquet($path) ORDER BY id",
          { path },
        ),
      };
    });

    // assess
    expect(readBack.types.map((t) => t.column_name)).toEqual(columnNames(bronzeStreamRowSchema));
    expect(Object.fromEntries(readBack.types.map((t) => [t.column_name, t.column_type]))).toMatchObject({
      collected_at: 'TIMESTAMP',
      viewer_count: 'BIGINT',
      tags: 'VARCHAR[]',
    });
    expect(readBack.values).toEqual([
      { id: '1', tags: ['Português'], viewer_count: 42, collected_at: '2026-11-29T12:00:00Z', title: 'olá 🎮' },
      { id: '2', tags: null, viewer_count: 42, collected_at: '2026-11-29T12:00:00Z', title: 'olá 🎮' },
    ]);
  });

  it('writes an empty file with the full schema when there are no rows', async () => {
    // prepare
    const path = join(directory, 'empty.parquet');
    const engine = await DuckDbEngine.open();
    // act
    await engine.writeRowsToParquet([], bronzeStreamRowSchema, path);
    const [count] = await engine.all('SELECT count(*) AS n FROM read_parquet($path)', { path });
    const columns = await engine.all('DESCRIBE SELECT * FROM read_parquet($path)', { path });
    await engine.close();
    // assess
    expect(count).toEqual({ n: 0 });
    expect(columns).toHaveLength(columnNames(bronzeStreamRowSchema).length);
  });

  it('refuses to reach for remote files because extensions never auto-load', async () => {
    // act + assess
    await expect(
      withEngine({}, (engine) => engine.all("SELECT * FROM read_parquet('s3://bucket/key.parquet')")),
    ).rejects.toThrow(/httpfs|extension/i);
  });
});
