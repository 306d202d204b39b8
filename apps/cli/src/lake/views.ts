import { join } from 'node:path';
import { LocalAlertLog, type UnreadableAlertRecord } from '@twitch-pipeline/alerts';
import { sqlFileList, sqlString } from '@twitch-pipeline/duckdb';
import { goldModelVersion, type ModelLayer, silverModelVersion } from '@twitch-pipeline/pipeline';
import {
  alertRecordSchema,
  ANALYTICS_TABLES,
  bronzeStreamRowSchema,
  duckdbColumns,
  GOLD_TABLES,
  LAKE_PREFIXES,
  quarantineRowSchema,
  silverStreamRowSchema,
} from '@twitch-pipeline/schemas';
import type { LocalObjectStore } from '@twitch-pipeline/storage';
import type { z } from 'zod';
import { lakeObjectOf } from './lake-keys';
import type { BadLakeObject, LakeObjectCheck } from './lake-object-check';

/** A queryable view over one part of the local lake. */
export interface LakeView {
  name: string;
  description: string;
  /** Lake prefix its objects live under. */
  prefix: string;
  schema: z.ZodObject<z.ZodRawShape>;
  /** The layer whose model writes its objects (and names its version in their footers). */
  model?: ModelLayer;
}

const ANALYTICS_DESCRIPTIONS: Record<keyof typeof ANALYTICS_TABLES, string> = {
  tendencias_diario: 'gold tendencias_diario: categories and channels against their previous 7 days',
  melhores_horarios: 'gold melhores_horarios: audience and competition by hour of the day',
};

/** Every view over the lake, in the order `query --list` shows them. */
export const LAKE_VIEWS: LakeView[] = [
  { name: 'bronze_streams', description: 'bronze: every Helix field as received, one row per stream per snapshot', prefix: LAKE_PREFIXES.bronze, schema: bronzeStreamRowSchema },
  {
    name: 'silver_streams',
    description: 'silver: cleaned, typed and enriched rows',
    prefix: LAKE_PREFIXES.silver,
    schema: silverStreamRowSchema,
    model: 'silver',
  },
  { name: 'quarantine_streams', description: 'records rejected at extract or silver, with the reason', prefix: LAKE_PREFIXES.quarantine, schema: quarantineRowSchema },
  ...Object.entries(GOLD_TABLES).map(([table, schema]) => ({
    name: `gold_${table}`,
    description: `gold ${table}: daily aggregates, time-weighted measures`,
    prefix: `${LAKE_PREFIXES.gold}${table}/`,
    schema: schema as unknown as z.ZodObject<z.ZodRawShape>,
    model: 'gold' as const,
  })),
  ...Object.entries(ANALYTICS_TABLES).map(([table, schema]) => ({
    name: `gold_${table}`,
    description: ANALYTICS_DESCRIPTIONS[table as keyof typeof ANALYTICS_TABLES],
    prefix: `${LAKE_PREFIXES.gold}${table}/`,
    schema: schema as unknown as z.ZodObject<z.ZodRawShape>,
    model: 'gold' as const,
  })),
];

/** The real-time table's view name. */
export const REALTIME_VIEW = { name: 'realtime_events', description: 'real-time table: one item per channel and collection time, unexpired' };

/** The alerts log's view name. */
export const ALERTS_VIEW = { name: 'alerts', description: 'real-time alerts the consumer raised (the local alerts log), one per rule and stream, or per rule, category and crossing' };

/**
 * A typed, empty relation with a schema's columns (plus `dt`), so queries over a layer that has
 * no objects yet still bind and return zero rows.
 *
 * @example
 * emptyRelation(silverStreamRowSchema, true); // "SELECT CAST(NULL AS VARCHAR) AS \"id_stream\", ... LIMIT 0"
 */
function emptyRelation(schema: z.ZodObject<z.ZodRawShape>, withDt: boolean): string {
  const columns = duckdbColumns(schema).map((column) => `CAST(NULL AS ${column.type}) AS "${column.name}"`);
  if (withDt) columns.push('CAST(NULL AS DATE) AS "dt"');
  return `SELECT ${columns.join(', ')} LIMIT 0`;
}

/** The version each layer's objects carry when this code wrote them. */
const CURRENT_MODEL: Record<ModelLayer, () => string> = { silver: silverModelVersion, gold: goldModelVersion };

