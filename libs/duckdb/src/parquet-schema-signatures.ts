import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import type { DuckDbEngine } from './duckdb-engine';

/**
 * A short signature of each file's Parquet schema (every column's name, type and repetition, in
 * any order), in the order of `paths`; undefined for a file whose footer has none. Files with one
 * signature hold the same columns by name, so DuckDB can read them together by the first one's
 * schema (`union_by_name = false`) without opening every footer each time a query binds. One
 * query reads every footer, never the data pages.
 *
 * @example
 * const [a, b] = await parquetSchemaSignatures(engine, ['/tmp/a.parquet', '/tmp/b.parquet']);
 * const readTogether = a === b;
 */
export async function parquetSchemaSignatures(engine: DuckDbEngine, paths: readonly string[]): Promise<(string | undefined)[]> {
  if (paths.length === 0) return [];
  const rows = await engine.all<{ file_name: string; signature: string }>(
    `SELECT file_name,
            md5(string_agg(concat_ws(' ', name, duckdb_type, repetition_type, num_children), ',' ORDER BY name, duckdb_type, repetition_type, num_children)) AS signature
       FROM parquet_schema(from_json($paths, '["VARCHAR"]'))
      GROUP BY file_name`,
    { paths: JSON.stringify(paths.map(duckdbLiteralPath)) },
  );
  const byFile = new Map(rows.map((row) => [row.file_name, row.signature]));
  return paths.map((path) => byFile.get(path));
}
