import { type DuckDbEngine, parquetFileProblems, parquetKeyValues, sqlFileList } from '@twitch-pipeline/duckdb';
import { type AnalyticsModelName, analyticsModelParameters, readSqlFile, trendWindowDates } from '@twitch-pipeline/features';
import { ANALYTICS_TABLES, type AnalyticsTableName, duckdbColumns, goldKey, LAKE_PREFIXES, parseLakeKey, TREND_WINDOW_DAYS } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import type { CorruptObject } from './corrupt-objects';
import type { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY } from './model-version';
import { shiftDate } from './silver-neighbours';
import { ident, typedColumns } from './sql-columns';


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
  return `SELECT ${typedColumns(columns)} FROM (${readSqlFile('models', `gold_${table}.sql`)}) ORDER BY ${columns.map((c) => ident(c.name)).join(', ')}`;
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
  const { downloaded, skipped } = await createTrendSources(engine, workspace, store, date, dailyFiles);
  const files = {} as Record<AnalyticsTableName, string>;
  for (const table of Object.keys(ANALYTICS_TABLES) as AnalyticsTableName[]) {
    const path = await workspace.outputPath(goldKey(table, date));
    await engine.copyToParquet(analyticsSelect(table), analyticsModelParameters(`gold_${table}` as AnalyticsModelName, date), path, metadata);
    files[table] = path;
  }
  return { files, downloaded, skipped };
}

/** Local copies of gold partitions split into the readable ones and the others, named by key as skipped. */
async function splitReadable(engine: DuckDbEngine, keys: readonly string[], paths: readonly string[]): Promise<{ readable: string[]; unreadable: CorruptObject[] }> {
  const readable: string[] = [];
  const unreadable: CorruptObject[] = [];
  const problems = await parquetFileProblems(paths, engine);
  for (const [index, path] of paths.entries()) {
    const reason = problems.get(path);
    if (reason) unreadable.push({ key: keys[index]!, reason, action: 'skipped' });
    else readable.push(path);
  }
  return { readable, unreadable };
}

/**
 * The published partitions of `table` among `days`, from one listing per year the days fall in:
 * in AWS a function may list only its own prefixes, and S3 answers an existence check of a
 * missing key with 403 rather than 404 to such a caller, so asking key by key would fail a new
 * deployment's first run, and with no partition written, every run after it.
 */
async function publishedPartitions(store: ObjectStore, table: string, days: readonly string[]): Promise<string[]> {
  const wanted = new Set(days.map((day) => goldKey(table, day)));
  // A year's partitions are one page of a listing (S3 returns a thousand keys a request).
  const years = [...new Set(days.map((day) => day.slice(0, 4)))];
  const listed = await Promise.all(years.map((year) => store.list(`${LAKE_PREFIXES.gold}${table}/dt=${year}`)));
  return listed
    .flat()
    .map((object) => object.key)
    .filter((key) => wanted.has(key))
    .sort();
}

/** The views the trends model reads: the date's daily files and the readable partitions of the 7 days before. */
async function createTrendSources(
  engine: DuckDbEngine,
  workspace: LakeWorkspace,
  store: ObjectStore,
  date: string,
  dailyFiles: Readonly<Record<string, string>>,
): Promise<{ downloaded: string[]; skipped: CorruptObject[] }> {
  const downloaded: string[] = [];
  const skipped: CorruptObject[] = [];
  for (const table of TREND_SOURCES) {
    const earlier = trendWindowDates(date).filter((day) => day !== date);
    const existing = await publishedPartitions(store, table, earlier);
    const paths = await workspace.localPaths(existing);
    downloaded.push(...paths);
    const { readable, unreadable } = await splitReadable(engine, existing, paths);
    skipped.push(...unreadable);
    const files = sqlFileList([...readable, dailyFiles[table]!]);
    await engine.run(`CREATE OR REPLACE TEMP VIEW gold_${table} AS SELECT * FROM read_parquet(${files}, hive_partitioning = false, union_by_name = true)`);
  }
  return { downloaded, skipped };
}

