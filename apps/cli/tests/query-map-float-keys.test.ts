import { rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatText } from '../src/lake/float-text';
import { cliEnv, runInProcess, temporaryDataDir } from './support/cli-process';

let dataDir: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('query of a map with floating-point keys', () => {
  it('names each key as DuckDB does (1.0, 1e+16), whether DuckDB writes the rows or they are formatted one by one', async () => {
    // prepare: formatted one by one, the key 1.0 was named "1", where DuckDB's JSON writer has "1.0"
    const env = cliEnv(dataDir);
    const sql = `SELECT MAP {1.0::DOUBLE: 'a', 2.5::DOUBLE: 'b', 1e16::DOUBLE: 'c', 0.00001::DOUBLE: 'd'} AS m, MAP {0.1::FLOAT: 1} AS f`;

    // act
    const exported = await runInProcess(['query', sql, '--format', 'json'], env);
    const formatted = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'json'], env);
    const exportedCsv = await runInProcess(['query', sql, '--format', 'csv'], env);
    const formattedCsv = await runInProcess(['query', `SELECT 0; ${sql}`, '--format', 'csv'], env);

    // assess
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(JSON.parse(exported.stdout)).toEqual([{ m: { '1.0': 'a', '2.5': 'b', '1e+16': 'c', '1e-05': 'd' }, f: { '0.1': 1 } }]);
    expect(JSON.parse(formatted.stdout)).toEqual(JSON.parse(exported.stdout));
    expect(formattedCsv.stdout).toBe(exportedCsv.stdout);
  });

  it('spells a double as DuckDB casts it to text', async () => {
    // prepare
    const values = ['1.0', '-0.0', '0.0', 'nan', 'inf', '-inf', '1e15', '9999999999999998', '1e16', '1e-4', '1e-5', '-1.234e-7', '0.1', '5e-324', '1.7976931348623157e308', '123456789012345.6', '12345678901234567'];
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();

    // act
    const rows = await connection.runAndReadAll(`SELECT v::DOUBLE AS d, v::DOUBLE::VARCHAR AS text FROM unnest([${values.map((v) => `'${v}'`).join(', ')}]) AS t(v)`);
    connection.closeSync();
    instance.closeSync();

    // assess
    const pairs = rows.getRows() as [number, string][];
    expect(pairs.map(([value]) => floatText(value))).toEqual(pairs.map(([, text]) => text));
  });
});
