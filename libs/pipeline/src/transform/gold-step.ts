import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { installFeatureMacros, type ModelName, modelRules, modelSql, readSqlFile } from '@twitch-pipeline/features';
import { MetricUnit } from '@twitch-pipeline/observability';
import { ANALYTICS_TABLES, duckdbColumns, GOLD_TABLES, type GoldTableName, goldKey, LAKE_PREFIXES, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import { writeAnalyticsTables } from './gold-analytics';
import { LakeWorkspace } from './lake-workspace';
import type { GoldOptions, GoldSummary } from './transform-types';

const ident = (name: string) => `"${name}"`;
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const GOLD_TABLE_NAMES = Object.keys(GOLD_TABLES) as GoldTableName[];
const ALL_TABLE_NAMES = [...GOLD_TABLE_NAMES, ...Object.keys(ANALYTICS_TABLES)];

/** The typed SELECT that writes one gold table from its model, ordered by the table's unique key (its grain). */
function goldSelect(table: GoldTableName): string {
  const model = `gold_${table}` as ModelName;
  const select = duckdbColumns(GOLD_TABLES[table]).map((column) => `CAST(${ident(column.name)} AS ${column.type}) AS ${ident(column.name)}`);
  return `SELECT ${select.join(', ')} FROM (${modelSql(model)}) ORDER BY ${modelRules(model).unique_key.map(ident).join(', ')}`;
}

const EMPTY_SILVER = `SELECT ${duckdbColumns(silverStreamRowSchema)
  .map((column) => `CAST(NULL AS ${column.type}) AS ${ident(column.name)}`)
  .join(', ')} LIMIT 0`;

/**
 * The gold step: for each date, every gold table is recomputed from that date's silver
 * objects (through the intermediate `int_streams_por_stream`) and its partition rewritten whole (`gold/<table>/dt=<date>/part-0.parquet`), so a
 * rerun gives the same rows and late snapshots are folded in. Then the analytics tables of the
 * date: best hours from the same silver rows, trends from the fresh daily tables and the 7
 * earlier partitions. Only the listed dates' silver is read; dates go in order, so a backfill's
 * trends see the days before them.
 *
 * @example
 * const summary = await runGold({ store, dates: ['2026-11-29'] });
 * summary.tables.streamers_diario; // rows written
 */
export async function runGold(options: GoldOptions): Promise<GoldSummary> {
  const started = performance.now();
  const { store, logger, metrics } = options;
  const dates = [...new Set(options.dates)].sort();
  const invalid = dates.filter((date) => !DATE.test(date));
  if (invalid.length > 0) throw new Error(`invalid dates (expected YYYY-MM-DD): ${invalid.join(', ')}`);
  const tables: Record<string, number> = Object.fromEntries(ALL_TABLE_NAMES.map((table) => [table, 0]));
  if (dates.length === 0) return { dates, tables };

  const workspace = await LakeWorkspace.create(store, 'gold', options.engineOptions?.tempDirectory);
  const engine = await DuckDbEngine.open(options.engineOptions);
  try {
    await installFeatureMacros(engine);
    for (const date of dates) {
      const silverKeys = (await store.list(`${LAKE_PREFIXES.silver}dt=${date}/`))
        .map((object) => object.key)
        .filter((key) => key.endsWith('.parquet'));
      const paths = await workspace.localPaths(silverKeys);
      await engine.run(
        `CREATE OR REPLACE TEMP VIEW silver_streams AS ${
          paths.length === 0 ? EMPTY_SILVER : `SELECT * FROM read_parquet([${paths.map(quote).join(', ')}])`
        }`,
      );
      await engine.run(`CREATE OR REPLACE TEMP TABLE int_streams_por_stream AS ${readSqlFile('models', 'int_streams_por_stream.sql')}`);
      const written: Record<string, string> = {};
      for (const table of GOLD_TABLE_NAMES) {
        written[table] = await workspace.outputPath(goldKey(table, date));
        await engine.copyToParquet(goldSelect(table), undefined, written[table]);
      }
      await engine.run('DROP TABLE int_streams_por_stream');
      const analytics = await writeAnalyticsTables(engine, workspace, store, date, written);
      Object.assign(written, analytics.files);
      // Daily tables first, so a reader never sees trends newer than the aggregates they rank.
      for (const [table, path] of Object.entries(written)) {
        const [count] = await engine.all<{ n: number }>('SELECT count(*) AS n FROM read_parquet($path)', { path });
        tables[table] = (tables[table] ?? 0) + (count?.n ?? 0);
        await workspace.publish(goldKey(table, date), path);
      }
      await workspace.discard([...paths, ...analytics.downloaded, ...Object.values(written)]);
      logger?.debug('gold date rebuilt', { date, silverObjects: silverKeys.length });
    }
  } finally {
    await engine.close();
    await workspace.dispose();
  }

  const durationMs = Math.round(performance.now() - started);
  logger?.info('gold step finished', { dates, tables, durationMs });
  metrics?.addMetric('GoldDates', MetricUnit.Count, dates.length);
  for (const [table, rows] of Object.entries(tables)) metrics?.addMetric(`GoldRows_${table}`, MetricUnit.Count, rows);
  metrics?.addMetric('GoldDuration', MetricUnit.Milliseconds, durationMs);
  return { dates, tables };
}
