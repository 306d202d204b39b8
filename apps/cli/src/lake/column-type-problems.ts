import type { DuckDbEngine, ParquetSchema } from '@twitch-pipeline/duckdb';

/** A view's column, as `duckdbColumns` gives it. */
export interface ViewColumn {
  name: string;
  type: string;
}

/** A type as DuckDB names a leaf column's (`BIGINT`, `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`): safe to put in SQL. */
const LEAF_TYPE = /^[A-Z][A-Z0-9_ ]*(\(\d+(,\s*\d+)?\))?$/;

/** How every reason `columnTypeProblems` gives ends: what tells it from a damaged file's. */
const TYPE_PROBLEM_END = ' cannot read (not written by this pipeline)';

/**
 * Why each file (given by its footer's leaf columns) cannot join its view, in the order given
 * (undefined: it can): the first of the view's columns a file holds in a type the view's type
 * cannot take implicitly (DuckDB's `can_cast_implicitly`, so a BIGINT an older model wrote as
 * INTEGER still joins). One question to DuckDB per distinct pair of types.
 *
 * @example
 * const [problem] = await columnTypeProblems(engine, [[{ name: 'espectadores', type: 'VARCHAR' }]], [{ name: 'espectadores', type: 'BIGINT' }]);
 * // 'column espectadores is VARCHAR, which the view's BIGINT cannot read (not written by this pipeline)'
 */
export async function columnTypeProblems(
  engine: DuckDbEngine,
  files: readonly ParquetSchema['leaves'][],
  columns: readonly ViewColumn[],
): Promise<(string | undefined)[]> {
  const expected = new Map(columns.map((column) => [column.name, column.type]));
  const differing = files.map((leaves) => leaves.filter((leaf) => expected.has(leaf.name) && leaf.type !== expected.get(leaf.name)));
  const pairs = [...new Set(differing.flat().map((leaf) => `${leaf.type}\u0000${expected.get(leaf.name)}`))];
  const castable = new Set<string>();
  for (const pair of pairs) {
    const [from, to] = pair.split('\u0000') as [string, string];
    if (!LEAF_TYPE.test(from)) continue;
    const [row] = await engine.all<{ ok: boolean }>(`SELECT can_cast_implicitly(CAST(NULL AS ${from}), CAST(NULL AS ${to})) AS ok`);
    if (row?.ok) castable.add(pair);
  }
  return differing.map((leaves) => {
    const leaf = leaves.find((candidate) => !castable.has(`${candidate.type}\u0000${expected.get(candidate.name)}`));
    return leaf && `column ${leaf.name} is ${leaf.type}, which the view's ${expected.get(leaf.name)}${TYPE_PROBLEM_END}`;
  });
}

/**
 * Whether a bad object's reason is one `columnTypeProblems` gave: a file left out of a view only
 * for a column's type, which a view's reader alone cannot take, though the pipeline's own steps
 * may (silver reads bronze by its own casts).
 *
 * @example
 * isColumnTypeProblem("column viewer_count is DECIMAL(18,0), which the view's BIGINT cannot read (not written by this pipeline)"); // true
 * isColumnTypeProblem('empty file (0 bytes)'); // false
 */
export function isColumnTypeProblem(reason: string): boolean {
  return reason.startsWith('column ') && reason.endsWith(TYPE_PROBLEM_END);
}
