/**
 * A file or directory path as DuckDB reads it literally. DuckDB expands `*`, `?` and `[…]` in
 * every path it reads, a bound parameter or an entry of an explicit list alike: a data directory
 * named `runs [old]` found no files in a glob, and one named `lake*` also read the files of its
 * siblings. Each of those characters goes into a bracket of its own, which matches only it.
 * It sits here rather than in libs/duckdb because the storage adapters, which may not import
 * that library (both are base layers), build DuckDB globs too.
 *
 * @example
 * duckdbLiteralPath('/data/runs [old]'); // '/data/runs [[]old]'
 * `read_json(${sqlString(`${duckdbLiteralPath(directory)}/*.ndjson`)})`; // only that directory's files
 */
export function duckdbLiteralPath(path: string): string {
  return path.replace(/[*?[]/g, (character) => `[${character}]`);
}

/**
 * The path a {@link duckdbLiteralPath} pattern stands for, e.g. the one named in DuckDB's
 * "No files found that match the pattern" message.
 *
 * @example
 * pathOfDuckdbLiteral('/data/runs [[]old]/a.parquet'); // '/data/runs [old]/a.parquet'
 */
export function pathOfDuckdbLiteral(pattern: string): string {
  return pattern.replace(/\[([*?[])\]/g, '$1');
}
