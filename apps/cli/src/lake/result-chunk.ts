import {
  type DuckDBBlobVector,
  type DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBTimeNSValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBUnionType,
  DuckDBUnionValue,
  type DuckDBValue,
  type DuckDBValueConverter,
  JSDuckDBValueConverter,
  type Json,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api';
import { exactNumberOrText } from '../cli/io';
import { floatText } from './float-text';

/**
 * A value as the CLI shows it: numbers, text and booleans as they are, big integers and decimals
 * as numbers when exact (their digits as text otherwise), times of day and intervals as DuckDB
 * writes them ("21:30:00", "1 day"), and dates, timestamps, lists and structs in DuckDB's JSON form, which is already
 * readable ("2026-11-29 21:30:00"), timestamps with a zone in UTC ("2026-11-29 21:30:00+00"). Each value is read from its vector once.
 */
const plainValue: DuckDBValueConverter<unknown> = (value, type) => {
  if (value instanceof DuckDBDecimalValue) return exactDecimal(value);
  // As DuckDB writes them ("21:30:00", "1 day 02:00:00"): their JS forms are microseconds, which
  // read as a count, and an object of an interval's fields.
  if (value instanceof DuckDBTimeValue || value instanceof DuckDBTimeNSValue || value instanceof DuckDBIntervalValue) return value.toString();
  let js: unknown;
  try {
    js = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
  } catch {
    // A date or timestamp a JS Date cannot hold (infinity, year 290000): DuckDB's own text.
    return nestedValue(value, type, nestedValue);
  }
  if (js === null || typeof js === 'number' || typeof js === 'string' || typeof js === 'boolean') return js;
  if (typeof js === 'bigint') return exactNumberOrText(js);
  return nestedValue(value, type, nestedValue);
};

/**
 * A TIMESTAMPTZ as DuckDB writes it in the session's zone, UTC ("2026-07-01 12:00:00+00"), as the
 * csv, json and Parquet exports have it. The Node API's own text uses the offset the machine's
 * zone had when the API loaded, whatever the value's date: run in Los Angeles in winter, a July
 * noon UTC read "04:00:00-08", an hour off, and not the instant the same query's CSV gives.
 */
function utcTimestamp(value: DuckDBTimestampTZValue): string {
  const text = new DuckDBTimestampValue(value.micros).toString();
  return value.isFinite ? `${text}+00` : text;
}

/**
 * A list's or struct's value in DuckDB's JSON form, its intervals at any depth as DuckDB writes
 * them ("1 day"), not as fields, its timestamps with a zone in UTC, infinite dates as
 * "infinity" (the days' text would be a date 5.8 million years away), and NaN and infinite
 * numbers as null.
 */
const nestedValue: DuckDBValueConverter<Json> = (value, type) => {
  // JSON has no NaN nor infinity: null, as the exports write them, where the Node API gives "NaN".
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value instanceof DuckDBIntervalValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return utcTimestamp(value);
  if (value instanceof DuckDBDateValue && value.days === DuckDBDateValue.PosInf.days) return 'infinity';
  if (value instanceof DuckDBDateValue && value.days === DuckDBDateValue.NegInf.days) return '-infinity';
  // As DuckDB's JSON writer and `to_json` have them, so `--format json` and csv read the same
  // whether DuckDB or this converter formats the rows: a union as `{"tag": value}`, where the Node
  // API gives `{"tag": "tag", "value": value}`, and a map as an object, not a list of entries.
  if (value instanceof DuckDBUnionValue && type instanceof DuckDBUnionType) {
    return { [value.tag]: nestedValue(value.value, type.memberTypeForTag(value.tag), nestedValue) };
  }
  if (value instanceof DuckDBMapValue && type instanceof DuckDBMapType) {
    return Object.fromEntries(value.entries.map((entry) => [mapKey(entry.key, type.keyType), nestedValue(entry.value, type.valueType, nestedValue)]));
  }
  return JsonDuckDBValueConverter(value, type, nestedValue);
};

/** A map's key as DuckDB's JSON writer names it: the key cast to text (`[1, 2]`, `2026-11-29`, `1.0`). */
function mapKey(key: DuckDBValue, type: DuckDBType): string {
  if (key instanceof DuckDBTimestampTZValue) return utcTimestamp(key);
  if (typeof key === 'number' && (type.typeId === DuckDBTypeId.DOUBLE || type.typeId === DuckDBTypeId.FLOAT)) return floatText(key, type.typeId === DuckDBTypeId.FLOAT);
  return String(key);
}

/**
 * A DECIMAL as a number when the double prints back as the same decimal, its digits as text
 * otherwise: an exact sum wider than a double's 15-17 digits is shown whole, never rounded.
 */
function exactDecimal(value: DuckDBDecimalValue): number | string {
  const text = value.toString();
  const number = Number(text);
  return Math.abs(number) < 1e21 && number.toFixed(value.scale) === text ? number : text;
}

/** One chunk of a streamed result (up to 2,048 rows). */
export interface ResultChunk {
  columns: string[];
  /** The columns' DuckDB types: how a value was written (text or a number) when its JS form no longer tells. */
  types: DuckDBType[];
  rowCount: number;
  /** The chunk's values as the CLI shows them, read from DuckDB's vectors only when called (before the next chunk is asked for). */
  rows(): unknown[][];
  /** The bytes of the chunk's first column, a BLOB, value by value (an empty array for NULL); read like `rows`. */
  blobs(): Uint8Array[];
}

/**
 * A DuckDB data chunk as the CLI reads it: nothing is converted until `rows` or `blobs` is called.
 *
 * @example
 * const chunk = resultChunk(['n'], [INTEGER], dataChunk);
 * chunk.rows(); // [[1], [2]]
 */
export function resultChunk(columns: string[], types: DuckDBType[], chunk: DuckDBDataChunk): ResultChunk {
  return {
    columns,
    types,
    rowCount: chunk.rowCount,
    rows: () => chunk.convertRows(plainValue),
    blobs: () => {
      const vector = chunk.getColumnVector(0) as DuckDBBlobVector;
      return Array.from({ length: chunk.rowCount }, (_, index) => vector.getItem(index)?.bytes ?? new Uint8Array());
    },
  };
}
