import { rmSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { DuckDBArrayType, DuckDBListType, DuckDBMapType, DuckDBStructType, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import { sqlString } from '@twitch-pipeline/duckdb';
import { publishFile, syncFile } from '@twitch-pipeline/storage';
import { EXIT } from '../cli/errors';
import { STOP_SIGNALS } from '../cli/signals';
import { CSV_FORMULA_START, distinctNames } from '../cli/table';
import { keepModeOf, removeAbandonedTemporaries, temporaryBeside } from '../cli/temporary-beside';
import { isCsvText } from './csv-text-types';
import type { LakeSession, QueryColumn } from './lake-session';

/** The file formats `query --out` writes. */
export const EXPORT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The export's file could not be written (its folder gone, the disk full …); the query itself was fine.
 *
 * @example
 * await exportQuery(session, 'SELECT * FROM silver_streams', undefined, 'streams.csv', 'csv').catch((error) => {
 *   // The file's fault, not the query's: no hint about views or columns would help.
 *   if (error instanceof ExportWriteError) console.error(`nothing written to ${error.target}: ${error.message}`);
 *   throw error;
 * });
 */
export class ExportWriteError extends Error {
  constructor(
    readonly target: string,
    cause: unknown,
  ) {
    super(`could not write ${target}: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'ExportWriteError';
  }
}

/** What an export wrote. */
export interface ExportResult {
  rows: number;
  bytes: number;
}

const PARTIAL = '.partial';

const COPY_OPTIONS: Record<ExportFormat, string> = {
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json, ARRAY true',
  parquet: 'FORMAT parquet, COMPRESSION snappy',
};

/** Compression of a csv or json file by its name's last extension, as DuckDB's `COPY … TO` gives it. */
const COMPRESSIONS: Record<string, string> = { '.gz': 'gzip', '.zst': 'zstd' };

/**
 * The options of the export's `COPY`: the temporary's name hides the target's extension, from
 * which DuckDB would otherwise take the compression (`--out rows.csv.gz --format csv`).
 */
function copyOptions(format: ExportFormat, target: string): string {
  if (format === 'parquet') return COPY_OPTIONS.parquet;
  return `${COPY_OPTIONS[format]}, COMPRESSION ${COMPRESSIONS[extname(target).toLowerCase()] ?? 'none'}`;
}

/** Types whose values a CSV cell holds as JSON text, as `--format csv` prints them. */
const NESTED_TYPES = new Set([DuckDBTypeId.LIST, DuckDBTypeId.STRUCT, DuckDBTypeId.MAP, DuckDBTypeId.ARRAY, DuckDBTypeId.UNION]);

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The format a file's last extension names (`.csv`, `.json`, `.parquet`, any case), or undefined. */
function plainFormatOf(path: string): ExportFormat | undefined {
  const extension = extname(path).slice(1).toLowerCase();
  return EXPORT_FORMATS.find((format) => format === extension);
}

/**
 * The format a file's name gives (`.csv`, `.json`, `.parquet`, any case, and `.csv` or `.json`
 * before a compression the export writes: `rows.csv.gz`), or undefined.
 *
 * @example
 * exportFormatOfPath('top.parquet'); // 'parquet'
 * exportFormatOfPath('rows.csv.gz'); // 'csv'
 */
export function exportFormatOfPath(path: string): ExportFormat | undefined {
  const last = extname(path).toLowerCase();
  if (COMPRESSIONS[last] === undefined) return plainFormatOf(path);
  const inner = plainFormatOf(path.slice(0, path.length - last.length));
  return inner === 'parquet' ? undefined : inner;
}

/**
 * Why a file named `path` should not hold an export in `format`, or undefined: a name that
 * names another format (`top.json` with `--format csv`), a Parquet file named as compressed
 * (Parquet compresses inside, with snappy), or a compression the writer does not make
 * (`rows.csv.bz2`, which would be plain CSV under that name).
 *
 * @example
 * exportNameProblem('top.json', 'csv'); // 'the file is named for json: …'
 */
export function exportNameProblem(path: string, format: ExportFormat): string | undefined {
  const last = extname(path).toLowerCase();
  const named = plainFormatOf(path);
  if (named !== undefined) return named === format ? undefined : `the file is named for ${named}: name it .${format} or leave --format out`;
  const inner = plainFormatOf(path.slice(0, path.length - last.length));
  if (inner === undefined) return undefined;
  if (inner !== format) return `the file is named for ${inner}: name it .${format}${last} or leave --format out`;
  if (format === 'parquet') return `a Parquet file compresses itself (snappy): name it .parquet, without ${last}`;
  return COMPRESSIONS[last] === undefined ? `${last} is no compression --out writes: name it .${format}.gz (gzip) or .${format}.zst (zstd)` : undefined;
}

/** Floating-point types, whose NaN and infinities JSON cannot hold. */
const FLOAT_TYPES = new Set([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE]);

/**
 * `value` of type `type` with every NaN and infinity in it, at any depth of lists, arrays,
 * structs and map values, made NULL (as JSON.stringify has them): DuckDB's JSON writer and
 * `to_json` would write `NaN` and `Infinity`, which no JSON parser reads, and DuckDB's float
 * division by zero makes them. Undefined when the type holds no floating-point number.
 */
function jsonSafe(value: string, type: DuckDBType, depth = 0): string | undefined {
  if (FLOAT_TYPES.has(type.typeId)) return `CASE WHEN isfinite(${value}) THEN ${value} END`;
  const item = `x${depth}`;
  if (type instanceof DuckDBListType || type instanceof DuckDBArrayType) {
    const inner = jsonSafe(item, type.valueType, depth + 1);
    return inner && `list_transform(${value}, lambda ${item}: ${inner})`;
  }
  if (type instanceof DuckDBMapType) {
    const inner = jsonSafe(`${item}.value`, type.valueType, depth + 1);
    return inner && `map_from_entries(list_transform(map_entries(${value}), lambda ${item}: struct_pack(key := ${item}.key, value := ${inner})))`;
  }
  if (type instanceof DuckDBStructType) {
    const fields = type.entryNames.map((name, index) => {
      const field = `struct_extract(${value}, ${sqlString(name)})`;
      return { name, field, safe: jsonSafe(field, type.entryTypes[index]!, depth + 1) };
    });
    if (fields.every((field) => field.safe === undefined)) return undefined;
    return `CASE WHEN ${value} IS NOT NULL THEN struct_pack(${fields.map((field) => `${ident(field.name)} := ${field.safe ?? field.field}`).join(', ')}) END`;
  }
  return undefined;
}

/** The value a CSV cell of column `column` (read as `value`) holds: what `--format csv` prints. */
function csvValue(value: string, column: QueryColumn): string {
  if (isCsvText(column.type)) {
    // A leading quote makes a spreadsheet show the text as it is instead of evaluating it. As text,
    // a JSON column's guarded value is not cast back to JSON (`'-5` is no JSON: the export failed).
    const text = `CAST(${value} AS VARCHAR)`;
    return `CASE WHEN regexp_matches(${text}, ${sqlString(CSV_FORMULA_START.source)}) THEN '''' || ${text} ELSE ${text} END`;
  }
  if (NESTED_TYPES.has(column.type.typeId)) return `CAST(to_json(${jsonSafe(value, column.type) ?? value}) AS VARCHAR)`;
  return value;
}

/**
 * 128-bit integers, which Parquet has no type for: DuckDB's writer makes them DOUBLE, so a `sum()`
 * of integers (a HUGEINT) lost its digits past 2^53. DECIMAL(38,0) keeps them exactly, and fails
 * the export rather than round one past 38 digits.
 */
const WIDE_INTEGER_TYPES = new Set([DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

function exportedValue(value: string, column: QueryColumn, format: ExportFormat): string {
  if (format === 'csv') return csvValue(value, column);
  if (format === 'json') return jsonSafe(value, column.type) ?? value;
  if (WIDE_INTEGER_TYPES.has(column.type.typeId)) return `CAST(${value} AS DECIMAL(38, 0))`;
  return value;
}

/**
 * `sql` as the body of a subquery: without a terminating semicolon, which would end it, nor the
 * blanks and comments after it, as a report file often has (a trailing line comment before it is
 * ended by the newlines the SELECTs here put around the body).
 *
 * @example
 * asSubquery('SELECT 1;\n-- end of report\n'); // 'SELECT 1'
 */
export function asSubquery(sql: string): string {
  // Each comment matches one way only (a line one to its line's end, a block one to its first
  // `*/`): with more, a line of dashes after a semicolon that is not the last would be split in
  // exponentially many ways before the match failed, and the command would hang.
  return sql.replace(/;(?:;|\s|--[^\n]*(?![^\n])|\/\*(?:[^*]|\*(?!\/))*\*\/)*$/, '');
}

/**
 * The SELECT that DuckDB's writer exports: the query as a subquery whose columns are taken by
 * position and named again as the query named them (a repeated name gets `_1`, `_2`, …). A CSV gets
 * what `--format csv` prints: text that a spreadsheet would run as a formula starts with `'`,
 * and lists and structs are JSON. In JSON, and in a CSV's lists and structs, a NaN or infinite
 * number is null.
 *
 * @example
 * exportSelect('SELECT 1 AS n', [{ name: 'n', type: INTEGER }], 'csv'); // 'SELECT c1 AS "n" FROM (…) AS q(c1)'
 */
function exportSelect(sql: string, columns: readonly QueryColumn[], format: ExportFormat): string {
  const aliases = columns.map((_, index) => `c${index + 1}`);
  const names = distinctNames(columns.map((column) => column.name)).map(ident);
  const select = columns.map((column, index) => `${exportedValue(aliases[index]!, column, format)} AS ${names[index]}`);
  // The newlines end a trailing line comment of the query inside the subquery.
  return `SELECT ${select.join(', ')} FROM (\n${sql}\n) AS q(${aliases.join(', ')})`;
}

/**
 * Writes the result of one query to `target` with DuckDB's own writer (csv, a JSON array, or
 * snappy Parquet), at DuckDB's speed, on every core. The file appears whole or not at
 * all: DuckDB writes a hidden temporary beside `target`, which is flushed and renamed over it
 * only when the query has finished, so a query that fails midway (or is interrupted: SIGINT,
 * SIGTERM and SIGHUP remove the temporary and exit) leaves no file, and an earlier `target` as it was. A
 * temporary left by an export killed outright (`kill -9`) is removed by the next export of the target.
 * `onAbandon` runs after the temporary is removed on one of those signals, before the process exits.
 * Throws `NotAQueryError` for SQL that is not one query, {@link ExportWriteError} when the file
 * could not be written, and the query's own error otherwise.
 *
 * @example
 * const { rows } = await exportQuery(session, 'SELECT * FROM gold_streamers_diario', undefined, 'streamers.parquet', 'parquet');
 */
export async function exportQuery(
  session: LakeSession,
  sql: string,
  params: unknown[] | undefined,
  target: string,
  format: ExportFormat,
  onAbandon?: () => void,
): Promise<ExportResult> {
  const query = asSubquery(sql);
  const columns = await session.queryColumns(query);
  await removeAbandonedTemporaries(target, PARTIAL);
  const temporary = temporaryBeside(target, PARTIAL);
  // Ctrl-C or a kill during a long export would otherwise leave the temporary behind.
  const abandon = () => {
    session.interrupt();
    rmSync(temporary, { force: true });
    onAbandon?.();
    process.exit(EXIT.interrupted);
  };
  for (const signal of STOP_SIGNALS) process.once(signal, abandon);
  try {
    const rows = await session.runCount(`COPY (${exportSelect(query, columns, format)}) TO ${sqlString(temporary)} (${copyOptions(format, target)})`, params).catch((error: Error) => {
      // DuckDB names the file it failed to open or write; any other failure is the query's.
      throw error.message.includes(temporary) ? new ExportWriteError(target, error) : error;
    });
    const publish = async () => {
      await syncFile(temporary);
      await keepModeOf(temporary, target);
      await publishFile(temporary, target);
    };
    await publish().catch((error) => {
      throw new ExportWriteError(target, error);
    });
    return { rows, bytes: (await stat(target)).size };
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, abandon);
  }
}
