import { type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import { MAX_MESSAGE_BYTES, parseSnapshotKey } from '@twitch-pipeline/schemas';
import type { EventQueue, FailedEntry, ObjectStore, OutgoingMessage, SendBatchResult } from '@twitch-pipeline/storage';
import { readBronzeEvents } from './bronze-events';
import { type PackedMessage, packEnvelopes, sendBatchesOf, singleEventBytes } from './envelopes';
import { PublishError } from './publish-error';
import { InvalidStepInputError } from '../handler-errors/invalid-step-input-error';

/** Inputs of the publish step: where the snapshot is and where its events go. */
export interface PublishSnapshotInput {
  store: ObjectStore;
  queue: EventQueue;
  bronzeKey: string;
  snapshotId: string;
  /** Pipeline time zone of `periodo_dia`. */
  timeZone: string;
  /** Minutes `started_at` may lie after `collected_at` (default: the silver step's). */
  maxSkewMinutes?: number;
  /** Send attempts per batch, the first included, before failed entries fail the step (default 5). */
  maxSendAttempts?: number;
  /** Send batches in flight at once (default 4). */
  concurrency?: number;
  /** Waits between send retries; replaceable so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  metrics?: Metrics;
  /** Folder for the bronze copy read (and DuckDB's spill); default: the OS temp folder. A Lambda gives its function's folder, swept at Init. */
  scratchDirectory?: string;
}

/** What one publish did; `events + skipped = bronzeRows`. */
export interface PublishSummary {
  snapshotId: string;
  bronzeRows: number;
  /** Events published (one per valid live stream). */
  events: number;
  /** Bronze rows left out, the silver step's quarantine reasons as keys. */
  skipped: Record<string, number>;
  messages: number;
  sendBatches: number;
  /** Entries sent again after SQS failed them. */
  retried: number;
  durationMs: number;
}

/**
 * Refuses a bronze key that names no snapshot, or another snapshot than `snapshotId`: every
 * event would go out under the wrong snapshot (and an id longer than a snapshot's breaks SQS's
 * 80-character entry ids only at send time).
 */
function assertSnapshotOf(key: string, snapshotId: string): void {
  const parsed = parseSnapshotKey(key);
  if (!parsed) {
    throw new InvalidStepInputError(`bronze key "${key}" names no snapshot (…/dt=YYYY-MM-DD/YYYYMMDDTHHMMSSZ.parquet): nothing published`);
  }
  if (parsed.snapshotId !== snapshotId) {
    throw new InvalidStepInputError(`snapshot id "${snapshotId}" is not the snapshot of bronze key "${key}" (${parsed.snapshotId}): nothing published`);
  }
}

const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5_000;

/** What sending one batch left: the entries sent again, and those never accepted, after `attempts` sends. */
interface BatchOutcome {
  retried: number;
  failed: FailedEntry[];
  attempts: number;
}

/** Throttling is a client fault in the SDK's terms (`RequestThrottled`, `KmsThrottled`), yet it passes: it is retried. */
const THROTTLING = /throttl/i;

/**
 * A send whose whole request throws fails each of its entries with the error. The request is
 * the sender's fault, and is not sent again, when the SDK says so (`$fault: 'client'`: an unknown
 * queue, no access, a malformed batch) and it is not throttling; throttling still failing after
 * the SDK's own retries, a server fault and a network error are retried like a failed entry.
 */
async function sendOrFail(queue: EventQueue, messages: readonly OutgoingMessage[]): Promise<SendBatchResult> {
  try {
    return await queue.sendBatch(messages);
  } catch (error) {
    const { name = 'Error', code, message = String(error), $fault } = (error ?? {}) as { name?: string; code?: string; message?: string; $fault?: string };
    const senderFault = $fault === 'client' && !THROTTLING.test(name);
    // A system error (the local queue's ENOSPC) is named by its code, an SDK error by its name.
    return { sent: [], failed: messages.map((entry) => ({ id: entry.id, code: typeof code === 'string' ? code : name, message, senderFault })) };
  }
}

async function sendWithRetries(
  queue: EventQueue,
  batch: readonly PackedMessage[],
  maxAttempts: number,
  sleep: (ms: number) => Promise<void>,
): Promise<BatchOutcome> {
  let pending = batch;
  let retried = 0;
  const refused: FailedEntry[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const result = await sendOrFail(
      queue,
      pending.map((message) => ({ id: message.id, body: message.body, groupId: message.id, deduplicationId: message.id })),
    );
    // An entry (or request) that is the sender's fault fails again on every send: it is not retried.
    refused.push(...result.failed.filter((entry) => entry.senderFault));
    const transient = result.failed.filter((entry) => !entry.senderFault);
    if (transient.length === 0) return { retried, failed: refused, attempts: attempt };
    if (attempt >= maxAttempts) return { retried, failed: [...refused, ...transient], attempts: attempt };
    const failedIds = new Set(transient.map((entry) => entry.id));
    pending = pending.filter((message) => failedIds.has(message.id));
    retried += pending.length;
    await sleep(Math.floor(Math.random() * Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1))));
  }
}

