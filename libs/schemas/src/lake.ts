import { z } from 'zod';
import { helixStreamSchema } from './helix';

export const CONTENT_TYPES = ['Game', 'Non-Game'] as const;
export const DAY_PERIODS = ['Dawn', 'Morning', 'Afternoon', 'Night'] as const;

export const contentTypeSchema = z.enum(CONTENT_TYPES);
export type ContentType = z.infer<typeof contentTypeSchema>;
export const dayPeriodSchema = z.enum(DAY_PERIODS);
export type DayPeriod = z.infer<typeof dayPeriodSchema>;

const utcTimestamp = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** Bronze: every Helix field as received, plus the collection metadata. */
export const bronzeStreamRowSchema = helixStreamSchema.extend({
  snapshot_id: z.string().min(1).meta({ description: 'Snapshot the row belongs to' }),
  collected_at: utcTimestamp.meta({ description: 'Collection time (UTC)' }),
  query_language: z.string().min(1).meta({ description: 'Language filter of the crawl ("all" for none)' }),
  collection_interval_minutes: z
    .number()
    .int()
    .positive()
    .meta({ description: 'Schedule period this snapshot represents' }),
});
export type BronzeStreamRow = z.infer<typeof bronzeStreamRowSchema>;

/**
 * The Parquet footer key under which a bronze object names the time zone its `dt` was computed
 * in (`PIPELINE_TIMEZONE` when it was collected). Silver dates its rows in that zone, whatever
 * the setting is when silver runs again, so a rebuild after the setting changed keeps every
 * sample in the partition of its local date.
 */
export const BRONZE_TIME_ZONE_KEY = 'twitch_pipeline_time_zone';

/**
 * The Parquet footer key under which a bronze object records how late its crawl ended: the whole
 * minutes, rounded up, from `collected_at` (the slot) to the crawl's last page; 0 for a backfill
 * or a crawl that ended within the minute. A stream that started during a late crawl was live
 * when it was listed, so silver and the real-time path allow its `started_at` that much later
 * than `collected_at`, on top of their clock skew.
 */
export const BRONZE_CRAWL_MINUTES_LATE_KEY = 'twitch_pipeline_crawl_minutes_late';

/** Silver: cleaned, typed, renamed and enriched; one row per stream per snapshot. */
export const silverStreamRowSchema = z.object({
  id_stream: z.string().min(1).meta({ description: 'Helix stream id' }),
  id_streamer: z.string().min(1).meta({ description: 'Helix user_id' }),
  nome_streamer: z.string().min(1).meta({ description: 'Channel login (unique, lower-case)' }),
  nome_exibicao: z.string().meta({ description: 'Display name' }),
  id_categoria: z.string().meta({ description: 'Helix game_id ("" when unset)' }),
  nome_categoria: z.string().min(1).meta({ description: 'Helix game_name in Unicode NFC (one spelling per name), "Unknown" when empty' }),
  tipo_conteudo: contentTypeSchema.meta({ description: 'Game or Non-Game, from the curated non-game list' }),
  titulo: z.string().meta({ description: 'Stream title ("" when missing)' }),
  idioma: z.string().meta({ description: 'Stream language' }),
  tags: z.array(z.string()).meta({ description: 'Stream tags ([] when missing)' }),
  conteudo_adulto: z.boolean().meta({ description: 'Helix is_mature' }),
  espectadores: z.number().int().nonnegative().meta({ description: 'Viewers at collection' }),
  iniciado_em: utcTimestamp.meta({ description: 'Stream start (UTC)' }),
  coletado_em: utcTimestamp.meta({ description: 'Collection time (UTC)' }),
  duracao_minutos: z.number().nonnegative().meta({ description: 'Minutes live at collection' }),
  periodo_dia: dayPeriodSchema.meta({
    description: 'Dawn 00-06, Morning 06-12, Afternoon 12-18, Night 18-24 (pipeline time zone)',
  }),
  hora_dia: z.number().int().min(0).max(23).meta({ description: 'Hour of day of collection (pipeline time zone)' }),
  intervalo_coleta_minutos: z
    .number()
    .int()
    .positive()
    .meta({ description: 'Schedule period of the snapshot (bronze collection_interval_minutes)' }),
  fuso_horario: z.string().min(1).meta({ description: 'Pipeline time zone of data, hora_dia and periodo_dia' }),
  intervalo_minutos: z
    .number()
    .nonnegative()
    .meta({
      description:
        'Minutes of airtime this sample stands for: back to halfway to the previous snapshot (to iniciado_em if the broadcast started after it) plus half an interval forward',
    }),
  horas_assistidas: z
    .number()
    .nonnegative()
    .meta({
      description:
        "This sample's share of the estimated hours watched: espectadores x intervalo_minutos / 60 (a day's rows sum to gold's estimate on schedule; gold cuts it at local hours)",
    }),
  horas_assistidas_total: z
    .number()
    .nonnegative()
    .meta({ description: "Original system's estimate: espectadores x duracao_minutos / 60" }),
  id_snapshot: z.string().min(1).meta({ description: 'Bronze snapshot the row came from' }),
  data: isoDate.meta({ description: 'Collection date (pipeline time zone); the dt partition' }),
});
export type SilverStreamRow = z.infer<typeof silverStreamRowSchema>;

/** Quarantine: a rejected record, kept whole as JSON, with the reason it was rejected. */
export const quarantineRowSchema = z.object({
  snapshot_id: z.string().min(1).meta({ description: 'Snapshot the record came from' }),
  layer: z.enum(['bronze', 'silver']).meta({ description: 'Step that rejected the record' }),
  reason: z.string().min(1).meta({ description: 'Why the record was rejected (field and problem)' }),
  record: z.string().meta({ description: 'The record as received, JSON-encoded' }),
  collected_at: utcTimestamp.meta({ description: 'Collection time (UTC)' }),
});
export type QuarantineRow = z.infer<typeof quarantineRowSchema>;

