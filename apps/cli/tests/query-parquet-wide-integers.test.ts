import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runInProcess, temporaryDataDir } from './support/cli-process';

let dataDir: string;
let folder: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
  folder = await mkdtemp(join(tmpdir(), 'query-parquet-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

async function readBack(path: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const sql = 'SELECT CAST(total AS VARCHAR), typeof(total) FROM read_parquet($path)';
    return (await connection.runAndReadAll(sql, { path })).getRowsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('query --out FILE.parquet of a 128-bit integer', () => {
  it('keeps every digit of a sum of integers, which the Parquet writer made a DOUBLE', async () => {
    // prepare: sum() of BIGINT is a HUGEINT; 2^53 + 1 is the first integer a double cannot hold
    const file = join(folder, 'sums.parquet');
    const sql = 'SELECT sum(n) AS total FROM (VALUES (9007199254740992), (1)) AS v(n)';

    // act
    const result = await runInProcess(['query', sql, '--out', file], cliEnv(dataDir));

    // assess
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(await readBack(file)).toEqual([['9007199254740993', 'DECIMAL(38,0)']]);
  });
});
