import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  listValue,
} from '@duckdb/node-api';
import type { ColumnSpec } from '@twitch-pipeline/schemas';
import { RowAppendError } from './row-append-error';

const DAY_MS = 86_400_000;
/** DuckDB's vector size: rows go in one full data chunk at a time. */
const CHUNK_ROWS = 2048;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function mismatchOf(rowIndex: number, column: ColumnSpec, value: unknown, expected: string): RowAppendError {
  return new RowAppendError(rowIndex, column.name, `expected ${expected}, received ${kindOf(value)}`);
}

function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function instantMs(value: unknown, column: ColumnSpec, rowIndex: number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new RowAppendError(rowIndex, column.name, `expected an ISO-8601 ${column.type}, received ${kindOf(value)} ${JSON.stringify(value)}`);
  return ms;
}

/**
 * Appends typed rows to a DuckDB table with the appender API: values go straight into DuckDB's
 * vectors, a data chunk of 2,048 rows at a time, with no text round trip, so any JavaScript
 * string (long, with control characters, any Unicode) is stored as given. Column types come
 * from the row schema's {@link ColumnSpec}s; timestamps are ISO-8601 instants (any offset)
 * stored as UTC, dates `YYYY-MM-DD`.
 *
 * @example
 * const appender = await RowAppender.open(connection, 'bronze_rows', columnsOf(bronzeStreamRowSchema));
 * for (const row of rows) appender.append(row);
 * appender.close();
 */
export class RowAppender {
  private appended = 0;
  private pending: DuckDBValue[][];
  /** Parsed instants by text: a snapshot's rows share their collection time. */
  private readonly instants = new Map<string, number>();

  private constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly ColumnSpec[],
    private readonly types: readonly DuckDBType[],
  ) {
    this.pending = columns.map(() => []);
  }

  /** Opens an appender on an existing table whose columns are `columns`, in order. */
  static async open(connection: DuckDBConnection, table: string, columns: readonly ColumnSpec[]): Promise<RowAppender> {
    const appender = await connection.createAppender(table);
    if (appender.columnCount !== columns.length) {
      appender.closeSync();
      throw new Error(`table ${table} has ${appender.columnCount} columns, the schema ${columns.length}`);
    }
    return new RowAppender(appender, columns, columns.map((_, index) => appender.columnType(index)));
  }

  /** Rows appended so far. */
  get count(): number {
    return this.appended;
  }

  /**
   * Appends one row; a value that does not fit its column throws a {@link RowAppendError}
   * before anything of the row is kept.
   */
  append(row: Readonly<Record<string, unknown>>): void {
    // Plain loops: the CLI runs under a loader that names every closure, a cost paid per row here.
    const values: DuckDBValue[] = new Array(this.columns.length);
    for (let index = 0; index < this.columns.length; index++) {
      const column = this.columns[index]!;
      values[index] = this.valueOf(column, row[column.name]);
    }
    for (let index = 0; index < values.length; index++) this.pending[index]!.push(values[index]!);
    this.appended += 1;
    if (this.pending[0]!.length >= CHUNK_ROWS) this.appendPending();
  }

  /** Writes the appended rows into the table and releases the appender. */
  close(): void {
    try {
      this.appendPending();
      this.appender.flushSync();
    } finally {
      this.appender.closeSync();
    }
  }

  private instantOf(value: unknown, column: ColumnSpec, row: number): number {
    if (typeof value !== 'string') return instantMs(value, column, row);
    let ms = this.instants.get(value);
    if (ms === undefined) {
      ms = instantMs(value, column, row);
      if (this.instants.size >= 4096) this.instants.clear();
      this.instants.set(value, ms);
    }
    return ms;
  }

  private appendPending(): void {
    const rows = this.pending[0]?.length ?? 0;
    if (rows === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, rows);
    for (const [index, values] of this.pending.entries()) chunk.setColumnValues(index, values);
    this.appender.appendDataChunk(chunk);
    this.pending = this.columns.map(() => []);
  }

  private valueOf(column: ColumnSpec, value: unknown): DuckDBValue {
    const row = this.appended;
    // Nullability is the row schema's to check: tests and quarantine paths write rows with gaps on purpose.
    if (value === null || value === undefined) return null;
    switch (column.type) {
      case 'string':
        if (typeof value !== 'string') throw mismatchOf(row, column, value, 'a string');
        return value;
      case 'bigint':
        if (typeof value === 'bigint') return value;
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw mismatchOf(row, column, value, 'a whole number');
        return BigInt(value);
      case 'double':
        if (typeof value !== 'number') throw mismatchOf(row, column, value, 'a number');
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw mismatchOf(row, column, value, 'a boolean');
        return value;
      case 'timestamp':
        return new DuckDBTimestampValue(BigInt(this.instantOf(value, column, row)) * 1000n);
      case 'date':
        return new DuckDBDateValue(Math.floor(this.instantOf(value, column, row) / DAY_MS));
      case 'string[]':
        if (!isStringList(value)) throw mismatchOf(row, column, value, 'a list of strings');
        return listValue(value);
    }
  }
}
