import {
  QUEUE_SCHEMA_VERSION,
  type QueueEnvelope,
  queueEnvelopeShellSchema,
  type RealtimeEvent,
  type RealtimeItem,
  realtimeEventSchema,
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

/** A message's envelope with its valid events, and the others named. */
export interface ParsedEnvelope {
  /** The envelope with only the events that passed validation. */
  envelope: QueueEnvelope;
  /** Each event that failed validation, named by its place in the message and what is wrong. */
  invalidEvents: string[];
  /** Events in the message, valid or not. */
  events: number;
}

function problemsOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix: (string | number)[] = []): string[] {
  return error.issues.map((issue) => `${[...prefix, ...issue.path].map(String).join('.') || '(envelope)'}: ${issue.message}`);
}

/**
 * Parses and validates a queue message body, each event on its own. Throws
 * {@link InvalidMessageError} naming what is wrong when the body is not an envelope or no event
 * in it is valid; otherwise returns the envelope with its valid events and names the others.
 *
 * @example
 * const { envelope, invalidEvents } = parseEnvelope(record.body);
 */
export function parseEnvelope(body: string): ParsedEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidMessageError(`body is not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InvalidMessageError(`body is ${kind}, not an envelope (an object with schema_version, snapshot_id and events)`);
  }
  const version = (value as { schema_version?: unknown }).schema_version;
  if (version === undefined) throw new InvalidMessageError(`no schema_version (expected ${QUEUE_SCHEMA_VERSION})`);
  if (version !== QUEUE_SCHEMA_VERSION) {
    throw new InvalidMessageError(`unsupported schema_version ${JSON.stringify(version)} (expected ${QUEUE_SCHEMA_VERSION})`);
  }
  const shell = queueEnvelopeShellSchema.safeParse(value);
  if (!shell.success) throw new InvalidMessageError(problemsOf(shell.error).slice(0, 5).join('; '));
  const events: RealtimeEvent[] = [];
  const invalidEvents: string[] = [];
  for (const [index, event] of (value as { events: unknown[] }).events.entries()) {
    const parsed = realtimeEventSchema.safeParse(event);
    if (parsed.success) events.push(parsed.data);
    else invalidEvents.push(problemsOf(parsed.error, ['events', index]).join('; '));
  }
  if (events.length === 0) throw new InvalidMessageError(invalidEvents.slice(0, 5).join('; '));
  return { envelope: { schema_version: shell.data.schema_version, snapshot_id: shell.data.snapshot_id, events }, invalidEvents, events: events.length + invalidEvents.length };
}

/**
 * The table item of an event: the event plus `expira_em`, counted from the collection time so
 * that a redelivered message rewrites identical items.
 *
 * @example
 * toRealtimeItem(event, 48).expira_em; // epoch seconds of timestamp + 48 h
 */
function toRealtimeItem(event: RealtimeEvent, ttlHours: number): RealtimeItem {
  return { ...event, expira_em: Math.floor(Date.parse(event.timestamp) / 1000) + ttlHours * 3600 };
}

/**
 * The consumer's work for one message, shared by the Lambda and the local drain loop:
 * validate the envelope, write its valid events as one batch (keys are deterministic, so a
 * redelivery rewrites the same items), then call `onWritten`. A message with some invalid
 * events has its valid ones written first, then fails with an {@link InvalidMessageError}
 * naming the others and counting what was written: it goes to the DLQ whole, where a redrive
 * after a fix rewrites the same items.
 *
 * @example
 * const result = await writeEnvelope(table, message.body, { ttlHours: config.realtimeTtlHours });
 */
export async function writeEnvelope(table: RealtimeTable, body: string, options: WriteEnvelopeOptions): Promise<WriteEnvelopeResult> {
  const { envelope, invalidEvents, events } = parseEnvelope(body);
  const result = await table.putItems(envelope.events.map((event) => toRealtimeItem(event, options.ttlHours)));
  await options.onWritten?.(envelope.events, envelope);
  if (invalidEvents.length > 0) {
    const written = `${invalidEvents.length} of its ${events} events invalid, the other ${envelope.events.length} written`;
    throw new InvalidMessageError(`${written}: ${invalidEvents.slice(0, 5).join('; ')}`, result.written);
  }
  return {
    snapshotId: envelope.snapshot_id,
    events: envelope.events.length,
    written: result.written,
    requests: result.requests,
    retriedItems: result.retriedItems,
  };
}
