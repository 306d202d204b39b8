import { z } from 'zod';
import { contentTypeSchema, dayPeriodSchema } from './lake';

/** Version of the queue envelope; consumers reject any other. */
export const QUEUE_SCHEMA_VERSION = 1;
/** Events per message: one DynamoDB BatchWriteItem (25 items at most) per message. */
export const MAX_EVENTS_PER_MESSAGE = 25;
/** SQS's body limit, in bytes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

// As `Date.prototype.toISOString` writes it, the one spelling: the table's sort key compares
// timestamps as text, so `…00Z` and `…00.000Z` (or an offset) would be two items of one instant.
const utcTimestamp = z.iso.datetime({ precision: 3, error: 'is not written as toISOString writes it (2026-11-29T21:30:00.000Z: milliseconds and Z, no offset)' });
// Text SQS, DynamoDB and the local table's JSON all carry: no lone surrogate.
const text = () => z.string().refine((value) => !/\p{Surrogate}/u.test(value), 'holds a lone surrogate');
/** DynamoDB's limit for a partition key value. */
const MAX_PARTITION_KEY_BYTES = 2048;

/** One live stream at one collection time, as the real-time path carries it. */
export const realtimeEventSchema = z.object({
  nome_streamer: text()
    .min(1)
    .refine((value) => Buffer.byteLength(value) <= MAX_PARTITION_KEY_BYTES, `is longer than the ${MAX_PARTITION_KEY_BYTES} bytes of a partition key`)
    // The table keeps partition keys opening with # for its own items (alert claims, evaluation marks).
    .refine((value) => !value.startsWith('#'), 'starts with #, which the real-time table keeps for its own items')
    .meta({ description: 'Channel login; partition key' }),
  timestamp: utcTimestamp.meta({ description: 'Collection time, ISO-8601 UTC; sort key' }),
  id_stream: text().min(1).meta({ description: 'Helix stream id' }),
  espectadores: z.number().int().nonnegative().meta({ description: 'Viewers at collection' }),
  nome_categoria: text().min(1).meta({ description: 'Category name ("Unknown" when empty)' }),
  tipo_conteudo: contentTypeSchema.meta({ description: 'Game or Non-Game' }),
  periodo_dia: dayPeriodSchema.meta({ description: 'Period of the day (pipeline time zone)' }),
  titulo: text().meta({ description: 'Stream title' }),
  idioma: text().meta({ description: 'Stream language' }),
  iniciado_em: utcTimestamp.meta({ description: 'Stream start (UTC)' }),
});
export type RealtimeEvent = z.infer<typeof realtimeEventSchema>;

/** A queue message: a versioned envelope of 1 to 25 events of one snapshot. */
export const queueEnvelopeSchema = z.object({
  schema_version: z.literal(QUEUE_SCHEMA_VERSION),
  snapshot_id: z.string().min(1),
  events: z.array(realtimeEventSchema).min(1).max(MAX_EVENTS_PER_MESSAGE),
});
export type QueueEnvelope = z.infer<typeof queueEnvelopeSchema>;

/**
 * A queue message's own fields with its events left unchecked: the consumer checks the events
 * one by one, so that one bad event neither hides the others' problems nor stops their writes.
 */
export const queueEnvelopeShellSchema = queueEnvelopeSchema.extend({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_MESSAGE) });

/** An item of the real-time table: the event plus its TTL (epoch seconds). */
export const realtimeItemSchema = realtimeEventSchema.extend({
  expira_em: z.number().int().positive().meta({ description: 'TTL: epoch seconds after which the item expires' }),
});
export type RealtimeItem = z.infer<typeof realtimeItemSchema>;

/** Key attributes of the real-time table, in AWS and locally. */
export const REALTIME_KEYS = { partitionKey: 'nome_streamer', sortKey: 'timestamp', ttlAttribute: 'expira_em' } as const;
