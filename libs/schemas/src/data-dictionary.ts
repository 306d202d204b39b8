import type { z } from 'zod';
import { ANALYTICS_TABLES, alertRecordSchema } from './analytics';
import { columnsOf, duckdbType, glueType } from './columns';
import { bronzeStreamRowSchema, GOLD_TABLES, quarantineRowSchema, silverStreamRowSchema } from './lake';
import { realtimeItemSchema } from './realtime';

const TABLES: [string, string, z.ZodObject<z.ZodRawShape>][] = [
  ['bronze_streams', 'raw/streams/dt=…/<snapshot-id>.parquet — every Helix field as received', bronzeStreamRowSchema],
  ['silver_streams', 'silver/streams/dt=…/<snapshot-id>.parquet — cleaned, typed, enriched', silverStreamRowSchema],
  ['quarantine_streams', 'quarantine/streams/dt=…/<snapshot-id>-<layer>.parquet (a refused re-crawl: <snapshot-id>-refused-<time>-bronze.parquet) — rejected records', quarantineRowSchema],
  ...Object.entries(GOLD_TABLES).map(
    ([name, schema]) =>
      [`gold_${name}`, `gold/${name}/dt=…/part-0.parquet — rewritten whole per date`, schema] as [
        string,
        string,
        z.ZodObject<z.ZodRawShape>,
      ],
  ),
  ...Object.entries(ANALYTICS_TABLES).map(
    ([name, schema]) =>
      [`gold_${name}`, `gold/${name}/dt=…/part-0.parquet — analytics, rewritten whole per date`, schema] as [
        string,
        string,
        z.ZodObject<z.ZodRawShape>,
      ],
  ),
  ['realtime_events', 'real-time table (DynamoDB / local) — key nome_streamer + timestamp', realtimeItemSchema],
  ['alerts', 'alerts log (`<data dir>/alerts/` locally; the alerts topic\'s messages in AWS) — one per rule and stream, or per rule, category and crossing', alertRecordSchema],
];

/**
 * The partition column every lake table has beside its schema's columns: read from the object's
 * key (`dt=YYYY-MM-DD`), a DATE in the local views and a string partition key in Glue.
 */
const PARTITION_ROW =
  '| `dt` | DATE | string | no | Partition, from the object\'s key (`dt=YYYY-MM-DD`): the collection date (pipeline time zone), the rows\' `data` in silver and gold; a filter on it reads only those days |';

// Athena's `timestamp` has no zone either; readers that tell the two Parquet kinds apart (pyarrow,
// pandas, Spark's TIMESTAMP_NTZ) would otherwise be free to read these in a local zone.
const TIMESTAMPS_NOTE =
  'Every TIMESTAMP column holds a UTC instant. In the lake\'s Parquet objects it is stored as microseconds without a zone ' +
  '(`isAdjustedToUTC = false`): read it as UTC (in pandas, `tz_localize("UTC")`), never in the reader\'s local zone. ' +
  'Local dates and hours are their own columns.';

/**
 * Renders the data dictionary (every table, column, type and meaning) from the schemas.
 *
 * @example
 * writeFileSync('docs/data-dictionary.md', renderDataDictionary());
 */
export function renderDataDictionary(): string {
  const sections = TABLES.map(([name, where, schema]) => {
    const rows = columnsOf(schema).map(
      (column) =>
        `| \`${column.name}\` | ${duckdbType(column.type)} | ${glueType(column.type)} | ${column.nullable ? 'yes' : 'no'} | ${column.description} |`,
    );
    if (where.includes('/dt=')) rows.push(PARTITION_ROW);
    return [`## ${name}`, '', where, '', '| column | DuckDB | Athena | nullable | meaning |', '|---|---|---|---|---|', ...rows].join(
      '\n',
    );
  });
  return `# Data dictionary\n\nGenerated from \`libs/schemas\` by \`npm run docs:dictionary\`; a test fails when it is stale.\n\n${TIMESTAMPS_NOTE}\n\n${sections.join('\n\n')}\n`;
}
