/**
 * A column name quoted for DuckDB's SQL. The names come from the schemas and the models, never
 * from input.
 *
 * @example
 * ident('hora_dia'); // '"hora_dia"'
 */
export const ident = (name: string) => `"${name}"`;

/**
 * A select list of `columns`, each cast to its schema type under its own name.
 *
 * @example
 * castColumns([{ name: 'data', type: 'DATE' }]); // 'CAST("data" AS DATE) AS "data"'
 */
export function castColumns(columns: readonly { name: string; type: string }[]): string {
  return columns.map((column) => `CAST(${ident(column.name)} AS ${column.type}) AS ${ident(column.name)}`).join(', ');
}

/**
 * A gold table's columns, each cast to its schema type, then any other column its model outputs,
 * as it is: a column added to a model's SQL but not to its schema in libs/schemas is written, so
 * the model-rule check of the exact column list names it, instead of being dropped unseen.
 *
 * @example
 * typedColumns([{ name: 'data', type: 'DATE' }]); // 'CAST("data" AS DATE) AS "data", * EXCLUDE ("data")'
 */
export function typedColumns(columns: readonly { name: string; type: string }[]): string {
  return `${castColumns(columns)}, * EXCLUDE (${columns.map((column) => ident(column.name)).join(', ')})`;
}
