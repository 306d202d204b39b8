import { DuckDbEngine, type QueryParams, sqlFileList } from '@twitch-pipeline/duckdb';
import { installFeatureMacros, type ModelName, modelRules, modelSql, readSqlFile } from '@twitch-pipeline/features';
import { MetricUnit } from '@twitch-pipeline/observability';
import type { ObjectStore } from '@twitch-pipeline/storage';
import {
  ANALYTICS_TABLES,
  duckdbColumns,
  duckdbLiteralPath,
  GOLD_TABLES,
  type GoldTableName,
  goldKey,
  isCalendarDate,
  silverStreamRowSchema,
  TREND_MIN_HOURS_WATCHED,
  TREND_WINDOW_DAYS,
} from '@twitch-pipeline/schemas';
import { analyticsSelect, refreshLaterTrends, writeAnalyticsTables } from './gold-analytics';
import { SilverInputCollector } from './gold-silver-inputs';
import { warnOfGoldStrays } from './gold-strays';
import { datesMissingGold, type GoldPendingMarker, listGoldPending, markGoldPending, type SilverVersionsTaken, settleGoldPending } from './gold-pending';
import { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY, modelVersion, once } from './model-version';
import { silverKeysOf, silverObjectsOf, versionOf } from './silver-neighbours';
import { ident, typedColumns } from './sql-columns';
import type { GoldOptions, GoldSummary, OutdatedSilverObject } from './transform-types';


const GOLD_TABLE_NAMES = Object.keys(GOLD_TABLES) as GoldTableName[];
const ALL_TABLE_NAMES = [...GOLD_TABLE_NAMES, ...Object.keys(ANALYTICS_TABLES)];

/** The intermediate models of the estimate of hours watched, in the order the gold step runs them. */
const ESTIMATE_MODELS = ['int_coletas', 'int_cortes_locais', 'int_janelas_horas', 'int_horas_estimadas'] as const;

/**
 * Gold tables whose every row lies in one local hour (their key holds `hora_dia`): their models
 * take a window of hours and run once per window, into a temporary table of the model's name.
 */
const HOURLY_TABLES: ReadonlySet<GoldTableName> = new Set(['canais_hora']);

/** The typed SELECT that writes one gold table from its model, ordered by the table's unique key (its grain). */
function goldSelect(table: GoldTableName): string {
  const model = `gold_${table}` as ModelName;
  const from = HOURLY_TABLES.has(table) ? ident(model) : `(${modelSql(model)})`;
  return `SELECT ${typedColumns(duckdbColumns(GOLD_TABLES[table]))} FROM ${from} ORDER BY ${modelRules(model).unique_key.map(ident).join(', ')}`;
}

/**
 * The version of the gold models this code writes; each gold partition carries it in its footer.
 *
 * @example
 * goldModelVersion(); // 'gold:8c1e…'
 */
export const goldModelVersion = once(() =>
  modelVersion('gold', [
    ...ESTIMATE_MODELS.map((model) => readSqlFile('models', `${model}.sql`)),
    readSqlFile('models', 'int_streams_por_stream.sql'),
    readSqlFile('models', 'int_canais_por_coleta.sql'),
    ...[...HOURLY_TABLES].map((table) => modelSql(`gold_${table}` as ModelName)),
    ...GOLD_TABLE_NAMES.map(goldSelect),
    ...(Object.keys(ANALYTICS_TABLES) as (keyof typeof ANALYTICS_TABLES)[]).map(analyticsSelect),
    // What the models bind besides the date: the trends' thresholds and window.
    JSON.stringify({ TREND_MIN_HOURS_WATCHED, TREND_WINDOW_DAYS }),
  ]),
);

/**
 * Samples per window of the estimate, by default. The estimate alone on 2 cores with a 2 GB
 * engine: 4.56 M samples took 6.3–6.8 s in four windows, 8.7–8.9 s in two, 9.6–10.5 s in one;
 * 1.92 M 1.8–2.1 s in two, 2.0–3.0 s in one, 2.1–2.5 s in four; 0.96 M 0.9–1.2 s in one or two,
 * 1.3–1.4 s in four; the demo's 0.28 M 0.1–0.3 s more in four than in one. Those runs paid about
 * three times the kernel time per page fault of later runs on the same machine; where faults are
 * that cheap, a full-platform day's gold takes about as long in one to eight windows (7.2–7.8 s),
 * and four keep its peak memory at 1.55–1.59 GB against 2.59–2.70 GB in one.
 */
