import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, runInProcess, temporaryDataDir } from './support/cli-process';

/**
 * One row of every kind of value DuckDB formats differently from JavaScript or quotes in CSV:
 * whole and tiny doubles, NaN, infinities and -0, decimals, 64-bit integers past 2^53, dates and
 * times with and without a zone, intervals, lists, structs, maps, blobs, text with commas, quotes,
 * line breaks and a formula, empty text beside NULL, and repeated or odd column names.
 */
const EVERY_KIND = `SELECT 1 AS i, 567.0::DOUBLE AS "d d", 0.1::DOUBLE AS "d,2", 1e-7::DOUBLE AS "d""3", 1e21::DOUBLE AS d4,
  'a,b' AS s1, '' AS s2, NULL::VARCHAR AS s3, 'q"x' AS s4, 'l' || chr(10) || 'm' AS s5, 'cr' || chr(13) || 'x' AS s6,
  ['a', 'b'] AS l, {'k': 1, 's': 'x'} AS st, TIMESTAMP '2026-11-29 21:30:00' AS ts, TIMESTAMPTZ '2026-11-29 21:30:00+00' AS tstz,
  DATE '2026-11-29' AS dt, 12.50::DECIMAL(10, 2) AS dec, true AS b, 9007199254740993::BIGINT AS big, 'nan'::DOUBLE AS nan,
  'inf'::DOUBLE AS inf, -0.0::DOUBLE AS nz, 1.5::FLOAT AS f, ' lead' AS lead, 'ü' AS u, INTERVAL 90 MINUTE AS iv,
  [1.0, 2.5]::DOUBLE[] AS ld, NULL::INTEGER[] AS ln, []::INTEGER[] AS le, '"' AS quo, 'NULL' AS nulltext, '=1+1' AS formula,
  '\\xAA,"'::BLOB AS bl, MAP {'a': 1} AS mp, TIME '12:00:01' AS tm, 1::HUGEINT AS hi, 'x' AS i`;

/** More rows than one DuckDB chunk (2,048), in an order the query sets, with a whole double every fourth row. */
const ORDERED = "SELECT range AS n, range / 4 AS quarto, 'canal, \"' || range || '\"' AS nome FROM range(5000) ORDER BY n DESC";

