import {
  QUEUE_SCHEMA_VERSION,
  type QueueEnvelope,
  queueEnvelopeSchema,
  type RealtimeEvent,
  type RealtimeItem,
} from '@twitch-pipeline/schemas';
import type { RealtimeTable } from '@twitch-pipeline/storage';
import { InvalidMessageError } from './invalid-message-error';

/** Called after a message's events are written, e.g. by alerting; an error fails the message so it is retried. */
export type OnWritten = (events: readonly RealtimeEvent[], envelope: QueueEnvelope) => Promise<void> | void;

/** Options of {@link writeEnvelope}. */
export interface WriteEnvelopeOptions {
  /** Lifetime of an item after its collection time (the table's TTL attribute). */
  ttlHours: number;
  onWritten?: OnWritten;
}

/** What one message wrote. */
export interface WriteEnvelopeResult {
  snapshotId: string;
  events: number;
  /** Items written: the events, with repeated keys of the message counted once. */
  written: number;
  /** Write requests made (1 plus retries of unprocessed items). */
  requests: number;
  retriedItems: number;
}

/**
 * Parses and validates a queue message body; throws {@link InvalidMessageError} naming what is wrong.
 *
 * @example
 * const envelope = parseEnvelope(record.body);
 */
export function parseEnvelope(body: string): QueueEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidMessageError(`body is not JSON (${(error as Error).message})`);
  }
  const version = (value as { schema_version?: unknown } | null)?.schema_version;
  if (version !== QUEUE_SCHEMA_VERSION) {
    throw new InvalidMessageError(`unsupported schema_version ${JSON.stringify(version)} (expected ${QUEUE_SCHEMA_VERSION})`);
  }
  const parsed = queueEnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(envelope)'}: ${issue.message}`);
    throw new InvalidMessageError(problems.slice(0, 5).join('; '));
  }
  return parsed.data;
}

/**
 * The table item of an event: the event plus `expira_em`, counted from the collection time so
 * that a redelivered message rewrites identical items.
 *
 * @example
 * toRealtimeItem(event, 48).expira_em; // epoch seconds of timestamp + 48 h
 */
export function toRealtimeItem(event: RealtimeEvent, ttlHours: number): RealtimeItem {
  return { ...event, expira_em: Math.floor(Date.parse(event.timestamp) / 1000) + ttlHours * 3600 };
}

/**
 * The consumer's work for one message, shared by the Lambda and the local drain loop:
 * validate the envelope, write its events as one batch (keys are deterministic, so a
 * redelivery rewrites the same items), then call `onWritten`.
 *
 * @example
 * const result = await writeEnvelope(table, message.body, { ttlHours: config.realtimeTtlHours });
 */
export async function writeEnvelope(table: RealtimeTable, body: string, options: WriteEnvelopeOptions): Promise<WriteEnvelopeResult> {
  const envelope = parseEnvelope(body);
  const result = await table.putItems(envelope.events.map((event) => toRealtimeItem(event, options.ttlHours)));
  await options.onWritten?.(envelope.events, envelope);
  return {
    snapshotId: envelope.snapshot_id,
    events: envelope.events.length,
    written: result.written,
    requests: result.requests,
    retriedItems: result.retriedItems,
  };
}