export const ESTIMATE_WINDOW_SAMPLES = 1_200_000;

/** A window of local hours, `hora_de` ≤ hour < `hora_ate`. */
type HourWindow = { hora_de: number; hora_ate: number };

/** One row of int_janelas_horas: a window of local hours and the snapshots its estimate reads. */
type EstimateWindow = HourWindow & { coleta_de: string | null; coleta_ate: string | null };

/** Runs a model once per set of parameters, the first creating the temporary table and the others adding to it. */
async function buildInWindows(engine: DuckDbEngine, table: string, sql: string, windows: readonly QueryParams[]): Promise<void> {
  for (const [index, parameters] of windows.entries()) {
    const into = index === 0 ? `CREATE OR REPLACE TEMP TABLE ${table} AS` : `INSERT INTO ${table}`;
    await engine.run(`${into} ${sql}`, parameters);
  }
}

/**
 * Builds the temporary table int_horas_estimadas of one date, one window of local hours at a
 * time (see int_janelas_horas): the same rows as one statement over the whole date, in less time
 * and memory at Twitch's scale. Returns the windows as a partition of the whole day, for the
 * models whose rows lie in one hour each: every hour a sample can have falls in one of them.
 * Reads the views silver_streams and silver_vizinhas, which the caller sets.
 *
 * @example
 * const hours = await buildEstimate(engine, '2026-11-29', ESTIMATE_WINDOW_SAMPLES);
 */
export async function buildEstimate(engine: DuckDbEngine, date: string, windowSamples: number): Promise<HourWindow[]> {
  await engine.run(`CREATE OR REPLACE TEMP TABLE int_coletas AS ${readSqlFile('models', 'int_coletas.sql')}`);
  await engine.run(`CREATE OR REPLACE TEMP TABLE int_cortes_locais AS ${readSqlFile('models', 'int_cortes_locais.sql')}`);
  const windows = await engine.all<EstimateWindow>(readSqlFile('models', 'int_janelas_horas.sql'), { data: date, amostras_por_janela: windowSamples });
  // A date with no samples has no window: an empty one still creates the table.
  const empty: EstimateWindow = { hora_de: 0, hora_ate: 0, coleta_de: null, coleta_ate: null };
  const estimateWindows = (windows.length > 0 ? windows : [empty]).map((window) => ({ data: date, ...window }));
  await buildInWindows(engine, 'int_horas_estimadas', readSqlFile('models', 'int_horas_estimadas.sql'), estimateWindows);
  await engine.run('DROP TABLE int_coletas; DROP TABLE int_cortes_locais');
  const starts = windows.slice(1).map((window) => window.hora_de);
  return [0, ...starts].map((hora_de, index) => ({ hora_de, hora_ate: starts[index] ?? 24 }));
}

/** The temporary tables one date's build creates. */
const DATE_TABLES = [...ESTIMATE_MODELS, 'int_streams_por_stream', 'int_canais_por_coleta', ...[...HOURLY_TABLES].map((table) => `gold_${table}`)];

/**
 * Dates one engine builds before a fresh one takes over: an engine holds on to memory from date to
 * date (about 5 MB a date of a small population, freed only when it closes), so a rebuild of a
 * year grew by gigabytes. A fresh engine costs milliseconds against seconds of work a date.
 */
const DATES_PER_ENGINE = 32;

/** Rebuilds of one date when other runs keep adding silver objects to it meanwhile. */
const MAX_PASSES = 3;

const EMPTY_SILVER = `SELECT ${duckdbColumns(silverStreamRowSchema)
  .map((column) => `CAST(NULL AS ${column.type}) AS ${ident(column.name)}`)
  .join(', ')} LIMIT 0`;

const silverRelation = (paths: readonly string[]) =>
  paths.length === 0 ? EMPTY_SILVER : `SELECT * FROM read_parquet(${sqlFileList(paths)})`;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Marks every silver object of a date whose build failed as not yet in gold, so the next run
 * that takes pending dates retries it even when no marker named it (a lake older than markers,
 * a `rebuild`). Returns what to add to the date's error when that fails too.
 */
