import { type DuckDbEngine, type QueryParams, sqlFileList } from '@twitch-pipeline/duckdb';
import { type ModelName, modelRules, modelSql, readSqlFile } from '@twitch-pipeline/features';
import {
  ANALYTICS_TABLES,
  duckdbColumns,
  duckdbLiteralPath,
  GOLD_TABLES,
  type GoldTableName,
  goldKey,
  silverStreamRowSchema,
  TREND_MIN_HOURS_WATCHED,
  TREND_WINDOW_DAYS,
} from '@twitch-pipeline/schemas';
import { analyticsSelect, writeAnalyticsTables } from './gold-analytics';
import type { SilverInputCollector } from './gold-silver-inputs';
import type { SilverVersionsTaken } from './gold-pending';
import type { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY, modelVersion, once } from './model-version';
import { silverObjectsOf, versionOf } from './silver-neighbours';
import { ident, typedColumns } from './sql-columns';
import type { GoldOptions } from './transform-types';

const GOLD_TABLE_NAMES = Object.keys(GOLD_TABLES) as GoldTableName[];
/** Every table a gold date publishes: the daily gold tables and the analytics tables. */
export const ALL_TABLE_NAMES = [...GOLD_TABLE_NAMES, ...Object.keys(ANALYTICS_TABLES)];

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
export const DATE_TABLES = [...ESTIMATE_MODELS, 'int_streams_por_stream', 'int_canais_por_coleta', ...[...HOURLY_TABLES].map((table) => `gold_${table}`)];

/** Rebuilds of one date when other runs keep adding silver objects to it meanwhile. */
const MAX_PASSES = 3;

const EMPTY_SILVER = `SELECT ${duckdbColumns(silverStreamRowSchema)
  .map((column) => `CAST(NULL AS ${column.type}) AS ${ident(column.name)}`)
  .join(', ')} LIMIT 0`;

const silverRelation = (paths: readonly string[]) =>
  paths.length === 0 ? EMPTY_SILVER : `SELECT * FROM read_parquet(${sqlFileList(paths)})`;

/** What one date's build needs from the gold run. */
export interface DateBuild {
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
 *
 * @example
 * const { counts } = await buildDate({ engine, workspace, silver, date: '2026-11-29', windowSamples: ESTIMATE_WINDOW_SAMPLES });
 */
export async function buildDate({ engine, workspace, silver, date, windowSamples, logger }: DateBuild): Promise<{ counts: Record<string, number>; taken: SilverVersionsTaken }> {
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
