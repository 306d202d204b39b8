import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runInProcess, temporaryDataDir } from './support/cli-process';

let dataDir: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('query --format csv of numbers and dates that start with a minus', () => {
  it('writes them as DuckDB does, unguarded, whether DuckDB writes the rows or they are formatted one by one', async () => {
    // prepare: a number too wide for a JS number, or an infinite date, came as text and was guarded as text
    const env = cliEnv(dataDir);
    const sql = `SELECT -170141183460469231731687303715884105727::HUGEINT AS h, -12345678901234567890.5::DECIMAL(38, 1) AS d,
      -9223372036854775807::BIGINT AS b, '-infinity'::DATE AS day, '-infinity'::TIMESTAMP AS ts, '-5' AS t`;

    // act
    const exported = await runInProcess(['query', sql, '--format', 'csv'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'csv'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toBe(`h,d,b,day,ts,t\n-170141183460469231731687303715884105727,-12345678901234567890.5,-9223372036854775807,-infinity,-infinity,'-5\n`);
    expect(formatted.stdout).toBe(exported.stdout);
  });
});
