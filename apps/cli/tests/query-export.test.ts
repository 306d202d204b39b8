import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import { ExportWriteError, exportQuery } from '../src/lake/query-export';
import { cliEnv, jsonOf, runCli, runInProcess, spawnCli, temporaryDataDir } from './support/cli-process';

/**
 * More rows than one DuckDB chunk, with what an export must keep apart or guard: text needing
 * CSV quotes, text a spreadsheet would run as a formula, empty text beside NULL, a list and a
 * struct.
 */
const SQL = `SELECT range AS n, 'canal, "' || range || '"' AS nome,
  CASE range % 3 WHEN 0 THEN '=HYPERLINK("http://x")' WHEN 1 THEN '' END AS texto,
  [CAST(range AS INTEGER), 1] AS lista, {'a': CAST(range // 4 AS INTEGER)} AS registro, range // 4 AS quarto
FROM range(5000)`;

let dataDir: string;
let folder: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
  folder = await mkdtemp(join(tmpdir(), 'query-export-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

async function parquetRows(path: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll('SELECT * FROM read_parquet($path)', { path })).getRowsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('query --out', () => {
  it('writes csv and json files holding what --format csv and json print, and parquet with the same rows', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const printed = { csv: await runInProcess(['query', SQL, '--format', 'csv'], env), json: await runInProcess(['query', SQL, '--format', 'json'], env) };

    // act
    const written = await Promise.all(['csv', 'json', 'parquet'].map((format) => runInProcess(['query', SQL, '--out', join(folder, `rows.${format}`), '--json'], env)));

    // assess
    expect(written.map((result) => [result.code, result.stderr])).toEqual([[0, ''], [0, ''], [0, '']]);
    expect(written.map((result) => jsonOf<{ rows: number; format: string }>(result))).toMatchObject([
      { rows: 5000, format: 'csv' },
      { rows: 5000, format: 'json' },
      { rows: 5000, format: 'parquet' },
    ]);
    expect(await readFile(join(folder, 'rows.csv'), 'utf8')).toBe(printed.csv.stdout);
    expect(printed.csv.stdout.split('\n').slice(1, 3)).toEqual([
      `0,"canal, ""0""","'=HYPERLINK(""http://x"")","[0,1]","{""a"":0}",0`,
      `1,"canal, ""1""","","[1,1]","{""a"":0}",0`,
    ]);
    expect(JSON.parse(await readFile(join(folder, 'rows.json'), 'utf8'))).toEqual(JSON.parse(printed.json.stdout));
    const parquet = await parquetRows(join(folder, 'rows.parquet'));
    expect(parquet).toHaveLength(5000);
    expect(parquet[2]).toEqual(['2', 'canal, "2"', null, [2, 1], { a: 0 }, '0']);
  });

  it('runs a saved query with its parameters bound, in the format the file name gives', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const file = join(folder, 'segments.parquet');

    // act
    const result = await runInProcess(['query', '--saved', 'audience_segments', '--out', file], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ rows? written to .*segments\.parquet \(parquet, \d+ (B|kB)\)\n$/);
  });

  it('leaves no file when the query fails midway, and an earlier file as it was', async () => {
    // prepare: the cast fails on a row far past the first chunks
    const file = join(folder, 'kept.csv');
    await writeFile(file, 'earlier\n');
    const failing = "SELECT range, CAST(CASE WHEN range < 1500000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM range(2000000)";

    // act
    const result = await runInProcess(['query', failing, '--out', file], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Could not convert string 'x'");
    expect(await readFile(file, 'utf8')).toBe('earlier\n');
    expect((await readdir(folder)).filter((name) => name.includes('kept'))).toEqual(['kept.csv']);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('removes its temporary file when interrupted by %s, with the exit code of an interruption', async (signal) => {
    // prepare: an export that takes seconds
    const exportFolder = await mkdtemp(join(tmpdir(), 'query-export-interrupted-'));
    const { child, finished } = spawnCli(['query', 'SELECT range, md5(CAST(range AS VARCHAR)) AS h FROM range(100000000)', '--out', join(exportFolder, 'big.csv')], cliEnv(dataDir));
    while ((await readdir(exportFolder)).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));

    // act
    child.kill(signal);
    const { code } = await finished;

    // assess
    expect(code).toBe(130);
    expect(await readdir(exportFolder)).toEqual([]);
    await rm(exportFolder, { recursive: true, force: true });
  });

  it('removes the folders it made for the file when interrupted', async () => {
    // prepare: an export into two folders that do not exist yet
    const exportFolder = await mkdtemp(join(tmpdir(), 'query-export-made-'));
    const made = join(exportFolder, 'reports', '2026');
    const { child, finished } = spawnCli(['query', 'SELECT range, md5(CAST(range AS VARCHAR)) AS h FROM range(100000000)', '--out', join(made, 'big.csv')], cliEnv(dataDir));
    while ((await readdir(made).catch(() => [])).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));

    // act
    child.kill('SIGINT');
    const { code } = await finished;

    // assess
    expect(code).toBe(130);
    expect(await readdir(exportFolder)).toEqual([]);
    await rm(exportFolder, { recursive: true, force: true });
  });

  it('replaces the file a link points to, keeping the link, and never a socket, pipe or device', async () => {
    // prepare: a socket stands for what is not a regular file (a device such as /dev/null, a pipe)
    const real = join(folder, 'real.csv');
    const link = join(folder, 'link.csv');
    await writeFile(real, 'earlier\n');
    await symlink(real, link);
    const socket = join(folder, 'listening.csv');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const env = cliEnv(dataDir);

    // act
    const linked = await runInProcess(['query', 'SELECT 42 AS n', '--out', link], env);
    const special = await runInProcess(['query', 'SELECT 42 AS n', '--out', socket], env);
    const stillSocket = (await stat(socket)).isSocket();
    await new Promise((resolve) => server.close(resolve));

    // assess
    expect(linked.code).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('n\n42\n');
    expect(special.code).toBe(1);
    expect(special.stderr).toContain(`cannot write ${socket}: it is not a regular file`);
    expect(stillSocket).toBe(true);
  });

  it('makes a missing folder for the file, and names a file standing where the folder should be', async () => {
    // prepare
    const nested = join(folder, 'made', 'for', 'it', 'one.csv');
    await writeFile(join(folder, 'plain-file'), 'not a folder');
    const blocked = join(folder, 'plain-file', 'one.csv');

    // act
    const written = await runInProcess(['query', 'SELECT 1 AS n', '--out', nested], cliEnv(dataDir));
    const refused = await runInProcess(['query', 'SELECT 1 AS n', '--out', blocked], cliEnv(dataDir));

    // assess
    expect(written.code).toBe(0);
    expect(await readFile(nested, 'utf8')).toBe('n\n1\n');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cannot write ${blocked}: ${join(folder, 'plain-file')} is not a folder`);
  });

  it.each([
    ['a query that fails', 'SELECT * FROM no_such_view', 1],
    ['SQL that is not one query', 'SELECT 1; SELECT 2', 2],
    ['a query that fails midway', "SELECT CAST(CASE WHEN range < 5000 THEN '1' ELSE 'x' END AS INTEGER) AS v FROM range(10000)", 1],
  ])('leaves no folder it made for the file after %s', async (_, sql, code) => {
    // prepare
    const made = join(folder, 'not-yet', 'made');
    await writeFile(join(folder, 'not-yet-sibling.txt'), 'stays');

    // act
    const result = await runInProcess(['query', sql, '--out', join(made, 'rows.csv')], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(code);
    expect(await stat(join(folder, 'not-yet')).catch(() => undefined)).toBeUndefined();
    expect(await readFile(join(folder, 'not-yet-sibling.txt'), 'utf8')).toBe('stays');
  });

  it('makes no folder when the data directory does not exist, and is refused like any read', async () => {
    // prepare: a mistyped data directory, and the export meant to go inside it
    const missing = join(folder, 'demo-dat');
    const target = join(missing, 'n.csv');

    // act
    const result = await runInProcess(['query', 'SELECT 1 AS n', '--out', target], cliEnv(missing));

    // assess
    expect(result.code).not.toBe(0);
    expect(await stat(missing).catch(() => undefined)).toBeUndefined();
  });

  it('tells a file it could not write from a failed query', async () => {
    // prepare
    const session = await LakeSession.open(dataDir);
    const target = join(folder, 'gone', 'rows.csv');

    // act
    const written = exportQuery(session, 'SELECT 1 AS n', undefined, target, 'csv');

    // assess
    await expect(written).rejects.toBeInstanceOf(ExportWriteError);
    await expect(written).rejects.toThrow(`could not write ${target}`);
    await session.close();
  });

  it.each([
    [['SELECT 1', '--out', 'one.txt'], 'cannot tell the format of "one.txt" from its name'],
    [['SELECT 1', '--format', 'parquet'], '--format parquet writes a file: give it with --out FILE'],
    [['SELECT 1', '--out', 'one.csv', '--format', 'table'], '--out writes csv, json, parquet (got --format table)'],
    [['EXPLAIN SELECT 1', '--out', 'one.csv'], 'not a statement of type EXPLAIN'],
    [['SELECT 1; SELECT 2', '--out', 'one.csv'], 'expected one query, found 2 statements'],
    [['SELECT 1', '--out', ''], '--out needs a file name'],
    [['SELECT 1', '--out', 'FOLDER/one.json', '--format', 'csv'], 'the file is named for json: name it .csv or leave --format out'],
    [['SELECT 1', '--out', 'FOLDER/one.json.gz', '--format', 'csv'], 'the file is named for json: name it .csv.gz or leave --format out'],
    [['SELECT 1', '--out', 'FOLDER/one.parquet.zst', '--format', 'parquet'], 'a Parquet file compresses itself (snappy): name it .parquet, without .zst'],
    [['SELECT 1', '--out', 'FOLDER/one.csv.bz2', '--format', 'csv'], '.bz2 is no compression --out writes: name it .csv.gz (gzip) or .csv.zst (zstd)'],
  ])('refuses %j with a usage error', async (args, message) => {
    // act: FOLDER/ is the test's folder, so that a file written anyway is cleaned up with it
    const result = await runInProcess(['query', ...args.map((arg) => arg.replace(/^FOLDER\//, `${folder}/`))], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('compresses a csv or json file named .gz, as DuckDB does, holding what is printed', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const printed = await runInProcess(['query', SQL, '--format', 'csv'], env);
    const file = join(folder, 'rows.csv.gz');

    // act
    const written = await runInProcess(['query', SQL, '--out', file, '--format', 'csv'], env);

    // assess
    expect([written.code, written.stderr]).toEqual([0, '']);
    expect(gunzipSync(await readFile(file)).toString('utf8')).toBe(printed.stdout);
  });

  it('takes the format from the name before its compression: rows.json.gz is gzipped JSON, with no --format', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const printed = await runInProcess(['query', SQL, '--json'], env);
    const file = join(folder, 'rows.json.gz');

    // act
    const written = await runInProcess(['query', SQL, '--out', file], env);

    // assess
    expect([written.code, written.stderr]).toEqual([0, '']);
    expect(JSON.parse(gunzipSync(await readFile(file)).toString('utf8'))).toEqual(JSON.parse(printed.stdout));
  });

  it('takes a report whose query ends in a semicolon followed by comments', async () => {
    // prepare: a report file as an editor leaves it, notes after the last statement
    const report = 'SELECT 1 AS n, \'a;b\' AS t; -- counted once\n/* kept for later: SELECT 2; */\n;\n-- end of report';
    const file = join(folder, 'report.csv');

    // act
    const result = await runCli(['query', '-', '--out', file], cliEnv(dataDir), report);

    // assess
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(await readFile(file, 'utf8')).toBe('n,t\n1,a;b\n');
  });

  it('takes DESCRIBE, a query ending in a semicolon, and columns of one name in any case (told apart as DuckDB does)', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const alike = 'SELECT 1 AS a, 2 AS a, 3 AS a_1, 4 AS "A", [range] AS l FROM range(2)';

    // act
    const described = await runInProcess(['query', 'DESCRIBE gold_streamers_diario;', '--out', join(folder, 'describe.csv')], env);
    const csv = await runInProcess(['query', alike, '--out', join(folder, 'alike.csv')], env);
    const json = await runInProcess(['query', alike, '--out', join(folder, 'alike.json')], env);

    // assess
    expect([described.code, csv.code, json.code]).toEqual([0, 0, 0]);
    expect((await readFile(join(folder, 'describe.csv'), 'utf8')).split('\n')[0]).toBe('column_name,column_type,null,key,default,extra');
    expect(await readFile(join(folder, 'alike.csv'), 'utf8')).toBe('a,a_1,a_1_1,A_2,l\n1,2,3,4,[0]\n1,2,3,4,[1]\n');
    expect(JSON.parse(await readFile(join(folder, 'alike.json'), 'utf8'))).toEqual([
      { a: 1, a_1: 2, a_1_1: 3, A_2: 4, l: [0] },
      { a: 1, a_1: 2, a_1_1: 3, A_2: 4, l: [1] },
    ]);
  });
});
