import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { type ResultChunk, resultChunk } from '../src/lake/result-chunk';

/** Reads the first chunk of a query while its engine is still open. */
async function readFirstChunk<T>(sql: string, read: (chunk: ResultChunk) => T): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.run(sql);
    const chunk = await result.fetchChunk();
    if (!chunk) throw new Error('no chunk');
    return read(resultChunk(result.columnNames(), result.columnTypes(), chunk));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('resultChunk', () => {
  it('shows exact big integers as numbers, larger ones as text, and dates, lists and structs as DuckDB JSON', async () => {
    // prepare
    const sql = `SELECT 9007199254740991::BIGINT AS exact, 9007199254740993::BIGINT AS beyond, 1.5::DOUBLE AS d,
      'texto' AS t, true AS b, NULL AS nada, DATE '2026-11-29' AS dia, TIMESTAMP '2026-11-29 21:30:00' AS instante,
      [1, 2] AS lista, {'a': 1} AS registro`;

    // act
    const { columns, rowCount, rows } = await readFirstChunk(sql, (chunk) => ({ columns: chunk.columns, rowCount: chunk.rowCount, rows: chunk.rows() }));

    // assess
    expect(columns).toEqual(['exact', 'beyond', 'd', 't', 'b', 'nada', 'dia', 'instante', 'lista', 'registro']);
    expect(rowCount).toBe(1);
    expect(rows).toEqual([[9007199254740991, '9007199254740993', 1.5, 'texto', true, null, '2026-11-29', '2026-11-29 21:30:00', [1, 2], { a: 1 }]]);
  });

  it('shows decimals as numbers when a double holds them exactly, and wider ones whole as text', async () => {
    // prepare: an exact sum (DECIMAL(38, 3)) past a double's digits, and everyday decimals
    const sql = `SELECT 12.50::DECIMAL(10, 2) AS preco, -0.125::DECIMAL(5, 3) AS fracao,
      1234567890123456789.123::DECIMAL(38, 3) AS soma_exata, 0::DECIMAL(18, 6) AS zero, NULL::DECIMAL(38, 9) AS nada`;

    // act
    const rows = await readFirstChunk(sql, (chunk) => chunk.rows());

    // assess
    expect(rows).toEqual([[12.5, -0.125, '1234567890123456789.123', 0, null]]);
  });

  it('shows dates and timestamps a JS Date cannot hold as DuckDB writes them, at any depth', async () => {
    // prepare: open-ended validity ranges use infinity; a far year is out of a JS Date's range too
    const sql = `SELECT DATE 'infinity' AS ate, DATE '-infinity' AS desde, TIMESTAMP 'infinity' AS instante,
      TIMESTAMPTZ '-infinity' AS com_fuso, DATE '290000-01-01' AS distante, [DATE 'infinity'] AS lista, {'fim': DATE '-infinity'} AS registro`;

    // act
    const rows = await readFirstChunk(sql, (chunk) => chunk.rows());

    // assess
    expect(rows).toEqual([['infinity', '-infinity', 'infinity', '-infinity', '290000-01-01', ['infinity'], { fim: '-infinity' }]]);
  });

  it('shows times of day and intervals as DuckDB writes them, not as microseconds or fields', async () => {
    // prepare: how long a stream had been live, and the hour of the day it was seen
    const sql = `SELECT TIMESTAMP '2026-11-30 02:00' - TIMESTAMP '2026-11-29 00:30' AS no_ar, TIME '21:30:00' AS hora,
      TIME_NS '21:30:00.123456789' AS hora_ns, INTERVAL '1 year 2 months' AS periodo, NULL::INTERVAL AS nada`;

    // act
    const rows = await readFirstChunk(sql, (chunk) => chunk.rows());

    // assess
    expect(rows).toEqual([['1 day 01:30:00', '21:30:00', '21:30:00.123456789', '1 year 2 months', null]]);
  });

  it('shows intervals inside lists and structs as DuckDB writes them too', async () => {
    // prepare: each stream's uptimes, and one in a struct
    const sql = `SELECT [INTERVAL 90 MINUTE, NULL] AS no_ar, {'canal': 'gaules', 'no_ar': INTERVAL '1 day 2 hours'} AS maior, [TIME '21:30:00'] AS horas`;

    // act
    const rows = await readFirstChunk(sql, (chunk) => chunk.rows());

    // assess
    expect(rows).toEqual([[['01:30:00', null], { canal: 'gaules', no_ar: '1 day 02:00:00' }, ['21:30:00']]]);
  });

  it('passes the first column on as bytes, NULL as no bytes', async () => {
    // prepare
    const sql = "SELECT * FROM (VALUES (encode('a,b' || chr(10))), (NULL), (encode('ü'))) AS v(line)";

    // act
    const lines = await readFirstChunk(sql, (chunk) => chunk.blobs().map((bytes) => Buffer.from(bytes).toString('utf8')));

    // assess
    expect(lines).toEqual(['a,b\n', '', 'ü']);
  });
});
