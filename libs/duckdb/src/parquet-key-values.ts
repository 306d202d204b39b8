import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import type { DuckDbEngine } from './duckdb-engine';

/**
 * The value stored under `key` in each file's Parquet footer (the key-value metadata
 * `copyToParquet` writes), in the order of `paths`; undefined where a file has none. One query
 * reads every footer, never the data pages.
 *
 * @example
 * const [version] = await parquetKeyValues(engine, ['/tmp/x.parquet'], 'twitch_pipeline_model');
 */
export async function parquetKeyValues(engine: DuckDbEngine, paths: readonly string[], key: string): Promise<(string | undefined)[]> {
  if (paths.length === 0) return [];
  const rows = await engine.all<{ file_name: string; value: string }>(
    `SELECT file_name, decode(value) AS value
       FROM parquet_kv_metadata(from_json($paths, '["VARCHAR"]'))
      WHERE decode(key) = $key`,
    { paths: JSON.stringify(paths.map(duckdbLiteralPath)), key },
  );
  const byFile = new Map(rows.map((row) => [row.file_name, row.value]));
  return paths.map((path) => byFile.get(path));
}
