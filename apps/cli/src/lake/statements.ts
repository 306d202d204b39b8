import { type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBPreparedStatement, type DuckDBType, type DuckDBValue, StatementType } from '@duckdb/node-api';
import { NotAQueryError } from './not-a-query-error';

/** A column of a query's result, as DuckDB plans it. */
export interface QueryColumn {
  name: string;
  type: DuckDBType;
}

/**
 * Whether `sql` holds a statement at all, rather than only blanks, comments or semicolons.
 * DuckDB's bindings answer SQL of no statement with a bare "Error in native callback", as they
 * answer a syntax error; the same SQL with one statement after it tells the two apart. SQL
 * that does not parse counts as holding one: running it reports its own error.
 *
 * @example
 * await holdsStatement(connection, '-- nothing yet'); // false
 */
export function holdsStatement(connection: DuckDBConnection, sql: string): Promise<boolean> {
  return connection.extractStatements(sql).then(
    () => true,
    () =>
      connection.extractStatements(`${sql}\n;SELECT 1`).then(
        (statements) => statements.count !== 1,
        () => true,
      ),
  );
}

/**
 * How many parameter placeholders (`?`, `$1`, `$name`) the statements of `sql` hold; a
 * statement that cannot be planned counts none (running it reports its own error).
 *
 * @example
 * await placeholderCount(connection, 'SELECT * FROM silver_streams WHERE nome_streamer = ?'); // 1
 */
export async function placeholderCount(connection: DuckDBConnection, sql: string): Promise<number> {
  const statements = await connection.extractStatements(sql).catch(() => undefined);
  let count = 0;
  for (let index = 0; index < (statements?.count ?? 0); index += 1) {
    const prepared = await statements!.prepare(index).catch(() => undefined);
    count += prepared?.parameterCount ?? 0;
    prepared?.destroySync();
  }
  return count;
}

/**
 * The columns of `prepared`, the one statement of `sql`, which it then destroys. Throws
 * {@link NotAQueryError} unless it returns rows and can be read as a subquery.
 *
 * @example
 * const columns = await subqueryColumns(connection, sql, await (await connection.extractStatements(sql)).prepare(0));
 */
export async function subqueryColumns(connection: DuckDBConnection, sql: string, prepared: DuckDBPreparedStatement): Promise<QueryColumn[]> {
  try {
    if (prepared.statementType !== StatementType.SELECT) {
      throw new NotAQueryError(`expected a query (SELECT, FROM, WITH …), not a statement of type ${StatementType[prepared.statementType]}`);
    }
    // DuckDB plans some statements as SELECTs (PRAGMA version) that still cannot be a subquery.
    const wrapped = await connection.extractStatements(`SELECT * FROM (\n${sql}\n)`).then(
      () => true,
      () => false,
    );
    if (!wrapped) throw new NotAQueryError('expected a query (SELECT, FROM, WITH …) that can be read as a subquery');
    return Array.from({ length: prepared.columnCount }, (_, index) => ({ name: prepared.columnName(index), type: prepared.columnType(index) }));
  } finally {
    prepared.destroySync();
  }
}

/**
 * Runs SQL and returns the result of its last statement, as DuckDB's own shell shows it: given
 * several statements as one text, `connection.run` returns the first one's result and drops
 * the others'. With parameters, the API already runs the statements one by one.
 *
 * @example
 * const result = await runLastStatement(connection, 'SET threads = 1; SELECT 42 AS answer');
 */
export async function runLastStatement(connection: DuckDBConnection, sql: string, params?: unknown[]): Promise<DuckDBMaterializedResult> {
  if (params !== undefined) return connection.run(sql, params as DuckDBValue[]);
  const statements = await connection.extractStatements(sql);
  if (statements.count < 2) return connection.run(sql);
  for (let index = 0; ; index += 1) {
    const prepared = await statements.prepare(index);
    try {
      const result = await prepared.run();
      if (index === statements.count - 1) return result;
    } finally {
      prepared.destroySync();
    }
  }
}
