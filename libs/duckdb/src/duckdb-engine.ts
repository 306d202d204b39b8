import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { columnsOf, duckdbLiteralPath, duckdbType as duckTypeOf } from '@twitch-pipeline/schemas';
import type { z } from 'zod';
import { type DuckDbEngineOptions, openPipelineInstance } from './duckdb-instance';
import { RowAppender } from './row-appender';

export type { DuckDbEngineOptions } from './duckdb-instance';

/** Query parameters, bound by name (`$name`); never spliced into the SQL text. */
export type QueryParams = Record<string, string | number | boolean | null | bigint | string[]>;

export type Row = Record<string, unknown>;

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Date) return value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toPlain(inner)]));
  }
  return value;
}

/**
 * `text` as a SQL string literal (single quotes doubled), for what DuckDB cannot take as a bound
 * parameter: file paths in `read_parquet([...])` lists and `COPY ... TO`.
 *
 * @example
 * sqlString("it's.parquet"); // 'it''s.parquet'
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A list literal of files for `read_parquet([...])`, each read as that file only, whatever
 * glob characters its path holds (see `duckdbLiteralPath`).
 *
 * @example
 * sqlFileList(['/data/runs [old]/a.parquet']); // ['/data/runs [[]old]/a.parquet']
 */
export function sqlFileList(paths: readonly string[]): string {
  return `[${paths.map((path) => sqlString(duckdbLiteralPath(path))).join(', ')}]`;
}

/**
 * A DuckDB instance with one connection, configured for pipeline work by
 * {@link openPipelineInstance} (UTC, no extension auto-loading, a memory limit, a private spill
 * folder), with typed helpers for queries and Parquet output.
 *
 * @example
 * const engine = await DuckDbEngine.open({ memoryLimit: '1GB' });
 * const rows = await engine.all('SELECT count(*) AS n FROM read_parquet($path)', { path });
 * await engine.close();
 */
export class DuckDbEngine {
  private closed = false;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly closeInstance: () => Promise<void>,
  ) {}

  static async open(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const { connection, close } = await openPipelineInstance(options);
    return new DuckDbEngine(connection, close);
  }

  /** Runs one statement (or several, when no parameters are given). */
  async run(sql: string, params?: QueryParams): Promise<void> {
    await this.connection.run(sql, params as Record<string, DuckDBValue> | undefined);
  }

  /** Runs a query and returns its rows as plain JS values (safe BIGINTs become numbers). */
  async all<T extends Row = Row>(sql: string, params?: QueryParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as Record<string, DuckDBValue> | undefined);
    return reader.getRowObjectsJS().map((row) => toPlain(row) as T);
  }

  /**
   * Writes a query's result to a Parquet file (snappy). The path is the caller's own temp file.
   * `metadata` goes into the file's footer as key-value pairs (see {@link parquetKeyValues}).
   */
  async copyToParquet(selectSql: string, params: QueryParams | undefined, path: string, metadata?: Readonly<Record<string, string>>): Promise<void> {
    const pairs = Object.entries(metadata ?? {}).map(([key, value]) => `${sqlString(key)}: ${sqlString(value)}`);
    const options = pairs.length > 0 ? `, KV_METADATA {${pairs.join(', ')}}` : '';
    await this.run(`COPY (${selectSql}) TO ${sqlString(path)} (FORMAT parquet, COMPRESSION snappy${options})`, params);
  }

  /**
   * Writes typed rows to a Parquet file whose columns and types derive from a row schema. Rows go
   * in through DuckDB's appender (no text round trip), so any string a record carries is stored
   * as given. Timestamps are parsed with their offsets and stored as UTC. `metadata` goes into
   * the file's footer, as {@link copyToParquet} writes it.
   */
  async writeRowsToParquet(rows: readonly Row[], schema: z.ZodObject<z.ZodRawShape>, path: string, metadata?: Readonly<Record<string, string>>): Promise<void> {
    const columns = columnsOf(schema);
    const table = `rows_${randomUUID().replaceAll('-', '')}`;
    await this.run(`CREATE TEMP TABLE ${table} (${columns.map((c) => `"${c.name}" ${duckTypeOf(c.type)}`).join(', ')})`);
    try {
      const appender = await RowAppender.open(this.connection, table, columns);
      try {
        for (const row of rows) appender.append(row);
      } finally {
        appender.close();
      }
      await this.copyToParquet(`SELECT * FROM ${table}`, undefined, path, metadata);
    } finally {
      await this.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  /** Closes the engine; closing it again does nothing (a pool replacing its engines may close one twice on a failure). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeInstance();
  }
}

/**
 * Opens an engine, runs `work` with it and always closes it.
 *
 * @example
 * const n = await withEngine({}, (engine) => engine.all('SELECT 1 AS one'));
 */
export async function withEngine<T>(options: DuckDbEngineOptions, work: (engine: DuckDbEngine) => Promise<T>): Promise<T> {
  const engine = await DuckDbEngine.open(options);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}