async function keepPending(store: ObjectStore, date: string): Promise<string> {
  try {
    const keys = await silverKeysOf(store, date);
    for (const key of keys) await markGoldPending(store, key);
    return keys.length > 0 ? '' : ' (it has no silver object to mark pending: `rebuild` that date)';
  } catch (error) {
    return ` (and it could not be marked pending: ${messageOf(error)})`;
  }
}

/** What one date's build needs from the gold run. */
interface DateBuild {
  engine: DuckDbEngine;
  workspace: LakeWorkspace;
  silver: SilverInputCollector;
  date: string;
  windowSamples: number;
  logger?: GoldOptions['logger'];
}

/**
 * Rebuilds and publishes every gold table of one date, again while other runs change its silver
 * (up to 3 passes). Returns the rows per table and the silver object versions the published
 * build took.
 */
async function buildDate({ engine, workspace, silver, date, windowSamples, logger }: DateBuild): Promise<{ counts: Record<string, number>; taken: SilverVersionsTaken }> {
  const stamp = { [MODEL_VERSION_KEY]: goldModelVersion() };
  for (let pass = 1; ; pass += 1) {
    const inputs = await silver.collect(date);
    const local: string[] = [...inputs.downloaded];
    const counts: Record<string, number> = {};
    try {
      await engine.run(`CREATE OR REPLACE TEMP VIEW silver_streams AS ${silverRelation(inputs.paths)}`);
      await engine.run(`CREATE OR REPLACE TEMP VIEW silver_vizinhas AS ${silverRelation(inputs.neighbours)}`);
      const hours = await buildEstimate(engine, date, windowSamples);
      await engine.run(`CREATE OR REPLACE TEMP TABLE int_streams_por_stream AS ${readSqlFile('models', 'int_streams_por_stream.sql')}`);
      for (const table of HOURLY_TABLES) await buildInWindows(engine, `gold_${table}`, modelSql(`gold_${table}` as ModelName), hours);
      await buildInWindows(engine, 'int_canais_por_coleta', readSqlFile('models', 'int_canais_por_coleta.sql'), hours);
      const written: Record<string, string> = {};
      for (const table of GOLD_TABLE_NAMES) {
        written[table] = await workspace.outputPath(goldKey(table, date));
        local.push(written[table]);
        await engine.copyToParquet(goldSelect(table), undefined, written[table], stamp);
        if (HOURLY_TABLES.has(table)) await engine.run(`DROP TABLE ${ident(`gold_${table}`)}`);
      }
      await engine.run('DROP TABLE int_streams_por_stream');
      const analytics = await writeAnalyticsTables(engine, workspace, workspace.store, date, written, stamp);
      local.push(...analytics.downloaded, ...Object.values(analytics.files));
      await engine.run('DROP TABLE int_horas_estimadas; DROP TABLE int_canais_por_coleta');
      Object.assign(written, analytics.files);
      silver.corrupt.push(...analytics.skipped);
      // Daily tables first, so a reader never sees trends newer than the aggregates they rank.
      for (const [table, path] of Object.entries(written)) {
        const [count] = await engine.all<{ n: number }>('SELECT count(*) AS n FROM read_parquet($path)', { path: duckdbLiteralPath(path) });
        counts[table] = count?.n ?? 0;
        await workspace.publish(goldKey(table, date), path);
      }
    } finally {
      await workspace.discard(local);
    }
    // Unreadable objects were moved off the silver prefix, so any difference is another run's new or rewritten snapshot.
    const now = (await silverObjectsOf(workspace.store, date)).map(versionOf);
    const changed = now.length !== inputs.listed.size || now.some((version) => !inputs.listed.has(version));
    logger?.debug('gold date rebuilt', { date, silverObjects: inputs.paths.length, pass, changed });
    if (changed && pass < MAX_PASSES) continue;
    if (changed) logger?.warn('silver objects kept changing while gold was rebuilt; the next run folds the newest in', { date, passes: pass });
    return { counts, taken: inputs.taken };
  }
}

/**
 * The dates of a run whose trends saw every earlier date of the run rebuilt: no earlier date was
 * built after them. The others (a date asked for, built before a missing partition of an earlier
 * date) get their trends refreshed like any later published date.
 */
function builtInOrder(order: readonly string[]): Set<string> {
  return new Set(order.filter((date, index) => order.slice(index + 1).every((later) => later > date)));
}

/**
 * The markers to settle: those listed at the start, with the markers of the silver objects this
 * run rebuilt from bronze (another model version's) as they are now. The silver step marks each
 * object it writes, after the start's listing: left out, they kept a date this run had just
 * built pending, for the next run to build again and `status` to report meanwhile.
 */
