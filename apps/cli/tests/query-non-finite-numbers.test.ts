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

const SQL = `SELECT 'NaN'::DOUBLE AS a, '-inf'::DOUBLE AS b, 'inf'::FLOAT AS c,
  [1.5::DOUBLE, 'nan'::DOUBLE, '-inf'::DOUBLE] AS l, MAP {'k': 'nan'::DOUBLE} AS m, {'s': 'inf'::FLOAT} AS s`;

describe('query of NaN and infinite numbers', () => {
  it('spells them in CSV as DuckDB does (nan, inf, -inf), and null inside lists, maps and structs, whether DuckDB writes the rows or not', async () => {
    // prepare: formatted one by one, they read NaN, -Infinity, and "NaN" inside a list
    const env = cliEnv(dataDir);

    // act
    const exported = await runInProcess(['query', SQL, '--format', 'csv'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${SQL}`, '--format', 'csv'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toBe('a,b,c,l,m,s\nnan,-inf,inf,"[1.5,null,null]","{""k"":null}","{""s"":null}"\n');
    expect(formatted.stdout).toBe(exported.stdout);
  });

  it('gives them as null in JSON at any depth, whether DuckDB writes the rows or not', async () => {
    // prepare
    const env = cliEnv(dataDir);

    // act
    const exported = await runInProcess(['query', SQL, '--format', 'json'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${SQL}`, '--format', 'json'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(JSON.parse(exported.stdout)).toEqual([{ a: null, b: null, c: null, l: [1.5, null, null], m: { k: null }, s: { s: null } }]);
    expect(JSON.parse(formatted.stdout)).toEqual(JSON.parse(exported.stdout));
  });
});
