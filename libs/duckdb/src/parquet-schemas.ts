import { createHash } from 'node:crypto';
import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import type { DuckDbEngine } from './duckdb-engine';

/** A Parquet file's columns as its footer declares them. */
export interface ParquetSchema {
  /**
   * A short digest of every column's path, type and repetition, in any order: files with one
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
  const rows = await engine.all<{ file_name: string; name: string; duckdb_type: string | null; repetition_type: string | null; num_children: number | null; column_id: number }>(
    `SELECT file_name, name, duckdb_type, repetition_type, num_children, column_id FROM parquet_schema(from_json($paths, '["VARCHAR"]'))`,
    { paths: JSON.stringify(paths.map(duckdbLiteralPath)) },
  );
  const byFile = new Map<string, typeof rows>();
  for (const row of rows) {
    const file = byFile.get(row.file_name) ?? [];
    if (file.length === 0) byFile.set(row.file_name, file);
    file.push(row);
  }
  const schemaOf = (fields: typeof rows): ParquetSchema => {
    // The rows are the schema tree in pre-order, each group followed by its children: a field's
    // path (`tags.list.element`) tells apart two files whose nested fields sit under other parents.
    const entries: string[] = [];
    const leaves: ParquetSchema['leaves'] = [];
    const open: { path: string; left: number }[] = [];
    for (const [index, field] of [...fields].sort((a, b) => a.column_id - b.column_id).entries()) {
      while (open.length > 0 && open.at(-1)!.left === 0) open.pop();
      const parent = open.at(-1);
      if (parent) parent.left -= 1;
      const path = index === 0 ? '' : parent?.path ? `${parent.path}.${field.name}` : field.name;
      if (index > 0) entries.push([path, field.duckdb_type, field.repetition_type, field.num_children].join(' '));
      if (field.duckdb_type !== null && index > 0) leaves.push({ name: field.name, type: field.duckdb_type });
      if ((field.num_children ?? 0) > 0) open.push({ path, left: field.num_children! });
    }
    return { signature: createHash('md5').update(entries.sort().join('\n')).digest('hex'), leaves };
  };
  return paths.map((path) => {
    const fields = byFile.get(path);
    return fields ? schemaOf(fields) : undefined;
  });
}