/**
 * The `CREATE VIEW` statement of one lake view: `read_parquet` over the layer's readable objects
 * (with `dt` from the hive path), or an empty typed relation when it has none; only keys the
 * pipeline writes count as objects (see `lakeObjectOf`), so a file copied in by hand adds no
 * foreign rows and is not taken for another model version's output; objects that are
 * not readable Parquet (empty, truncated, torn) are left out and returned in `bad`, so one bad
 * object never takes the whole view down; nor does a partition folder this user may not read, left
 * out and returned in `bad` too, its key ending in `/`. Objects another version of the models wrote stay in
 * (by column name, so a column they lack reads as null) and are returned in `outdated`. Paths
 * come from the configured data directory, never from query input.
 *
 * @example
 * const { sql, bad, outdated } = await viewStatement(LAKE_VIEWS[0], store, await LakeObjectCheck.open(store, cacheFile));
 */
export async function viewStatement(
  view: LakeView,
  store: LocalObjectStore,
  check: LakeObjectCheck,
): Promise<{ sql: string; bad: BadLakeObject[]; outdated: string[] }> {
  const listed = await store.listReadable(view.prefix);
  const objects = listed.objects.filter((object) => lakeObjectOf(object.key)?.prefix === view.prefix);
  const checked = await check.split(objects, view.model && CURRENT_MODEL[view.model](), duckdbColumns(view.schema));
  const { paths, outdated } = checked;
  const bad = [...listed.unreadable, ...checked.bad];
  if (paths.length === 0) return { sql: `CREATE OR REPLACE VIEW ${view.name} AS ${emptyRelation(view.schema, true)}`, bad, outdated };
  // Files of one schema are read by the first one's columns: reading them all by name opened every
  // footer on each bind (a year of half-hourly silver is 17,520 files: seconds per query, whatever
  // date it asks for). Files of other schemas (another version of a model) join by name.
  const read = (files: readonly string[]) =>
    `SELECT * FROM read_parquet(${sqlFileList(files)}, hive_partitioning = true, hive_types = {'dt': DATE}, union_by_name = false)`;
  if (checked.sameSchema.length === 1 && outdated.length === 0) return { sql: `CREATE OR REPLACE VIEW ${view.name} AS ${read(paths)}`, bad, outdated };
  // Objects of another version may all lack a column this version has: the typed empty relation keeps it in the view.
  const parts = [`(${emptyRelation(view.schema, true)})`, ...checked.sameSchema.map((files) => `(${read(files)})`)];
  return { sql: `CREATE OR REPLACE VIEW ${view.name} AS ${parts.join(' UNION ALL BY NAME ')}`, bad, outdated };
}

/**
 * The warning naming the alert records the log could not read back, one per line, for stderr:
 * the alerts they held are missing from what is shown, which would otherwise look complete.
 *
 * @example
 * process.stderr.write(describeUnreadableAlerts([{ file: 'a1.json', reason: 'empty file' }], './data/alerts'));
 */
export function describeUnreadableAlerts(unreadable: readonly UnreadableAlertRecord[], directory: string): string {
  if (unreadable.length === 0) return '';
  const lines = unreadable.map((record) => `  ${record.file}: ${record.reason}`);
  return `warning: ${unreadable.length} unreadable alert record(s) left out of the list (damaged by a crash or by hand; in ${directory}):\n${lines.join('\n')}\n`;
}

/**
 * The `CREATE VIEW` statement of the alerts log: the delivered alerts' files in the alerts
 * directory (pending claims are not alerts yet), one JSON record each, typed from the alert
 * record schema; an empty typed relation when there are none. Records that cannot be read back
 * are left out and returned, for the caller to name: one torn file would otherwise fail every
 * query of the view.
 *
 * @example
 * const { sql, unreadable } = await alertsViewStatement('./data/alerts');
 * await connection.run(sql);
 */
export async function alertsViewStatement(directory: string): Promise<{ sql: string; unreadable: UnreadableAlertRecord[] }> {
  const { files, unreadable } = await new LocalAlertLog(directory).deliveredFiles();
  if (files.length === 0) {
    return { sql: `CREATE OR REPLACE VIEW ${ALERTS_VIEW.name} AS ${emptyRelation(alertRecordSchema, false)}`, unreadable };
  }
  const columns = duckdbColumns(alertRecordSchema);
  const struct = columns.map((column) => `${sqlString(column.name)}: ${sqlString(column.type)}`).join(', ');
  const paths = sqlFileList(files.map((file) => join(directory, file)));
  return {
    sql:
      `CREATE OR REPLACE VIEW ${ALERTS_VIEW.name} AS SELECT ${columns.map((column) => `"${column.name}"`).join(', ')} ` +
      `FROM read_json(${paths}, format = 'newline_delimited', columns = {${struct}})`,
    unreadable,
  };
}
