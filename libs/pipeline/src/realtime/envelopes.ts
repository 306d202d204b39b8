import {
  MAX_EVENTS_PER_MESSAGE,
  MAX_MESSAGE_BYTES,
  QUEUE_SCHEMA_VERSION,
  type RealtimeEvent,
} from '@twitch-pipeline/schemas';

/** One queue message of a snapshot: a deterministic id and its envelope's JSON. */
export interface PackedMessage {
  /** `<snapshot-id>-<6-digit index>`: the same snapshot always yields the same ids. */
  id: string;
  body: string;
  events: number;
  bytes: number;
}

/** Limits of one envelope; the defaults are one BatchWriteItem and SQS's body limit. */
export interface EnvelopeLimits {
  maxEvents?: number;
  maxBytes?: number;
}

/**
 * The size in bytes of a one-event envelope, to leave out an event that could never fit.
 *
 * @example
 * singleEventBytes('20261129T213000Z', event) <= MAX_MESSAGE_BYTES;
 */
export function singleEventBytes(snapshotId: string, event: RealtimeEvent): number {
  return Buffer.byteLength(envelopeJson(snapshotId, [queueJson(event)]));
}

/**
 * SQS refuses a body holding U+FFFE or U+FFFF, which JSON.stringify leaves raw (it escapes only
 * control characters and lone surrogates); their JSON escapes parse back to the same string.
 */
const NONCHARACTERS = /[\ufffe\uffff]/g;

function queueJson(value: unknown): string {
  return JSON.stringify(value).replace(NONCHARACTERS, (character) => (character === '\ufffe' ? '\\ufffe' : '\\uffff'));
}

function envelopeJson(snapshotId: string, eventJson: readonly string[]): string {
  // Same field order as queueEnvelopeSchema; built from parts so sizes add up without re-encoding.
  return `{"schema_version":${QUEUE_SCHEMA_VERSION},"snapshot_id":${queueJson(snapshotId)},"events":[${eventJson.join(',')}]}`;
}

/** Category names in code-unit order: the same on every machine, unlike a locale's collation. */
const byCategory = (a: RealtimeEvent, b: RealtimeEvent) => (a.nome_categoria < b.nome_categoria ? -1 : a.nome_categoria > b.nome_categoria ? 1 : 0);

/**
 * Packs a snapshot's events into versioned envelopes of at most 25 events and at most 256 KB
 * each (one DynamoDB BatchWriteItem per message). A category's events are packed together, in
 * the order they came: a `category_audience` alert rule keeps one part per message and category
 * and, on each message, sums every part of that category's snapshot, so a category spread over
 * every message would cost a snapshot a number of reads that grows with the square of its
 * messages. Message ids are deterministic, so publishing a snapshot again produces the same messages.
 * U+FFFE and U+FFFF are written as JSON escapes (SQS refuses them raw), and sizes are of the text sent.
 *
 * @example
 * const messages = packEnvelopes('20261129T213000Z', events);
 */
export function packEnvelopes(snapshotId: string, events: readonly RealtimeEvent[], limits: EnvelopeLimits = {}): PackedMessage[] {
  const maxEvents = limits.maxEvents ?? MAX_EVENTS_PER_MESSAGE;
  const maxBytes = limits.maxBytes ?? MAX_MESSAGE_BYTES;
  const emptyBytes = Buffer.byteLength(envelopeJson(snapshotId, []));
  const messages: PackedMessage[] = [];
  let current: string[] = [];
  let currentBytes = emptyBytes;
  const flush = () => {
    if (current.length === 0) return;
    const body = envelopeJson(snapshotId, current);
    messages.push({ id: `${snapshotId}-${String(messages.length).padStart(6, '0')}`, body, events: current.length, bytes: currentBytes });
    current = [];
    currentBytes = emptyBytes;
  };
  for (const event of [...events].sort(byCategory)) {
    const json = queueJson(event);
    const size = Buffer.byteLength(json);
    if (current.length > 0 && (current.length >= maxEvents || currentBytes + 1 + size > maxBytes)) flush();
    const added = size + (current.length > 0 ? 1 : 0);
    if (currentBytes + added > maxBytes) throw new Error(`event of ${event.nome_streamer} does not fit in a ${maxBytes}-byte message`);
    current.push(json);
    currentBytes += added;
  }
  flush();
  return messages;
}

/**
 * Groups messages into send batches of at most 10 entries whose bodies total at most 256 KB
 * (SQS's limits for one `SendMessageBatch`).
 *
 * @example
 * for (const batch of sendBatchesOf(messages)) await queue.sendBatch(batch.map(toOutgoing));
 */
export function sendBatchesOf<T extends { bytes: number }>(messages: readonly T[], maxEntries = 10, maxBytes = MAX_MESSAGE_BYTES): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length > 0 && (current.length >= maxEntries || bytes + message.bytes > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