/** What refreshing the trends of later dates did. */
export interface TrendRefresh {
  refreshed: string[];
  failed: { date: string; error: string }[];
  skipped: CorruptObject[];
}

/**
 * Rewrites `tendencias_diario` of the published dates up to 7 days after each date just rebuilt,
 * from their own published daily tables: their trends compare them with the days rebuilt, and a
 * date rebuilt after them (a late snapshot, a date left pending, a `rebuild` of a range) would
 * otherwise leave them comparing against what those days were. Dates in `rebuiltInThisRun` are
 * left out (rebuilt whole, in date order). A date whose own daily tables cannot be read keeps its
 * trends and is reported in `skipped`.
 *
 * @example
 * const { refreshed } = await refreshLaterTrends(engine, workspace, store, ['2026-11-27'], new Set(['2026-11-27']));
 */
export async function refreshLaterTrends(
  engine: DuckDbEngine,
  workspace: LakeWorkspace,
  store: ObjectStore,
  rebuilt: readonly string[],
  rebuiltInThisRun: ReadonlySet<string>,
  metadata?: Readonly<Record<string, string>>,
): Promise<TrendRefresh> {
  const result: TrendRefresh = { refreshed: [], failed: [], skipped: [] };
  if (rebuilt.length === 0) return result;
  // Only the partitions after the earliest date rebuilt can be later ones: one request however long the history.
  const prefix = `${LAKE_PREFIXES.gold}tendencias_diario/`;
  const earliest = [...rebuilt].sort()[0]!;
  const withTrends = new Set((await store.list(prefix, { startAfter: `${prefix}dt=${earliest}/` })).flatMap((object) => parseLakeKey(object.key)?.dt ?? []));
  const later = [...new Set(rebuilt.flatMap((date) => Array.from({ length: TREND_WINDOW_DAYS }, (_, index) => shiftDate(date, index + 1))))]
    .filter((date) => withTrends.has(date) && !rebuiltInThisRun.has(date))
    .sort();
  for (const date of later) {
    const local: string[] = [];
    try {
      const keys = TREND_SOURCES.map((table) => goldKey(table, date));
      const own = await workspace.localPaths(keys);
      local.push(...own);
      const { unreadable } = await splitReadable(engine, keys, own);
      if (unreadable.length > 0) {
        result.skipped.push(...unreadable);
        continue;
      }
      const sources = await createTrendSources(engine, workspace, store, date, Object.fromEntries(TREND_SOURCES.map((table, index) => [table, own[index]!])));
      local.push(...sources.downloaded);
      result.skipped.push(...sources.skipped);
      const file = await workspace.outputPath(goldKey('tendencias_diario', date));
      local.push(file);
      const stamp = await stampOfSources(engine, own, metadata);
      await engine.copyToParquet(analyticsSelect('tendencias_diario'), analyticsModelParameters('gold_tendencias_diario', date), file, stamp);
      await workspace.publish(goldKey('tendencias_diario', date), file);
      result.refreshed.push(date);
    } catch (error) {
      result.failed.push({ date, error: `trends not refreshed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      await workspace.discard(local);
    }
  }
  return result;
}

/**
 * The footer of a refreshed trends table: this run's, unless one of its date's own tables was
 * written by another version of the models, whose version (or none) it then carries, so that
 * `status` reports the trends outdated along with the tables they were computed from.
 */
async function stampOfSources(engine: DuckDbEngine, sources: readonly string[], metadata?: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>> | undefined> {
  const current = metadata?.[MODEL_VERSION_KEY];
  if (!metadata || current === undefined) return metadata;
  const versions = await parquetKeyValues(engine, sources, MODEL_VERSION_KEY);
  const other = versions.findIndex((version) => version !== current);
  if (other < 0) return metadata;
  const { [MODEL_VERSION_KEY]: _, ...rest } = metadata;
  const older = versions[other];
  return older === undefined ? rest : { ...rest, [MODEL_VERSION_KEY]: older };
}