let dataDir: string;
let folder: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
  folder = await mkdtemp(join(tmpdir(), 'query-printed-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

async function printedAndWritten(sql: string, format: 'csv' | 'json'): Promise<{ printed: string; written: string }> {
  const env = cliEnv(dataDir);
  const file = join(folder, `${format}-${Math.random().toString(36).slice(2)}.${format}`);
  const [printed, written] = await Promise.all([runInProcess(['query', sql, '--format', format], env), runInProcess(['query', sql, '--out', file], env)]);
  expect([printed.code, printed.stderr, written.code, written.stderr]).toEqual([0, '', 0, '']);
  return { printed: printed.stdout, written: await readFile(file, 'utf8') };
}

describe('query --format csv|json', () => {
  it.each([
    ['csv', 'every kind of value', EVERY_KIND],
    ['json', 'every kind of value', EVERY_KIND],
    ['csv', 'rows of several chunks in order', ORDERED],
    ['json', 'rows of several chunks in order', ORDERED],
    ['csv', 'no rows', 'SELECT 1 AS a, 2 AS b WHERE false'],
    ['json', 'no rows', 'SELECT 1 AS a, 2 AS b WHERE false'],
  ] as const)('prints %s byte for byte as --out writes the file: %s', async (format, _case, sql) => {
    // act
    const { printed, written } = await printedAndWritten(sql, format);

    // assess
    expect(printed).toBe(written);
  });

  it('prints whole doubles as DuckDB writes them, and the rows in the order the query sets', async () => {
    // act
    const { printed } = await printedAndWritten(ORDERED, 'csv');

    // assess
    expect(printed.split('\n').slice(0, 3)).toEqual(['n,quarto,nome', '4999,1249.75,"canal, ""4999"""', '4998,1249.5,"canal, ""4998"""']);
    expect(printed.split('\n').slice(-2)).toEqual(['0,0.0,"canal, ""0"""', '']);
    expect(printed.split('\n')).toHaveLength(5002);
  });

  it('prints NaN and infinities as JSON null, at any depth, so that any JSON parser reads the result', async () => {
    // prepare: DuckDB's float division by zero gives them, in columns, lists, arrays, structs and maps
    const sql = `SELECT 0 / 0 AS top, [1.0 / 0, -1.0 / 0, 2.5] AS list, [[0 / 0]] AS lists, [1.0 / 0, 3]::DOUBLE[2] AS array,
      {'a': 0 / 0, 'b c': 'x', 'd': [0 / 0]} AS struct, MAP {'k': 0 / 0, 'j': 1.5} AS map, NULL::STRUCT(a DOUBLE) AS missing, [1, 2] AS whole`;

    // act
    const json = await printedAndWritten(sql, 'json');
    const csv = await printedAndWritten(sql, 'csv');

    // assess
    const [row] = JSON.parse(json.printed) as Record<string, unknown>[];
    expect(JSON.parse(json.written)).toEqual([row]);
    expect(row).toEqual({
      top: null,
      list: [null, null, 2.5],
      lists: [[null]],
      array: [null, 3],
      struct: { a: null, 'b c': 'x', d: [null] },
      map: { k: null, j: 1.5 },
      missing: null,
      whole: [1, 2],
    });
    expect(csv.printed).toBe(csv.written);
    expect(csv.printed.split('\n')[1]).toBe('-nan,"[null,null,2.5]",[[null]],"[null,3.0]","{""a"":null,""b c"":""x"",""d"":[null]}","{""k"":null,""j"":1.5}",,"[1,2]"');
  });

  it('prints JSON values as JSON has them: numbers as numbers, text with no formula guard, lists and structs nested', async () => {
    // act
    const { printed } = await printedAndWritten(EVERY_KIND, 'json');

    // assess
    const [row] = JSON.parse(printed) as Record<string, unknown>[];
    expect(row).toMatchObject({ nan: null, inf: null, big: 9007199254740992, formula: '=1+1', l: ['a', 'b'], st: { k: 1, s: 'x' }, i_1: 'x' });
  });

  it('prints a statement DuckDB cannot read as a subquery value by value, which --out refuses', async () => {
    // prepare
    const env = cliEnv(dataDir);

    // act
    const printed = await runInProcess(['query', 'PRAGMA version', '--format', 'csv'], env);
    const written = await runInProcess(['query', 'PRAGMA version', '--out', join(folder, 'version.csv')], env);

    // assess
    expect(printed.code).toBe(0);
    expect(printed.stdout.split('\n')[0]).toBe('library_version,source_id,codename');
    expect(written.code).toBe(2);
    expect(written.stderr).toContain('cannot export this: expected a query (SELECT, FROM, WITH …) that can be read as a subquery');
  });

  it('prints the last result of several statements, as DuckDB\'s shell does, with repeated column names told apart', async () => {
    // prepare: the earlier statements' results must not stand in for the last one's
    const env = cliEnv(dataDir);
    const statements = 'SELECT 0 AS z; CREATE TEMP TABLE t AS SELECT 41 AS x; SELECT x + 1 AS a, x + 2 AS a FROM t';

    // act
    const json = await runInProcess(['query', statements, '--format', 'json'], env);
    const table = await runInProcess(['query', statements], env);

    // assess
    expect([json.code, table.code]).toEqual([0, 0]);
    expect(JSON.parse(json.stdout)).toEqual([{ a: 42, a_1: 43 }]);
    expect(table.stdout).toContain('42');
    expect(table.stdout).not.toMatch(/\bz\b/);
  });

  it('prints nothing, not even the header, for a query that fails before its first rows', async () => {
    // act
    const result = await runInProcess(['query', "SELECT 1 AS n, error('no rows for you') AS e", '--format', 'csv'], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no rows for you');
  });

  // Resident memory is read from /proc, which only Linux has (CI runs Linux).
  if (process.platform !== 'linux') console.log(`skipped the slow-reader test: it reads resident memory from /proc, which ${process.platform} has not; CI runs it on Linux`);
  it.skipIf(process.platform !== 'linux')('holds its output back while a slow reader catches up, instead of piling it up in memory', async () => {
    // prepare: 1 GB of CSV, which DuckDB formats far faster than a reader that takes nothing for 4 s
    const rows = 1_000_000;
    const child = spawn(process.execPath, [BIN, 'query', `SELECT range AS n, repeat('x', 1000) AS pad FROM range(${rows})`, '--format', 'csv'], { env: cliEnv(dataDir) });
    child.stdin.end();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => child.stdout.once('readable', resolve));

    // act: once the first rows are out, take nothing for 4 s
    const resident: number[] = [];
    for (let sample = 0; sample < 20; sample += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      resident.push(residentMegabytes(await readFile(`/proc/${child.pid}/status`, 'utf8')));
    }
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    const code = await closed;

    // assess
    expect(code).toBe(0);
    const digits = Array.from({ length: rows }, (_, n) => String(n).length).reduce((sum, length) => sum + length, 0);
    expect(bytes).toBe('n,pad\n'.length + digits + rows * (1 + 1000 + 1));
    // Held back, it stays level (191 MB throughout here); piled up, it grew by 640–660 MB in those 4 s.
    expect(Math.max(...resident) - resident[0]!).toBeLessThan(100);
  });
});

function residentMegabytes(status: string): number {
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kilobytes === undefined) throw new Error(`no VmRSS line in /proc status:\n${status}`);
  return Number(kilobytes) / 1024;
}

describe('query as a table', () => {
  it('runs SQL that ends in a line comment', async () => {
    // act
    const result = await runInProcess(['query', 'SELECT 42 AS n -- the answer'], cliEnv(dataDir));

    // assess: the preview's LIMIT is not swallowed by the comment
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/│ 42 │\n└─+┘\n1 row\n$/);
  });

  it('shows as many rows as --max-rows asks, past the arguments a call can take', async () => {
    // act
    const result = await runInProcess(['query', 'SELECT range AS n FROM range(200000)', '--max-rows', '200000'], cliEnv(dataDir));

    // assess
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/│ 199,999 │\n└─+┘\n200,000 rows\n$/);
  });

  it.each([['abc'], ['1.5'], ['1e21'], ['0x10'], ['99999999999999999999'], ['0']])('refuses --max-rows %s as a usage error, before reading the lake', async (value) => {
    // act
    const result = await runInProcess(['query', 'SELECT 1', '--max-rows', value], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--max-rows must be a positive whole number (got "${value}")`);
    expect(result.stderr).not.toContain('query failed');
  });

  it.each([
    [['--out', 'range.csv'], '--out writes every row: add LIMIT 5 to the SQL instead'],
    [['--format', 'csv'], '--format csv prints every row: add LIMIT 5 to the SQL instead'],
    [['--format', 'json'], '--format json prints every row: add LIMIT 5 to the SQL instead'],
    [['--json'], '--json prints every row: add LIMIT 5 to the SQL instead'],
  ])('refuses --max-rows beside %j, which would print or write every row', async (flags, message) => {
    // prepare
    const args = flags.map((flag) => (flag.endsWith('.csv') ? join(folder, flag) : flag));

    // act
    const result = await runInProcess(['query', 'SELECT * FROM range(100)', '--max-rows', '5', ...args], cliEnv(dataDir));

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: --max-rows sets how many rows a table shows; ${message}\n`) });
    await expect(readFile(join(folder, 'range.csv'))).rejects.toThrow('ENOENT');
  });

  it('refuses --max-rows beside a saved query\'s --out, saying to leave it out', async () => {
    // act
    const result = await runInProcess(['query', '--saved', 'top_categories_by_hours', '--max-rows', '5', '--out', join(folder, 'top.csv')], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --max-rows sets how many rows a table shows; --out writes every row: leave --max-rows out\n');
  });

  it.each([['-- only a comment'], [';'], ['/* a block */ ;']])('says SQL of no statement (%s) holds none, exit 2', async (sql) => {
    // act
    const result = await runInProcess(['query', '--', sql], cliEnv(dataDir));

    // assess: not DuckDB's bare "Error in native callback"
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the SQL holds no statement: only blanks, comments or semicolons');
  });

  it.each([
    ['SELECT ? AS a', 'a parameter placeholder'],
    ['SELECT 1 WHERE $login = $login', 'a parameter placeholder'],
    ['SELECT 1; SELECT ?, $2', '2 parameter placeholders'],
  ])('says ad-hoc SQL with placeholders (%s) takes no parameters, exit 2', async (sql, count) => {
    // act
    const result = await runInProcess(['query', sql], cliEnv(dataDir));

    // assess: not DuckDB's "Unexpected type id: 0"
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: the SQL holds ${count} (?, $1 or $name): only saved queries take parameters`);
  });

  it.each([
    ['a table', []],
    ['csv', ['--format', 'csv']],
    ['json', ['--format', 'json']],
    ['a file', ['--out', 'failed.csv']],
  ])('tells the line of a value that fails as the line of the SQL given, printing %s', async (_case, flags) => {
    // prepare: a cast that fails on line 1, on line 3 after a comment, and on line 9 (the statement run holds it on line 10)
    const env = cliEnv(dataDir);
    const args = flags.map((flag) => (flag.endsWith('.csv') ? join(folder, flag) : flag));
    const sql = ["SELECT 'x'::INT", "-- a report\nSELECT 1,\n  'x'::INT", `SELECT\n${'1,\n'.repeat(7)}'x'::INT`];

    // act
    const results = await Promise.all(sql.map((text) => runInProcess(['query', ...args, '--', text], env)));

    // assess: the caret stays under the cast
    expect(results.map((result) => result.code)).toEqual([1, 1, 1]);
    expect(results[0]!.stderr).toContain("\n\nLINE 1: SELECT 'x'::INT\n                  ^\n");
    expect(results[1]!.stderr).toContain("\n\nLINE 3:   'x'::INT\n             ^\n");
    expect(results[2]!.stderr).toContain("\n\nLINE 9: 'x'::INT\n           ^\n");
  });

  it('still reports a syntax error as the query\'s own, exit 1', async () => {
    // act
    const result = await runInProcess(['query', 'SELEC 1'], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/query failed: .*syntax error/i);
  });
});