/**
 * The publish step: every live stream of a bronze snapshot becomes one event on the queue,
 * packed into versioned envelopes of up to 25 events (one DynamoDB batch write each) and
 * sent ten messages per `SendMessageBatch`. Entries the queue fails, and every entry of a
 * request that throws, are sent again with backoff; an entry still failing (or the sender's
 * fault) fails the step with {@link PublishError}, once every other batch has been sent. A
 * bronze key that does not name `snapshotId` is refused before anything is read or sent.
 * Rows the silver step would quarantine are left out and counted by reason, so
 * `events + skipped` always equals the bronze rows. Message ids are
 * deterministic: publishing a snapshot again sends the same messages, and the consumer's
 * writes are idempotent.
 *
 * @example
 * const summary = await publishSnapshot({
 *   store, queue, bronzeKey: extract.bronzeKey, snapshotId: extract.snapshotId, timeZone: config.timeZone,
 * });
 */
export async function publishSnapshot(input: PublishSnapshotInput): Promise<PublishSummary> {
  const startedAt = Date.now();
  const { queue, snapshotId, logger, metrics } = input;
  assertSnapshotOf(input.bronzeKey, snapshotId);
  const read = await readBronzeEvents(input.store, input.bronzeKey, {
    timeZone: input.timeZone,
    maxSkewMinutes: input.maxSkewMinutes,
    scratchDirectory: input.scratchDirectory,
  });
  const skipped = { ...read.skipped };
  const events = read.events.filter((event) => {
    if (singleEventBytes(snapshotId, event) <= MAX_MESSAGE_BYTES) return true;
    const reason = 'event larger than the queue message limit';
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    return false;
  });
  const messages = packEnvelopes(snapshotId, events);
  const batches = sendBatchesOf(messages);
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const concurrency = Math.max(1, input.concurrency ?? 4);
  let retried = 0;
  const failed: FailedEntry[] = [];
  let attempts = 0;
  // Every batch is sent even when one fails for good, so one bad message costs only itself.
  for (let start = 0; start < batches.length; start += concurrency) {
    const sent = await Promise.all(
      batches.slice(start, start + concurrency).map((batch) => sendWithRetries(queue, batch, input.maxSendAttempts ?? 5, sleep)),
    );
    for (const outcome of sent) {
      retried += outcome.retried;
      failed.push(...outcome.failed);
      if (outcome.failed.length > 0) attempts = Math.max(attempts, outcome.attempts);
    }
  }
  const eventsOf = new Map(messages.map((message) => [message.id, message.events]));
  const notSent = failed.reduce((sum, entry) => sum + (eventsOf.get(entry.id) ?? 0), 0);
  const skippedCount = Object.values(skipped).reduce((sum, count) => sum + count, 0);
  // Recorded before a failure is thrown: the messages that did reach the queue are written by the
  // consumer all the same, and the retries spent are what a struggling queue shows in.
  metrics?.addMetric('EventsPublished', MetricUnit.Count, events.length - notSent);
  metrics?.addMetric('EventsSkipped', MetricUnit.Count, skippedCount);
  metrics?.addMetric('MessagesPublished', MetricUnit.Count, messages.length - failed.length);
  metrics?.addMetric('PublishRetries', MetricUnit.Count, retried);
  if (failed.length > 0) throw new PublishError(failed, attempts, { sent: events.length - notSent, notSent });
  const summary: PublishSummary = {
    snapshotId,
    bronzeRows: read.rows,
    events: events.length,
    skipped,
    messages: messages.length,
    sendBatches: batches.length,
    retried,
    durationMs: Date.now() - startedAt,
  };
  logger?.info('snapshot published', { ...summary, queue: queue.location });
  return summary;
}
