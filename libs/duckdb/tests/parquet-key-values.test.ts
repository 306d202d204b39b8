import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, parquetKeyValues } from '../src/index';

let directory: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  // A folder name with a quote, a comma and a space: paths are bound, never spliced into the SQL.
  directory = await mkdtemp(join(tmpdir(), "footer's, kv-"));
  engine = await DuckDbEngine.open({ threads: 1 });
});

afterAll(async () => {
  await engine.close();
  await rm(directory, { recursive: true, force: true });
});

describe('Parquet footer key-value metadata', () => {
  it('writes the pairs given to copyToParquet and reads each file’s value back in the order asked', async () => {
    // prepare
    const stamped = join(directory, 'stamped.parquet');
    const plain = join(directory, 'plain.parquet');
    const other = join(directory, 'other.parquet');
    await engine.copyToParquet('SELECT 1 AS a', undefined, stamped, { model: "silver:it's", other: 'x' });
    await engine.copyToParquet('SELECT 2 AS a', undefined, plain);
    await engine.copyToParquet('SELECT 3 AS a', undefined, other, { other: 'y' });
    // act
    const values = await parquetKeyValues(engine, [plain, stamped, other, stamped], 'model');
    const none = await parquetKeyValues(engine, [], 'model');
    // assess
    expect(values).toEqual([undefined, "silver:it's", undefined, "silver:it's"]);
    expect(none).toEqual([]);
    expect(await engine.all('SELECT a FROM read_parquet($path)', { path: stamped })).toEqual([{ a: 1 }]);
  });
});