async function withRebuiltMarkers(store: ObjectStore, pending: GoldPendingMarker[], outdated: readonly OutdatedSilverObject[]): Promise<GoldPendingMarker[]> {
  const rebuilt = new Set(outdated.filter((entry) => entry.action === 'rebuilt').map((entry) => entry.key));
  if (rebuilt.size === 0) return pending;
  const now = (await listGoldPending(store)).filter((entry) => rebuilt.has(entry.silverKey));
  return [...pending.filter((entry) => !rebuilt.has(entry.silverKey)), ...now];
}

/**
 * The gold step: for each date, every gold table is recomputed from that date's silver
 * objects, plus the last snapshot of the day before and the first of the day after (hours
 * watched join consecutive snapshots, see `int_horas_estimadas`), and its partition rewritten
 * whole (`gold/<table>/dt=<date>/part-0.parquet`), so a rerun gives the same rows and late
 * snapshots are folded in. Then the analytics tables of the date: best hours from the date's
 * channels per snapshot (`int_canais_por_coleta`) and estimate, trends from the fresh daily
 * tables and the 7 earlier partitions. Only the listed dates' silver is read; dates go in
 * order, so a backfill's trends see the days before them.
 *
 * An unreadable silver object (empty, truncated, torn, or a damaged page that fails the date's
 * build, which is then built once more) is left out, moved to `quarantine/corrupt/` and reported
 * in `corrupt`; its bronze object is then pending again, so the next cycle's silver
 * run rebuilds it and gold folds it back in. After publishing a date, its silver keys are listed again; if another run
 * added one meanwhile, the date is rebuilt (up to 3 passes), so a published partition never
 * misses a silver object that was there when it was published.
 *
 * A date that fails is reported in `failed` with its error, the others are still published, and
 * its silver objects are marked pending. With `includePending`, the dates of every marked silver
 * object (a gold run that failed or never ran, a silver run retried or stopped) are rebuilt too,
 * and the markers honoured are removed (see `settleGoldPending`); so are the dates that have
 * silver but lack a gold partition (see `datesMissingGold`).
 *
 * @example
 * const summary = await runGold({ store, dates: ['2026-11-29'], includePending: true });
 * summary.tables.streamers_diario; // rows written
 */
