import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';

/**
 * Types whose values a CSV cell holds as text, which a spreadsheet may read as a formula (JSON is
 * a VARCHAR). An interval (`-1 day`) and a blob's bytes (`=cmd|…`) are text to a spreadsheet too.
 * Numbers, dates and timestamps are not, whatever their text starts with: a HUGEINT's `-170…`
 * or a date's `-infinity` is what DuckDB writes, and a guard would make it text no reader parses.
 */
const TEXT_TYPES = new Set([DuckDBTypeId.VARCHAR, DuckDBTypeId.ENUM, DuckDBTypeId.INTERVAL, DuckDBTypeId.BLOB]);

/**
 * Whether the CSV formula guard applies to a column of `type`: the one rule of the file `--out`
 * writes (and so of the CSV printed from it) and of the CSV formatted value by value.
 *
 * @example
 * isCsvText(VARCHAR); // true
 * isCsvText(HUGEINT); // false
 */
export function isCsvText(type: DuckDBType): boolean {
  return TEXT_TYPES.has(type.typeId);
}
