import { type DuckDbEngine, parquetFileProblem, sqlFileList } from '@twitch-pipeline/duckdb';
import { type AnalyticsModelName, analyticsModelParameters, readSqlFile, trendWindowDates } from '@twitch-pipeline/features';
import { ANALYTICS_TABLES, type AnalyticsTableName, duckdbColumns, goldKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import type { CorruptObject } from './corrupt-objects';
import type { LakeWorkspace } from './lake-workspace';

const ident = (name: string) => `"${name}"`;

/** The daily tables the trends model reads over its window. */
const TREND_SOURCES = ['categorias_diario', 'streamers_diario'] as const;

/**
 * The typed SELECT that writes one analytics table from its model, in its column order.
 *
 * @example
 * const sql = analyticsSelect('tendencias_diario');
 */
export function analyticsSelect(table: AnalyticsTableName): string {
  const columns = duckdbColumns(ANALYTICS_TABLES[table]);
  const select = columns.map((column) => `CAST(${ident(column.name)} AS ${column.type}) AS ${ident(column.name)}`);
  return `SELECT ${select.join(', ')} FROM (${readSqlFile('models', `gold_${table}.sql`)}) ORDER BY ${columns.map((c) => ident(c.name)).join(', ')}`;
}

/**
 * Writes the analytics gold tables of one date, after its daily tables: `melhores_horarios`
 * from the date's channels per snapshot and its estimate (the temporary tables
 * `int_canais_por_coleta` and `int_horas_estimadas`), and `tendencias_diario` from the
 * date's fresh `categorias_diario` and `streamers_diario` files plus the 7 earlier partitions
 * the lake has (an unreadable earlier partition is left out and returned in `skipped`). Returns
 * the local files written, by table, for the caller to publish.
 *
 * @example
 * const files = await writeAnalyticsTables(engine, workspace, store, '2026-11-29', dailyFiles);
 */
export async function writeAnalyticsTables(
  engine: DuckDbEngine,
  workspace: LakeWorkspace,
  store: ObjectStore,
  date: string,
  dailyFiles: Readonly<Record<string, string>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<{ files: Record<AnalyticsTableName, string>; downloaded: string[]; skipped: CorruptObject[] }> {
  const downloaded: string[] = [];
  const skipped: CorruptObject[] = [];
  for (const table of TREND_SOURCES) {
    const earlier = trendWindowDates(date).filter((day) => day !== date);
    const existing: string[] = [];
    for (const day of earlier) if (await store.exists(goldKey(table, day))) existing.push(goldKey(table, day));
    const paths = await workspace.localPaths(existing);
    downloaded.push(...paths);
    const readable: string[] = [];
    for (const [index, path] of paths.entries()) {
      const reason = await parquetFileProblem(path, engine);
      if (reason) skipped.push({ key: existing[index]!, reason, action: 'skipped' });
      else readable.push(path);
    }
    const files = sqlFileList([...readable, dailyFiles[table]!]);
    await engine.run(`CREATE OR REPLACE TEMP VIEW gold_${table} AS SELECT * FROM read_parquet(${files}, hive_partitioning = false, union_by_name = true)`);
  }
  const files = {} as Record<AnalyticsTableName, string>;
  for (const table of Object.keys(ANALYTICS_TABLES) as AnalyticsTableName[]) {
    const path = await workspace.outputPath(goldKey(table, date));
    await engine.copyToParquet(analyticsSelect(table), analyticsModelParameters(`gold_${table}` as AnalyticsModelName, date), path, metadata);
    files[table] = path;
  }
  return { files, downloaded, skipped };
}
