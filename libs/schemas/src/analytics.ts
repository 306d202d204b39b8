import { z } from 'zod';
import { dayPeriodSchema } from './lake';

const isoDate = z.iso.date();
const utcTimestamp = z.iso.datetime({ offset: true });

/** The two dimensions a trend row can describe. */
const TREND_DIMENSIONS = ['categoria', 'streamer'] as const;
const trendDimensionSchema = z.enum(TREND_DIMENSIONS);
export type TrendDimension = z.infer<typeof trendDimensionSchema>;

/**
 * Minimum hours watched on the day for a trend row to be `elegivel`, whose baseline must also
 * reach a tenth of it: without them a channel going from 2 to 20 viewers, or one that barely
 * streamed the week before, would top the rising list with a 10x (or 1000x) growth.
 */
export const TREND_MIN_HOURS_WATCHED: Readonly<Record<TrendDimension, number>> = {
  categoria: 50,
  streamer: 10,
};

/** Days of history a trend compares against: the 7 days before `data`. */
export const TREND_WINDOW_DAYS = 7;

/** Gold `tendencias_diario`: each category and each channel of a day against its trailing 7 days. */
export const goldTendenciasDiarioRowSchema = z.object({
  data: isoDate.meta({ description: 'Date (pipeline time zone)' }),
  dimensao: trendDimensionSchema.meta({ description: 'What nome is: a category ("categoria") or a channel ("streamer")' }),
  nome: z.string().min(1).meta({ description: 'Category name or channel login' }),
  horas_assistidas: z.number().nonnegative().meta({ description: 'Time-weighted hours watched on the day' }),
  media_espectadores: z
    .number()
    .nonnegative()
    .meta({
      description:
        'Average viewers on the day: horas_assistidas x 60 / minutos_transmitidos; 0 when minutos_transmitidos is 0: the name\'s only samples of the day are the newest snapshot\'s, taken at the start of the date or of their broadcast',
    }),
  media_7d_horas_assistidas: z.number().nonnegative().nullable().meta({
    description:
      'Mean daily hours watched over the 7 days before data that have gold data (a day without this name counts as 0); null without history in the lake',
  }),
  media_7d_espectadores: z.number().nonnegative().nullable().meta({
    description: 'Time-weighted average viewers over the 7 days before data; null when the name was not live then',
  }),
  crescimento_horas: z.number().nonnegative().nullable().meta({
    description: 'horas_assistidas / media_7d_horas_assistidas (1 = flat, 2 = doubled); null without a baseline',
  }),
  crescimento_espectadores: z.number().nonnegative().nullable().meta({
    description: 'media_espectadores / media_7d_espectadores (1 = flat); null without a baseline',
  }),
  dias_historico: z
    .number()
    .int()
    .min(0)
    .max(TREND_WINDOW_DAYS)
    .meta({ description: 'Days of the 7 before data on which the name was live (0-7)' }),
  elegivel: z.boolean().meta({
    description:
      'Worth ranking: at least 50 hours watched on the day for a category (10 for a channel) and a 7-day baseline of at least a tenth of that',
  }),
});
export type GoldTendenciasDiarioRow = z.infer<typeof goldTendenciasDiarioRowSchema>;

/** Gold `melhores_horarios`: competition and audience by hour of the day, per category and language. */
export const goldMelhoresHorariosRowSchema = z.object({
  data: isoDate.meta({ description: 'Date (pipeline time zone)' }),
  nome_categoria: z.string().min(1).meta({ description: 'Category name ("Unknown" when empty)' }),
  idioma: z.string().meta({ description: 'Stream language' }),
  hora_dia: z.number().int().min(0).max(23).meta({ description: 'Hour of the day (pipeline time zone)' }),
  periodo_dia: dayPeriodSchema.meta({ description: 'Period of the day the hour belongs to' }),
  canais_ao_vivo: z.number().nonnegative().meta({
    description: 'Live channels of the category and language per snapshot of the hour, averaged (a snapshot without any counts as 0)',
  }),
  espectadores_medios: z
    .number()
    .nonnegative()
    .meta({ description: 'Viewers of the category and language per snapshot of the hour, averaged' }),
  espectadores_por_canal: z
    .number()
    .nonnegative()
    .meta({ description: 'Audience per competing channel: espectadores_medios / canais_ao_vivo' }),
  horas_assistidas: z.number().nonnegative().meta({ description: 'Time-weighted hours watched in the hour' }),
  amostras: z
    .number()
    .int()
    .positive()
    .meta({ description: 'Snapshots taken in the hour (the denominator of the averages)' }),
});
export type GoldMelhoresHorariosRow = z.infer<typeof goldMelhoresHorariosRowSchema>;

