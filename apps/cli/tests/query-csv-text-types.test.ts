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

describe('query --format csv of text that is not a plain VARCHAR', () => {
  it('guards JSON and ENUM cells as the printed statements do, instead of failing on a negative JSON number', async () => {
    // prepare: json_extract returns JSON, whose guarded `'-5` DuckDB cast back to JSON and refused
    const env = cliEnv(dataDir);
    const sql = `SELECT json_extract('{"n": -5}', '$.n') AS j, CAST('=HYPERLINK("x")' AS ENUM('=HYPERLINK("x")', 'b')) AS e, 'ok' AS t`;

    // act
    const exported = await runInProcess(['query', sql, '--format', 'csv'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'csv'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toBe(`j,e,t\n'-5,"'=HYPERLINK(""x"")",ok\n`);
    expect(formatted.stdout).toBe(exported.stdout);
  });
});

describe('query --format csv of intervals and blobs', () => {
  it('guards them as text in the file, as the printed statements do', async () => {
    // prepare: DuckDB's CSV writer wrote `-1 day` and a blob's `=` as they are, where a spreadsheet runs them
    const env = cliEnv(dataDir);
    const sql = `SELECT INTERVAL '-1 day' AS i, INTERVAL '1 day' AS p, '=1+1'::BLOB AS b, '\\xAA,'::BLOB AS x, NULL::BLOB AS n`;

    // act
    const exported = await runInProcess(['query', sql, '--format', 'csv'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'csv'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toBe(`i,p,b,x,n\n'-1 day,1 day,'=1+1,"\\xAA,",\n`);
    expect(formatted.stdout).toBe(exported.stdout);
  });
});
