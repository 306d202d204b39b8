import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bronzeStreamRowSchema, quarantineRowSchema } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowAppendError, withEngine } from '../src/index';

const quarantined = (record: string, collectedAt = '2026-11-29T09:00:00-03:00') => ({
  snapshot_id: '20261129T120000Z',
  layer: 'bronze',
  reason: 'viewer_count: expected number',
  record,
  collected_at: collectedAt,
});

describe('RowAppender (through writeRowsToParquet)', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'row-appender-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('stores any JavaScript string as given: NUL and control characters, 100 kB, a lone surrogate as U+FFFD', async () => {
    // Prepare: a lone surrogate made a whole NDJSON file unreadable for read_json before the appender.
    const texts = ['tab\tnul\u0000bell\u0007', 'x'.repeat(100_000), JSON.parse('"a\\ud800b"') as string, 'olá 🎮'];
    const path = join(directory, 'texts.parquet');

    // Act
    const rows = await withEngine({}, async (engine) => {
      await engine.writeRowsToParquet(texts.map((text) => quarantined(text)), quarantineRowSchema, path);
      return engine.all<{ record: string; collected_at: Date }>('SELECT record, collected_at FROM read_parquet($path)', { path });
    });

    // Assess
    expect(rows.map((row) => row.record)).toEqual([texts[0], texts[1], 'a\ufffdb', texts[3]]);
    expect(rows[0]?.collected_at).toEqual(new Date('2026-11-29T12:00:00Z'));
  });

  it('writes more rows than one data chunk holds, in order', async () => {
    // Prepare
    const path = join(directory, 'many.parquet');
    const many = Array.from({ length: 5000 }, (_, index) => quarantined(String(index)));

    // Act
    const [summary] = await withEngine({}, async (engine) => {
      await engine.writeRowsToParquet(many, quarantineRowSchema, path);
      return engine.all<{ n: number; ordered: boolean }>(
        'SELECT count(*) AS n, bool_and(CAST(record AS INTEGER) = file_row_number) AS ordered FROM read_parquet($path, file_row_number = true)',
        { path },
      );
    });

    // Assess
    expect(summary).toEqual({ n: 5000, ordered: true });
  });

  it('refuses a value of the wrong type with the row and column, and writes no file', async () => {
    // Prepare
    const path = join(directory, 'bad.parquet');
    const rows = [quarantined('ok'), { ...quarantined('bad'), record: 42 }];

    // Act
    const outcome = withEngine({}, (engine) => engine.writeRowsToParquet(rows, quarantineRowSchema, path));

    // Assess
    await expect(outcome).rejects.toThrow(RowAppendError);
    await expect(outcome).rejects.toThrow('row 1, column record: expected a string, received number');
  });

  it('refuses a list holding anything but strings', async () => {
    // Prepare
    const path = join(directory, 'bad-list.parquet');
    const rows = [{ id: '1', tags: ['pt', 'BR'] }, { id: '2', tags: ['pt', 7] }];

    // Act
    const outcome = withEngine({}, (engine) => engine.writeRowsToParquet(rows, bronzeStreamRowSchema, path));

    // Assess
    await expect(outcome).rejects.toThrow('row 1, column tags: expected a list of strings, received array');
  });

  it('refuses an unparsable timestamp', async () => {
    // Prepare
    const path = join(directory, 'bad-time.parquet');

    // Act
    const outcome = withEngine({}, (engine) => engine.writeRowsToParquet([quarantined('x', 'yesterday')], quarantineRowSchema, path));

    // Assess
    await expect(outcome).rejects.toThrow(/column collected_at: expected an ISO-8601 timestamp/);
  });
});