export async function runGold(options: GoldOptions): Promise<GoldSummary> {
  const started = performance.now();
  const { store, logger, metrics } = options;
  const asked = [...new Set(options.dates)].sort();
  const invalid = asked.filter((date) => !isCalendarDate(date));
  if (invalid.length > 0) throw new Error(`invalid dates (expected days of the calendar as YYYY-MM-DD): ${invalid.join(', ')}`);
  const windowSamples = options.estimateWindowSamples ?? ESTIMATE_WINDOW_SAMPLES;
  if (!(windowSamples > 0 && Number.isFinite(windowSamples))) throw new Error(`invalid estimateWindowSamples (expected a positive number): ${windowSamples}`);
  const pending = options.includePending ? await listGoldPending(store) : [];
  // Rare (a partition deleted by hand, a table an upgrade added) and never urgent: a run that lists
  // only recent partitions leaves it to the next that lists them all.
  const unpublished = options.includePending && options.listFrom === undefined ? await datesMissingGold(store, ALL_TABLE_NAMES) : [];
  if (unpublished.length > 0) logger?.warn('dates with silver but a gold partition missing are rebuilt', { dates: unpublished });
  const marked = [...new Set([...asked, ...pending.flatMap((entry) => entry.dates)])].sort();
  // After the dates asked for and marked: a lake kept from before a table existed lacks it on every
  // earlier date, and a stop (the Lambda's deadline) must not leave the newest date behind them.
  const dates = [...marked, ...unpublished.filter((date) => !marked.includes(date))];
  const pendingDates = dates.filter((date) => !asked.includes(date));
  if (pendingDates.length > 0) logger?.info('gold dates left pending by earlier runs', { dates: pendingDates });
  const tables: Record<string, number> = Object.fromEntries(ALL_TABLE_NAMES.map((table) => [table, 0]));
  const failed: GoldSummary['failed'] = [];
  const skipped: string[] = [];
  const trendsRefreshed: string[] = [];
  if (dates.length === 0) return { dates, pendingDates, failed, skipped, trendsRefreshed, tables, corrupt: [], outdated: [] };

  const workspace = await LakeWorkspace.create(store, 'gold', options.engineOptions?.tempDirectory);
  // Window after window, gold builds and drops large hash tables: reusing the freed blocks spares their page faults.
  const openEngine = () => DuckDbEngine.open({ ...options.engineOptions, reuseFreedBlocks: true });
  let engine = await openEngine();
  const silver = new SilverInputCollector(engine, workspace, options);
  const corrupt = silver.corrupt;
  /** Each published date, with the silver object versions its last build took. */
  const published = new Map<string, SilverVersionsTaken>();
  try {
    await installFeatureMacros(engine);
    for (const [index, date] of dates.entries()) {
      if (index > 0 && index % DATES_PER_ENGINE === 0) {
        await engine.close();
        engine = await openEngine();
        await installFeatureMacros(engine);
        silver.useEngine(engine);
      }
      if (options.stop?.stopping) {
        skipped.push(date);
        continue;
      }
      // One date that fails (a model error, a write refused) leaves the others to be published; it stays pending.
      for (let attempt = 1; ; attempt += 1) {
        try {
          const built = await buildDate({ engine, workspace, silver, date, windowSamples, logger });
          for (const [table, rows] of Object.entries(built.counts)) tables[table] = (tables[table] ?? 0) + rows;
          published.set(date, built.taken);
          break;
        } catch (error) {
          // What the failed build held (temporary tables, downloads) would otherwise weigh on the next
          // date; an engine too broken to drop them fails that date too, which reports it.
          await engine.run(DATE_TABLES.map((table) => `DROP TABLE IF EXISTS ${ident(table)}`).join('; ')).catch(() => undefined);
          await workspace.clear();
          // A silver object damaged behind a sound footer fails every build of its date until it is set aside.
          if (attempt === 1 && (await silver.setAsideDamaged(date).catch(() => 0)) > 0) continue;
          failed.push({ date, error: `${messageOf(error)}${await keepPending(store, date)}` });
          break;
        }
      }
      options.onDateDone?.(date);
    }
    // Even after a stop: the dates published here are settled below, so nothing would refresh these later.
    const trends = await refreshLaterTrends(engine, workspace, store, [...published.keys()], builtInOrder(dates), { [MODEL_VERSION_KEY]: goldModelVersion() });
    trendsRefreshed.push(...trends.refreshed);
    corrupt.push(...trends.skipped);
    for (const failure of trends.failed) failed.push({ date: failure.date, error: `${failure.error}${await keepPending(store, failure.date)}` });
  } finally {
    await engine.close();
    await workspace.dispose();
  }
  const outdated = silver.outdated;
  const settled = await settleGoldPending(store, await withRebuiltMarkers(store, pending, outdated), published);
  // Where no `status` lists the lake; its listing grows with the history, so not in a run that lists only recent partitions.
  if (logger && options.listFrom === undefined) await warnOfGoldStrays(store, ALL_TABLE_NAMES, logger);

  const durationMs = Math.round(performance.now() - started);
  for (const object of corrupt) logger?.error('unreadable lake object left out of gold', { ...object });
  for (const object of outdated.filter((entry) => entry.action === 'left out')) {
    logger?.error('silver object of another silver model version left out of gold', { ...object });
  }
  for (const failure of failed) logger?.error('gold date not rebuilt; it stays pending', failure);
  if (skipped.length > 0) logger?.warn('gold stopped before these dates; their markers stay for the next run', { dates: skipped });
  logger?.info('gold step finished', { dates, pendingDates, failed: failed.length, skipped: skipped.length, trendsRefreshed, settled, tables, corrupt: corrupt.length, outdated: outdated.length, durationMs });
  metrics?.addMetric('GoldDates', MetricUnit.Count, dates.length);
  metrics?.addMetric('GoldCorruptObjects', MetricUnit.Count, corrupt.length);
  metrics?.addMetric('GoldOutdatedSilverObjects', MetricUnit.Count, outdated.length);
  for (const [table, rows] of Object.entries(tables)) metrics?.addMetric(`GoldRows_${table}`, MetricUnit.Count, rows);
  metrics?.addMetric('GoldDuration', MetricUnit.Milliseconds, durationMs);
  return { dates, pendingDates, failed, skipped, trendsRefreshed, tables, corrupt, outdated };
}