const measures = {
  total_streams: z.number().int().nonnegative().meta({ description: 'Distinct stream ids' }),
  minutos_transmitidos: z
    .number()
    .nonnegative()
    .meta({ description: 'Estimated minutes on air in the group (from the start, between samples, expected tail)' }),
  horas_assistidas: z
    .number()
    .nonnegative()
    .meta({ description: 'Estimated hours watched: integral of viewers joined between snapshots, split by local hour' }),
  media_espectadores: z
    .number()
    .nonnegative()
    .meta({
      description:
        "Average viewers per stream on air: horas_assistidas x 60 / minutos_transmitidos (a typical live channel's, not a group's combined audience); 0 without minutes: the only samples are the newest snapshot's, taken as the hour, period, date or broadcast began",
    }),
  pico_espectadores: z
    .number()
    .int()
    .nonnegative()
    .meta({
      description:
        "Most viewers one stream had in a sample bounding the group's airtime (the snapshot just after its local hour or date included): one channel's peak, not the group's combined audience",
    }),
  amostras: z.number().int().nonnegative().meta({ description: 'Samples (silver rows) collected in the group' }),
};

const dataColumn = isoDate.meta({ description: 'Date (pipeline time zone)' });
const streamerColumn = z.string().min(1).meta({ description: 'Channel login' });
const categoryColumn = z.string().min(1).meta({ description: 'Category name ("Unknown" when empty)' });
const contentTypeColumn = contentTypeSchema.meta({ description: 'Game or Non-Game' });
const periodColumn = dayPeriodSchema.meta({ description: 'Period of the day (pipeline time zone)' });
const languageColumn = z.string().meta({ description: 'Stream language' });

/** Gold `streams_diario`: the finest grain. */
export const goldStreamsDiarioRowSchema = z.object({
  data: dataColumn,
  nome_streamer: streamerColumn,
  nome_categoria: categoryColumn,
  tipo_conteudo: contentTypeColumn,
  periodo_dia: periodColumn,
  idioma: languageColumn,
  ...measures,
});
export type GoldStreamsDiarioRow = z.infer<typeof goldStreamsDiarioRowSchema>;

/** Gold `streamers_diario`: one row per channel per day. */
export const goldStreamersDiarioRowSchema = z.object({
  data: dataColumn,
  nome_streamer: streamerColumn,
  ...measures,
  transmissoes_amostradas: z
    .number()
    .int()
    .nonnegative()
    .meta({ description: 'Stream ids with a sample on this date: total_streams less those with only a lead-in or tail here, sampled on the date before or after (NULL in gold written before this column)' }),
  transmissoes_continuadas: z
    .number()
    .int()
    .nonnegative()
    .meta({
      description:
        'Of transmissoes_amostradas, those also in the snapshots of the date before that gold reads (across midnight); over a range, sum transmissoes_amostradas less this of every date but the first (NULL in older gold)',
    }),
});
export type GoldStreamersDiarioRow = z.infer<typeof goldStreamersDiarioRowSchema>;

/** Gold `categorias_diario`: one row per category per day. */
export const goldCategoriasDiarioRowSchema = z.object({
  data: dataColumn,
  nome_categoria: categoryColumn,
  tipo_conteudo: contentTypeColumn,
  ...measures,
});
export type GoldCategoriasDiarioRow = z.infer<typeof goldCategoriasDiarioRowSchema>;

/** Gold `idiomas_periodo`: language x content type x period of the day, per day. */
export const goldIdiomasPeriodoRowSchema = z.object({
  data: dataColumn,
  idioma: languageColumn,
  tipo_conteudo: contentTypeColumn,
  periodo_dia: periodColumn,
  ...measures,
});
export type GoldIdiomasPeriodoRow = z.infer<typeof goldIdiomasPeriodoRowSchema>;

/** Gold `canais_hora`: one row per channel per local hour of the day, the grain of a channel's weekday x hour heat-map. */
export const goldCanaisHoraRowSchema = z.object({
  data: dataColumn,
  nome_streamer: streamerColumn,
  hora_dia: z.number().int().min(0).max(23).meta({ description: 'Local hour of the day (pipeline time zone) the airtime and hours watched fall in' }),
  ...measures,
});
export type GoldCanaisHoraRow = z.infer<typeof goldCanaisHoraRowSchema>;

/** Gold `categorias_canais`: one row per category, language and channel per day, written in category order so a category's rows sit together. */
export const goldCategoriasCanaisRowSchema = z.object({
  data: dataColumn,
  nome_categoria: categoryColumn,
  tipo_conteudo: contentTypeColumn,
  idioma: languageColumn,
  nome_streamer: streamerColumn,
  ...measures,
});
export type GoldCategoriasCanaisRow = z.infer<typeof goldCategoriasCanaisRowSchema>;

/** Every gold table by name, for writers, views, catalog tables and docs. */
export const GOLD_TABLES = {
  streams_diario: goldStreamsDiarioRowSchema,
  streamers_diario: goldStreamersDiarioRowSchema,
  categorias_diario: goldCategoriasDiarioRowSchema,
  idiomas_periodo: goldIdiomasPeriodoRowSchema,
  canais_hora: goldCanaisHoraRowSchema,
  categorias_canais: goldCategoriasCanaisRowSchema,
} as const;
export type GoldTableName = keyof typeof GOLD_TABLES;
