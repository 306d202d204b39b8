import { createHash } from 'node:crypto';
import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import type { DuckDbEngine } from './duckdb-engine';

/** A Parquet file's columns as its footer declares them. */
export interface ParquetSchema {
  /**
   * A short digest of every column's name, type and repetition, in any order: files with one
   * signature hold the same columns by name, so DuckDB can read them together by the first one's
   * schema (`union_by_name = false`) without opening every footer each time a query binds.
   */
  signature: string;
  /** The columns that hold values (not the groups of nested ones), with DuckDB's type for each. */
  leaves: { name: string; type: string }[];
}

/**
 * Each file's {@link ParquetSchema}, in the order of `paths`; undefined for a file whose footer
 * declares no column. One query reads every footer, never the data pages.
 *
 * @example
 * const [a, b] = await parquetSchemas(engine, ['/tmp/a.parquet', '/tmp/b.parquet']);
 * const readTogether = a?.signature === b?.signature;
 */
export async function parquetSchemas(engine: DuckDbEngine, paths: readonly string[]): Promise<(ParquetSchema | undefined)[]> {
  if (paths.length === 0) return [];
  const rows = await engine.all<{ file_name: string; name: string; duckdb_type: string | null; repetition_type: string | null; num_children: number | null }>(
    `SELECT file_name, name, duckdb_type, repetition_type, num_children FROM parquet_schema(from_json($paths, '["VARCHAR"]'))`,
    { paths: JSON.stringify(paths.map(duckdbLiteralPath)) },
  );
  const byFile = new Map<string, { entries: string[]; leaves: ParquetSchema['leaves'] }>();
  for (const row of rows) {
    const file = byFile.get(row.file_name) ?? { entries: [], leaves: [] };
    if (file.entries.length === 0) byFile.set(row.file_name, file);
    file.entries.push([row.name, row.duckdb_type, row.repetition_type, row.num_children].join(' '));
    if (row.duckdb_type !== null) file.leaves.push({ name: row.name, type: row.duckdb_type });
  }
  return paths.map((path) => {
    const file = byFile.get(path);
    if (!file) return undefined;
    return { signature: createHash('md5').update(file.entries.sort().join('\n')).digest('hex'), leaves: file.leaves };
  });
}
