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

describe('query of a union or a map', () => {
  it('gives the same JSON whether DuckDB writes the rows or they are formatted one by one (several statements)', async () => {
    // prepare: the Node API's forms were {"tag", "value"} for a union and a list of {key, value} for a map
    const env = cliEnv(dataDir);
    const sql = `SELECT union_value(k := '-x') AS u, [union_value(n := 5)] AS nested, NULL::UNION(n INTEGER, s VARCHAR) AS missing,
      map {'a': 1} AS m, map {[1, 2]: 3} AS list_key, map {TIMESTAMPTZ '2026-07-01 12:00:00+00': union_value(i := INTERVAL '1 day')} AS zoned_key`;

    // act
    const exported = await runInProcess(['query', sql, '--format', 'json'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'json'], env);
    const exportedCsv = await runInProcess(['query', sql, '--format', 'csv'], env);
    const formattedCsv = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'csv'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(JSON.parse(exported.stdout)).toEqual([
      { u: { k: '-x' }, nested: [{ n: 5 }], missing: null, m: { a: 1 }, list_key: { '[1, 2]': 3 }, zoned_key: { '2026-07-01 12:00:00+00': { i: '1 day' } } },
    ]);
    expect(JSON.parse(formatted.stdout)).toEqual(JSON.parse(exported.stdout));
    expect(formattedCsv.stdout).toBe(exportedCsv.stdout);
  });
});
