import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowObjects } from '../src/cli/table';
import { LakeSession } from '../src/lake/lake-session';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

/** More rows than one DuckDB chunk (2,048), with text that needs CSV quoting and a line separator JSON keeps raw. */
const ROWS = 5_000;
const SQL = `SELECT range AS n, 'canal, "' || range || '"' || chr(8232) AS nome, range / 4 AS quarto FROM range(${ROWS})`;

/**
 * A query whose cast fails on row 60,000, within a table's preview of 100,000 rows; its rows are
 * wide, so DuckDB has results to hand out well before it reaches that row.
 */
const FAILS_MIDWAY = "SELECT range AS n, repeat('x', 200) AS pad, CAST(CASE WHEN range < 60000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM range(100000)";

/** A query whose cast fails on row 1,500,000 of 2,000,000: printed as it streamed, 1.4 M rows came out, and exit code 0. */
const FAILS_LATE = "SELECT range AS n, CAST(CASE WHEN range < 1500000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM range(2000000)";

let dataDir: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a lake session reading a result a chunk at a time', () => {
  it('yields a result larger than one chunk in chunks, every row once and in order', async () => {
    // prepare
    const session = await LakeSession.open(dataDir);

    // act
    const chunks = [];
    for await (const chunk of session.queryChunks(SQL)) chunks.push({ columns: chunk.columns, rowCount: chunk.rowCount, rows: chunk.rows() });
    await session.close();

    // assess
    expect(chunks.length).toBeGreaterThan(1);
    expect(new Set(chunks.map((chunk) => chunk.columns.join()))).toEqual(new Set(['n,nome,quarto']));
    expect(chunks.flatMap((chunk) => chunk.rows.map((row) => row[0]))).toEqual(Array.from({ length: ROWS }, (_, n) => n));
    expect(chunks.map((chunk) => chunk.rowCount)).toEqual(chunks.map((chunk) => chunk.rows.length));
  });

  it('throws for a query that fails midway, rather than ending its result early', async () => {
    // prepare: the cast fails on a row many chunks in (a streamed DuckDB result would just end there)
    const session = await LakeSession.open(dataDir);

    // act
    const outcome = await session.query(FAILS_MIDWAY).then(
      (result) => `${result.rows.length} rows`,
      (error: Error) => error.message,
    );
    await session.close();

    // assess
    expect(outcome).toContain("Could not convert string 'x'");
  });

  it.each([
    ['csv', FAILS_LATE],
    ['json', FAILS_LATE],
    ['table', FAILS_MIDWAY],
  ])('prints none of the rows of a query that fails midway, as %s, and exits 1', async (format, sql) => {
    // act
    const result = await runCli(['query', sql, '--format', format], cliEnv(dataDir));

    // assess
    expect([result.code, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toContain("Could not convert string 'x'");
  });

  it('gives queries started side by side on one session their whole results', async () => {
    // prepare
    const session = await LakeSession.open(dataDir);

    // act
    const results = await Promise.all([session.query(SQL), session.query(`${SQL} ORDER BY n DESC`)]);
    await session.close();

    // assess
    expect(results.map((result) => result.rows.length)).toEqual([ROWS, ROWS]);
    expect(results[1]!.rows[0]![0]).toBe(ROWS - 1);
  });

  it('prints csv and json chunk by chunk exactly as the whole result, and a table of the first rows with the total', async () => {
    // prepare: DuckDB's own writers, given the whole result at once, are the reference
    const env = cliEnv(dataDir);
    const session = await LakeSession.open(dataDir);
    const whole = await session.query(SQL);
    const reference = join(dataDir, 'whole.csv');
    await session.runCount(`COPY (${SQL}) TO ${sqlString(reference)} (FORMAT csv, HEADER true)`);
    await session.close();

    // act
    const csv = await runCli(['query', SQL, '--format', 'csv'], env);
    const json = await runCli(['query', SQL, '--format', 'json'], env);
    const table = await runCli(['query', SQL, '--max-rows', '3'], env);

    // assess
    expect([csv.code, json.code, table.code]).toEqual([0, 0, 0]);
    expect(csv.stdout).toBe(await readFile(reference, 'utf8'));
    expect(JSON.parse(json.stdout)).toEqual(rowObjects(whole));
    expect(json.stdout).toContain('\u2028');
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe('5,000 rows (first 3 shown; use --max-rows or --format csv for all)');
  });

  it('prints an empty result with its columns: a csv header, an empty json array, a table of no rows', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const empty = 'SELECT 1 AS a, 2 AS b WHERE false';

    // act
    const outputs = await Promise.all(['csv', 'json', 'table'].map((format) => runCli(['query', empty, '--format', format], env)));

    // assess
    expect(outputs.map((output) => output.code)).toEqual([0, 0, 0]);
    expect(outputs[0]!.stdout).toBe('a,b\n');
    expect(JSON.parse(outputs[1]!.stdout)).toEqual([]);
    expect(outputs[2]!.stdout).toMatch(/│ a │ b │\n.*\n0 rows\n$/s);
  });

  it('stops counting a table past 100,000 rows, a preview rather than an export', async () => {
    // act
    const table = await runCli(['query', 'SELECT range AS n FROM range(250000)', '--max-rows', '2'], cliEnv(dataDir));

    // assess
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('│ 1 │');
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe('more than 100,000 rows (first 2 shown; use --max-rows or --format csv for all)');
  });
});
