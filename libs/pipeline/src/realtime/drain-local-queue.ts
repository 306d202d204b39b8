import { type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import type { EventQueue, ReceivedMessage, RealtimeTable } from '@twitch-pipeline/storage';
import { InvalidMessageError } from './invalid-message-error';
import { type OnWritten, parseEnvelope, writeEnvelope } from './write-envelope';

/** Inputs of {@link drainLocalQueue}. */
export interface DrainLocalQueueInput {
  queue: EventQueue;
  table: RealtimeTable;
  ttlHours: number;
  onWritten?: OnWritten;
  /** Stop after receiving this many messages (default: until no message is visible). */
  maxMessages?: number;
  /**
   * The queue's receive limit (`QUEUE_MAX_RECEIVES`). A message failing its last receive then
   * goes to the DLQ at once with its error as the reason; without it, the next receive moves it
   * there with a reason that only counts the receives.
   */
  maxReceives?: number;
  logger?: Logger;
  metrics?: Metrics;
}

/** A message a drain could not consume, and why. */
export interface DrainFailure {
  messageId: string;
  /** Receives of the message so far, the failed one included. */
  receiveCount: number;
  /** Events the message holds, for reconciling them with those published; 0 when it is not a readable envelope. */
  events: number;
  error: string;
  /** Moved to the DLQ after its last receive (see `maxReceives`); otherwise it waits on the queue for a later receive. */
  deadLettered: boolean;
}

/** What one drain did. */
export interface DrainSummary {
  /** Messages received. */
  received: number;
  /** Events written to the table. */
  written: number;
  /** Messages that failed and stay on the queue until their visibility timeout ends. */
  failed: number;
  /**
   * Messages that are not valid envelopes (empty, torn, not JSON, unknown version, bad events):
   * moved to the DLQ at once when the queue can do that, otherwise counted in `failed` too.
   */
  invalid: number;
  /** Messages moved to the DLQ during this drain: unreadable ones, and those that failed their last receive. */
  deadLettered: number;
  /** Messages whose last receive in this drain failed, each with its error. */
  unconsumed: DrainFailure[];
  /**
   * Ids of messages consumed on a receive after their first: a caller that drains several times
   * drops them from the failures it kept from earlier drains.
   */
  recovered: string[];
  durationMs: number;
}

/** Dead-letters a message; false when that failed (it then stays for redelivery, nothing lost). */
async function moveToDeadLetter(
  deadLetter: (receiptHandle: string, reason: string) => Promise<void>,
  message: ReceivedMessage,
  reason: string,
): Promise<boolean> {
  try {
    await deadLetter(message.receiptHandle, reason);
    return true;
  } catch {
    return false;
  }
}

/** Events in a message body; 0 when it is not a readable envelope (such a message holds none that can be written). */
function eventsIn(body: string): number {
  try {
    return parseEnvelope(body).events;
  } catch {
    return 0;
  }
}

/**
 * A failed message, moved to the DLQ when this was its last receive, so that the DLQ keeps the
 * error that failed it (the receive that would move it later knows only the count).
 */
async function failureOf(input: DrainLocalQueueInput, message: ReceivedMessage, error: Error): Promise<DrainFailure> {
  const { queue, maxReceives } = input;
  const deadLettered =
    maxReceives !== undefined &&
    message.receiveCount >= maxReceives &&
    queue.deadLetter !== undefined &&
    (await moveToDeadLetter(queue.deadLetter.bind(queue), message, `not consumed after ${message.receiveCount} receive(s) (limit ${maxReceives}): ${error.message}`));
  return { messageId: message.messageId, receiveCount: message.receiveCount, events: eventsIn(message.body), error: error.message, deadLettered };
}

/**
 * The local consumer loop: receives from the queue until no message is visible, writes each
 * message with {@link writeEnvelope} (the Lambda's logic) and acknowledges it only after the
 * write, so a process killed at any point loses nothing: unacknowledged messages are
 * delivered again when their visibility timeout ends. A message no redelivery can fix (not a
 * valid envelope) goes to the DLQ at once with the reason; any other failed message is left
 * for redelivery, and after the queue's receive limit it moves to the DLQ (with `maxReceives`,
 * at the end of its last receive, its error the reason). The summary names every message left
 * unconsumed with its error.
 *
 * @example
 * const summary = await drainLocalQueue({ queue, table, ttlHours: config.realtimeTtlHours, maxReceives: config.queueMaxReceives });
 * for (const { messageId, error } of summary.unconsumed) console.error(`${messageId}: ${error}`);
 */
export async function drainLocalQueue(input: DrainLocalQueueInput): Promise<DrainSummary> {
  const startedAt = Date.now();
  const { queue, table, logger, metrics } = input;
  const limit = input.maxMessages ?? Number.POSITIVE_INFINITY;
  const summary: DrainSummary = { received: 0, written: 0, failed: 0, invalid: 0, deadLettered: 0, unconsumed: [], recovered: [], durationMs: 0 };
  // By message id: a message failing again later in the drain keeps only its last failure, and one consumed then is dropped.
  const unconsumed = new Map<string, DrainFailure>();
  const consume = async (message: ReceivedMessage): Promise<void> => {
    try {
      const result = await writeEnvelope(table, message.body, { ttlHours: input.ttlHours, onWritten: input.onWritten });
      await queue.delete(message.receiptHandle);
      summary.written += result.written;
      unconsumed.delete(message.messageId);
      if (message.receiveCount > 1) summary.recovered.push(message.messageId);
    } catch (error) {
      if (error instanceof InvalidMessageError) {
        summary.invalid += 1;
        summary.written += error.written;
        if (queue.deadLetter && (await moveToDeadLetter(queue.deadLetter.bind(queue), message, error.reason))) {
          summary.deadLettered += 1;
          logger?.warn('invalid message moved to the DLQ', { messageId: message.messageId, reason: error.reason });
          return;
        }
      }
      const failure = await failureOf(input, message, error as Error);
      unconsumed.set(message.messageId, failure);
      if (failure.deadLettered) summary.deadLettered += 1;
      else summary.failed += 1;
      logger?.warn(failure.deadLettered ? 'message not consumed by its last receive; moved to the DLQ' : 'message not consumed; it will be delivered again', {
        messageId: message.messageId,
        receiveCount: message.receiveCount,
        error: failure.error,
      });
    }
  };
  while (summary.received < limit) {
    const { messages, deadLettered } = await queue.receive({ maxMessages: Math.min(10, limit - summary.received) });
    summary.deadLettered += deadLettered;
    if (messages.length === 0) break;
    summary.received += messages.length;
    await Promise.all(messages.map(consume));
  }
  summary.unconsumed = [...unconsumed.values()];
  summary.durationMs = Date.now() - startedAt;
  metrics?.addMetric('EventsWritten', MetricUnit.Count, summary.written);
  metrics?.addMetric('InvalidMessages', MetricUnit.Count, summary.invalid);
  metrics?.addMetric('MessagesDeadLettered', MetricUnit.Count, summary.deadLettered);
  logger?.info('local queue drained', { ...summary, queue: queue.location, table: table.location });
  return summary;
}
