import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDbEngine, sqlString } from '@twitch-pipeline/duckdb';
import { type ModelName, modelRules } from '@twitch-pipeline/features';
import { goldModelVersion, MODEL_VERSION_KEY, silverModelVersion } from '@twitch-pipeline/pipeline';
import {
  ANALYTICS_TABLES,
  duckdbColumns,
  GOLD_TABLES,
  goldKey,
  silverKey,
  silverStreamRowSchema,
  snapshotIdFor,
} from '@twitch-pipeline/schemas';
import type { LocalObjectStore } from '@twitch-pipeline/storage';
import type { z } from 'zod';

/** Shape of the generated lake. */
export interface ProfileLakeOptions {
  firstDate: string;
  days: number;
  snapshotsPerDay: number;
  streamsPerSnapshot: number;
  /** Channels in the population; a window of `streamsPerSnapshot` of them slides over it. */
  population: number;
}

const LANGUAGES = ['en', 'es', 'pt', 'de', 'ru', 'fr', 'ja', 'ko', 'it', 'zh', 'tr', 'pl'];
const NAMED_CATEGORIES = ['Just Chatting', 'League of Legends', 'Grand Theft Auto V', 'Counter-Strike', 'VALORANT', 'Fortnite', 'Minecraft', 'Dota 2'];
const CATEGORY_COUNT = 3000;

// One silver row per live channel and snapshot. A window slides over the population by 2,000
// channels a snapshot (streams continue across snapshots); each channel has its own audience
// size (heavy-tailed) and language, and picks a category per 4-hour broadcast, heavy-tailed over
// 3,000 categories. Rows are in viewer order, as the extract writes them.
const SILVER: Record<string, string> = {
  id_stream: 'CAST(channel * 100000 + broadcast AS VARCHAR)',
  id_streamer: 'CAST(channel AS VARCHAR)',
  nome_streamer: "'canal_' || channel",
  nome_exibicao: "'Canal_' || channel",
  id_categoria: "CAST(CASE WHEN category = 0 THEN 509658 ELSE 1000000 + category END AS VARCHAR)",
  nome_categoria: `coalesce([${NAMED_CATEGORIES.map((name) => `'${name}'`).join(', ')}][category + 1], 'Category ' || category)`,
  tipo_conteudo: "CASE WHEN category = 0 THEN 'Non-Game' ELSE 'Game' END",
  titulo: "'Ao vivo — ranked até o topo 🎮'",
  idioma: `[${LANGUAGES.map((code) => `'${code}'`).join(', ')}][CAST(floor(pow(u_language, 2) * ${LANGUAGES.length}) AS INTEGER) + 1]`,
  tags: "['Português']",
  conteudo_adulto: 'channel % 11 = 0',
  espectadores: 'greatest(0, CAST(floor(pow(1.0 - u_audience, -1.4) * (0.75 + 0.5 * u)) AS BIGINT) - 1)',
  iniciado_em: 'collected_at - to_minutes(CAST(30 * (global_snapshot % 8) AS BIGINT))',
  coletado_em: 'collected_at',
  duracao_minutos: 'CAST(30 * (global_snapshot % 8) + 30 AS DOUBLE)',
  periodo_dia: "CASE WHEN hour < 6 THEN 'Dawn' WHEN hour < 12 THEN 'Morning' WHEN hour < 18 THEN 'Afternoon' ELSE 'Night' END",
  hora_dia: 'hour',
  intervalo_coleta_minutos: 'CAST(30 AS DOUBLE)',
  fuso_horario: "'America/Sao_Paulo'",
  intervalo_minutos: 'CAST(30 AS DOUBLE)',
  horas_assistidas: 'greatest(0, CAST(floor(pow(1.0 - u_audience, -1.4) * (0.75 + 0.5 * u)) AS BIGINT) - 1) * 0.5',
  horas_assistidas_total: 'greatest(0, CAST(floor(pow(1.0 - u_audience, -1.4) * (0.75 + 0.5 * u)) AS BIGINT) - 1) * (30 * (global_snapshot % 8) + 30) / 60.0',
  data: 'CAST($date AS DATE)',
  id_snapshot: "strftime(collected_at, '%Y%m%dT%H%M%SZ')",
};