/** Analytics gold tables (use cases built on top of the daily aggregates), by name. */
export const ANALYTICS_TABLES = {
  tendencias_diario: goldTendenciasDiarioRowSchema,
  melhores_horarios: goldMelhoresHorariosRowSchema,
} as const;
export type AnalyticsTableName = keyof typeof ANALYTICS_TABLES;

const ruleName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .regex(/^[A-Za-z0-9 _.-]+$/, 'ASCII letters (A-Z, a-z), digits, spaces, "_", "." and "-" only');

// A Twitch login: what follows twitch.tv/, without "@" or the address.
const channelLogin = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .transform((login) => login.toLowerCase())
  .refine((login) => /^[a-z0-9_]{1,25}$/.test(login), 'a Twitch login: 1 to 25 letters, digits or "_" (gaules, not @gaules or twitch.tv/gaules)');

/** A watched channel went live: a new `id_stream`, or no earlier sample of the channel. */
const channelLiveRuleSchema = z.strictObject({
  name: ruleName,
  type: z.literal('channel_live'),
  channels: z.array(channelLogin).min(1, 'must list at least one channel'),
});

/** A channel's viewers jumped since its previous sample of the same stream. */
const viewerJumpRuleSchema = z.strictObject({
  name: ruleName,
  type: z.literal('viewer_jump'),
  channels: z.array(channelLogin).min(1, 'must list at least one channel, or be left out for every channel').optional(),
  factor: z.number().min(1, 'must be at least 1'),
  minIncrease: z.number().min(0, 'must be at least 0'),
});

/** A category's live audience (sum of viewers of one snapshot) crossed a threshold upwards. */
const categoryAudienceRuleSchema = z.strictObject({
  name: ruleName,
  type: z.literal('category_audience'),
  category: z.string().trim().min(1, 'must not be empty'),
  threshold: z.number().positive('must be greater than 0'),
});

const alertRuleSchema = z.discriminatedUnion('type', [
  channelLiveRuleSchema,
  viewerJumpRuleSchema,
  categoryAudienceRuleSchema,
]);
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type ChannelLiveRule = z.infer<typeof channelLiveRuleSchema>;
export type ViewerJumpRule = z.infer<typeof viewerJumpRuleSchema>;
export type CategoryAudienceRule = z.infer<typeof categoryAudienceRuleSchema>;
export type AlertType = AlertRule['type'];

/** The alert rules file (JSON): rule names are unique, since they are part of every alert's key. */
export const alertRulesSchema = z.strictObject({ rules: z.array(alertRuleSchema) }).superRefine(
  (file, context) => {
    // Also runs when other rules are invalid, so one pass reports every problem: names may be anything here.
    const firstIndex = new Map<string, number>();
    file.rules.forEach((rule, index) => {
      const name = (rule as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') return;
      const earlier = firstIndex.get(name.trim());
      if (earlier === undefined) {
        firstIndex.set(name.trim(), index);
        return;
      }
      context.addIssue({
        code: 'custom',
        path: ['rules', index, 'name'],
        message: `duplicate rule name (also used by rules[${earlier}])`,
      });
    });
  },
  { when: (payload) => Array.isArray((payload.value as { rules?: unknown } | null)?.rules) },
);
export type AlertRules = z.infer<typeof alertRulesSchema>;

/** One alert, as the ledger stores it and SNS / the local log deliver it. */
export const alertRecordSchema = z.object({
  rule: z.string().min(1).meta({ description: 'Name of the rule that fired' }),
  type: z.enum(['channel_live', 'viewer_jump', 'category_audience']).meta({ description: 'Kind of rule' }),
  key: z.string().min(1).meta({
    description: 'Dedup key: type, rule and stream id, or type, rule, category and crossing time',
  }),
  nome_streamer: z.string().optional().meta({ description: 'Channel login (channel alerts)' }),
  id_stream: z.string().optional().meta({ description: 'Helix stream id (channel alerts)' }),
  nome_categoria: z.string().optional().meta({ description: 'Category name' }),
  espectadores: z.number().int().nonnegative().meta({ description: 'Viewers of the channel, or the category total' }),
  anterior: z.number().int().nonnegative().optional().meta({ description: 'The previous sample or snapshot value' }),
  timestamp: utcTimestamp.meta({ description: 'Collection time of the sample that fired the alert (UTC)' }),
  message: z.string().min(1).meta({ description: 'Human-readable summary' }),
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;
