import { z } from 'zod';

/** The storage types a column can have; each maps to one DuckDB/Parquet and one Glue/Athena type. */
export type LogicalType = 'string' | 'bigint' | 'double' | 'boolean' | 'timestamp' | 'date' | 'string[]';

/** One column of a row schema, derived from the zod schema (never written by hand). */
export interface ColumnSpec {
  name: string;
  type: LogicalType;
  nullable: boolean;
  description: string;
}

const DUCKDB_TYPES: Record<LogicalType, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  'string[]': 'VARCHAR[]',
};

const GLUE_TYPES: Record<LogicalType, string> = {
  string: 'string',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
  'string[]': 'array<string>',
};

/** Metadata a field may carry to override the inferred storage type. */
export interface ColumnMeta {
  description?: string;
  storedAs?: LogicalType;
}

type AnySchema = z.ZodType;
type ObjectSchema = z.ZodObject<z.ZodRawShape>;

function metaOf(schema: AnySchema): ColumnMeta {
  return (z.globalRegistry.get(schema) ?? {}) as ColumnMeta;
}

function unwrap(schema: AnySchema): { inner: AnySchema; nullable: boolean; meta: ColumnMeta } {
  let current: AnySchema = schema;
  let nullable = false;
  let meta: ColumnMeta = { ...metaOf(schema) };
  for (;;) {
    const def = (current as unknown as { _zod: { def: { type: string; innerType?: AnySchema } } })._zod.def;
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
      if (def.type !== 'default') nullable = true;
      current = def.innerType;
      meta = { ...metaOf(current), ...meta };
      continue;
    }
    return { inner: current, nullable, meta };
  }
}

interface ZodInternals {
  def: { type: string; format?: string; element?: AnySchema; checks?: { _zod: { def: { format?: string } } }[] };
}

function formatOf(internals: ZodInternals): string | undefined {
  return internals.def.format ?? internals.def.checks?.find((check) => check._zod.def.format)?._zod.def.format;
}

function inferType(schema: AnySchema, field: string): LogicalType {
  const internals = (schema as unknown as { _zod: ZodInternals })._zod;
  const format = formatOf(internals);
  switch (internals.def.type) {
    case 'string':
      if (format === 'datetime') return 'timestamp';
      if (format === 'date') return 'date';
      return 'string';
    case 'enum':
    case 'literal':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return format === 'safeint' || format === 'int32' ? 'bigint' : 'double';
    case 'array': {
      const element = internals.def.element ? unwrap(internals.def.element).inner : undefined;
      if (element && inferType(element, field) === 'string') return 'string[]';
      break;
    }
  }
  throw new Error(`column ${field}: cannot derive a storage type from zod type "${internals.def.type}"`);
}

/**
 * Derives the column list of a row schema, in declaration order.
 *
 * @example
 * const names = columnsOf(silverStreamRowSchema).map((c) => c.name);
 */
export function columnsOf(schema: ObjectSchema): ColumnSpec[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { inner, nullable, meta } = unwrap(field as AnySchema);
    return {
      name,
      type: meta.storedAs ?? inferType(inner, name),
      nullable,
      description: meta.description ?? '',
    };
  });
}

/**
 * Column names of a row schema, in declaration order.
 *
 * @example
 * columnNames(goldStreamsDiarioRowSchema); // ['data', 'nome_streamer', ...]
 */
export function columnNames(schema: ObjectSchema): string[] {
  return columnsOf(schema).map((column) => column.name);
}

/**
 * The DuckDB type of a logical column type.
 *
 * @example
 * duckdbType('string[]'); // 'VARCHAR[]'
 */
export function duckdbType(type: LogicalType): string {
  return DUCKDB_TYPES[type];
}

/**
 * The Glue/Athena type of a logical column type.
 *
 * @example
 * glueType('string[]'); // 'array<string>'
 */
export function glueType(type: LogicalType): string {
  return GLUE_TYPES[type];
}

/**
 * DuckDB columns of a row schema, as `{ name, type }` pairs.
 *
 * @example
 * duckdbColumns(bronzeStreamRowSchema); // [{ name: 'id', type: 'VARCHAR' }, ...]
 */
export function duckdbColumns(schema: ObjectSchema): { name: string; type: string }[] {
  return columnsOf(schema).map((column) => ({ name: column.name, type: duckdbType(column.type) }));
}

/**
 * Glue catalog columns of a row schema (name, type, comment), for `aws.glue.CatalogTable`.
 *
 * @example
 * glueColumns(silverStreamRowSchema); // [{ name: 'id_stream', type: 'string', comment: '...' }, ...]
 */
export function glueColumns(schema: ObjectSchema): { name: string; type: string; comment: string }[] {
  return columnsOf(schema).map((column) => ({
    name: column.name,
    type: glueType(column.type),
    comment: column.description,
  }));
}

/**
 * A DuckDB struct literal of the columns, for `read_json(..., columns = {...})` and casts.
 * Names are identifiers from the schemas, never user input.
 *
 * @example
 * duckdbStructType(bronzeStreamRowSchema); // "{'id': 'VARCHAR', ...}"
 */
export function duckdbStructType(schema: ObjectSchema): string {
  return `{${duckdbColumns(schema)
    .map((column) => `'${column.name}': '${column.type}'`)
    .join(', ')}}`;
}