const MEASURES: Record<string, string> = {
  total_streams: 'count(DISTINCT id_stream)',
  minutos_transmitidos: 'sum(intervalo_minutos)',
  horas_assistidas: 'sum(horas_assistidas)',
  media_espectadores: 'sum(horas_assistidas) * 60 / sum(intervalo_minutos)',
  pico_espectadores: 'max(espectadores)',
  amostras: 'count(*)',
};

/** Gold tables the profiles read, each as its grain and the expressions of its other columns. */
const GOLD: { table: string; schema: z.ZodObject<z.ZodRawShape>; grain: string[]; expressions: Record<string, string> }[] = [
  { table: 'streams_diario', schema: GOLD_TABLES.streams_diario as never, grain: ['data', 'nome_streamer', 'nome_categoria', 'tipo_conteudo', 'periodo_dia', 'idioma'], expressions: MEASURES },
  {
    table: 'streamers_diario',
    schema: GOLD_TABLES.streamers_diario as never,
    grain: ['data', 'nome_streamer'],
    // Broadcasts are 8 snapshots long from each day's first: with the benchmark's 48 snapshots a day
    // (any multiple of 8) none crosses midnight.
    expressions: { ...MEASURES, transmissoes_amostradas: 'count(DISTINCT id_stream)', transmissoes_continuadas: '0' },
  },
  { table: 'canais_hora', schema: GOLD_TABLES.canais_hora as never, grain: ['data', 'nome_streamer', 'hora_dia'], expressions: MEASURES },
  {
    table: 'categorias_canais',
    schema: GOLD_TABLES.categorias_canais as never,
    grain: ['data', 'nome_categoria', 'tipo_conteudo', 'idioma', 'nome_streamer'],
    expressions: MEASURES,
  },
  { table: 'categorias_diario', schema: GOLD_TABLES.categorias_diario as never, grain: ['data', 'nome_categoria', 'tipo_conteudo'], expressions: MEASURES },
  {
    table: 'melhores_horarios',
    schema: ANALYTICS_TABLES.melhores_horarios as never,
    grain: ['data', 'nome_categoria', 'idioma', 'hora_dia', 'periodo_dia'],
    expressions: {
      canais_ao_vivo: 'count(*) / any_value(amostras_hora)',
      espectadores_medios: 'sum(espectadores) / any_value(amostras_hora)',
      espectadores_por_canal: 'sum(espectadores) / count(*)',
      horas_assistidas: 'sum(horas_assistidas)',
      amostras: 'any_value(amostras_hora)',
    },
  },
];

