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

describe('query --format json of several statements', () => {
  it.each([
    ['rows', `SELECT 1 AS x, 'a/b' AS s UNION ALL SELECT 2, 'line\nbreak'`, '[\n\t{"x":1,"s":"a/b"},\n\t{"x":2,"s":"line\\nbreak"}\n]\n'],
    ['no rows', 'SELECT 1 AS x WHERE false', '[\n\t\n]\n'],
  ])('lays out %s as one query does, one object per line, as DuckDB writes them', async (_, sql, expected) => {
    // prepare: formatted one by one, the rows were indented over several lines each
    const env = cliEnv(dataDir);

    // act
    const single = await runInProcess(['query', sql, '--format', 'json'], env);
    const several = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'json'], env);

    // assess
    expect([single.code, single.stderr]).toEqual([0, '']);
    expect(single.stdout).toBe(expected);
    expect(several.stdout).toBe(single.stdout);
  });
});