/** Columns of a schema, each from its expression or a typed NULL (a column this generator does not know yet). */
function selectList(schema: z.ZodObject<z.ZodRawShape>, expressions: Record<string, string>, unknown: Set<string>): string {
  return duckdbColumns(schema)
    .map(({ name, type }) => {
      const expression = expressions[name];
      if (expression === undefined) unknown.add(name);
      return `CAST(${expression ?? 'NULL'} AS ${type}) AS "${name}"`;
    })
    .join(',\n');
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Writes a lake of silver snapshots and the gold tables the profiles read, straight to Parquet
 * with DuckDB (no extract, no pipeline steps): the same keys, columns (from libs/schemas) and
 * row counts as the pipeline would write for that population. Returns the columns it filled
 * with NULL because it has no generator for them.
 *
 * @example
 * await generateProfileLake(store, { firstDate: '2026-11-01', days: 30, snapshotsPerDay: 48, streamsPerSnapshot: 95_000, population: 200_000 });
 */
export async function generateProfileLake(store: LocalObjectStore, options: ProfileLakeOptions, onDay?: (date: string) => void): Promise<string[]> {
  const unknown = new Set<string>();
  const silverSelect = selectList(silverStreamRowSchema as never, SILVER, unknown);
  const engine = await DuckDbEngine.open();
  try {
    for (let day = 0; day < options.days; day++) {
      const date = addDays(options.firstDate, day);
      // The whole day in one statement (both cores busy), snapshots from 03:00 UTC: midnight in
      // the pipeline's default time zone (UTC-3). One row group per snapshot file, as the
      // silver step writes, so row order inside a file does not matter to the readers.
      await engine.run(
        `CREATE OR REPLACE TEMP TABLE day_silver AS
         WITH rows AS (
           SELECT i // $streams AS snapshot, i % $streams AS position FROM range(CAST($streams * $snapshots AS BIGINT)) t(i)
         ),
         timed AS (
           SELECT rows.*, $day * $snapshots + snapshot AS global_snapshot,
                  CAST($day_start AS TIMESTAMP) + to_minutes(CAST(30 * snapshot AS BIGINT)) AS collected_at,
                  CAST(floor(30 * snapshot / 60) AS INTEGER) % 24 AS hour
             FROM rows
         ),
         shaped AS (
           SELECT timed.*, (position + global_snapshot * 2000) % $population AS channel,
                  (hash(position, global_snapshot) % 1000000) / 1000000.0 AS u, global_snapshot // 8 AS broadcast
             FROM timed
         ),
         drawn AS (
           SELECT shaped.*,
                  (hash(channel, 11) % 1000000) / 1000000.0 AS u_audience,
                  (hash(channel, 13) % 1000000) / 1000000.0 AS u_language,
                  CAST(floor(pow((hash(channel, broadcast) % 1000000) / 1000000.0, 2.5) * ${CATEGORY_COUNT}) AS INTEGER) AS category
             FROM shaped
         )
         SELECT ${silverSelect} FROM drawn`,
        { streams: options.streamsPerSnapshot, snapshots: options.snapshotsPerDay, day, date, day_start: `${date} 03:00:00`, population: options.population },
      );
      const staging = join(store.root, '.staging', date);
      await mkdir(staging, { recursive: true });
      // Every object carries its layer's model version, as the steps stamp theirs: the CLI takes an
      // unstamped one for another version's, notes it on every command and reads it by column name.
      await engine.run(
        `COPY day_silver TO ${sqlString(staging)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (id_snapshot), WRITE_PARTITION_COLUMNS true, OVERWRITE_OR_IGNORE true, KV_METADATA {${sqlString(MODEL_VERSION_KEY)}: ${sqlString(silverModelVersion())}})`,
      );
      for (let snapshot = 0; snapshot < options.snapshotsPerDay; snapshot++) {
        const snapshotId = snapshotIdFor(new Date(Date.parse(`${date}T03:00:00Z`) + snapshot * 30 * 60_000));
        const path = store.pathOf(silverKey(date, snapshotId));
        await mkdir(dirname(path), { recursive: true });
        const [file] = await readdir(join(staging, `id_snapshot=${snapshotId}`));
        await rename(join(staging, `id_snapshot=${snapshotId}`, file!), path);
      }
      await rm(join(store.root, '.staging'), { recursive: true, force: true });
      // Only the columns the gold grains read; the hour's snapshot count from a tiny GROUP BY.
      await engine.run(
        `CREATE OR REPLACE TEMP TABLE day_rows AS
         WITH rows AS (
           SELECT data, id_stream, id_snapshot, nome_streamer, nome_categoria, tipo_conteudo, periodo_dia, idioma, hora_dia,
                  espectadores, intervalo_minutos, horas_assistidas
             FROM day_silver
         ),
         hours AS (SELECT hora_dia, count(DISTINCT id_snapshot) AS amostras_hora FROM rows GROUP BY hora_dia)
         SELECT rows.*, hours.amostras_hora FROM rows JOIN hours USING (hora_dia)`,
      );
      for (const gold of GOLD) {
        const path = store.pathOf(goldKey(gold.table, date));
        await mkdir(dirname(path), { recursive: true });
        const expressions = Object.fromEntries(gold.grain.map((column) => [column, column]));
        const select = selectList(gold.schema, { ...expressions, ...gold.expressions }, unknown);
        // In the order of the table's unique key, as the gold step writes it: Parquet readers skip the row groups of other channels.
        const order = modelRules(`gold_${gold.table}` as ModelName).unique_key.join(', ');
        await engine.copyToParquet(`SELECT ${select} FROM day_rows GROUP BY ${gold.grain.join(', ')} ORDER BY ${order}`, undefined, path, {
          [MODEL_VERSION_KEY]: goldModelVersion(),
        });
      }
      onDay?.(date);
    }
  } finally {
    await engine.close();
  }
  return [...unknown];
}
