import { type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import type { EventQueue, ReceivedMessage, RealtimeTable } from '@twitch-pipeline/storage';
import { InvalidMessageError } from './invalid-message-error';
import { type OnWritten, writeEnvelope } from './write-envelope';

/** Inputs of {@link drainLocalQueue}. */
export interface DrainLocalQueueInput {
  queue: EventQueue;
  table: RealtimeTable;
  ttlHours: number;
  onWritten?: OnWritten;
  /** Stop after receiving this many messages (default: until no message is visible). */
  maxMessages?: number;
  logger?: Logger;
  metrics?: Metrics;
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
  /** Messages moved to the DLQ during this drain: unreadable ones, and those over their receive limit. */
  deadLettered: number;
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

/**
 * The local consumer loop: receives from the queue until no message is visible, writes each
 * message with {@link writeEnvelope} (the Lambda's logic) and acknowledges it only after the
 * write, so a process killed at any point loses nothing: unacknowledged messages are
 * delivered again when their visibility timeout ends. A message no redelivery can fix (not a
 * valid envelope) goes to the DLQ at once with the reason; any other failed message is left
 * for redelivery, and after the queue's receive limit it moves to the DLQ.
 *
 * @example
 * const summary = await drainLocalQueue({ queue, table, ttlHours: config.realtimeTtlHours });
 */
export async function drainLocalQueue(input: DrainLocalQueueInput): Promise<DrainSummary> {
  const startedAt = Date.now();
  const { queue, table, logger, metrics } = input;
  const limit = input.maxMessages ?? Number.POSITIVE_INFINITY;
  const summary: DrainSummary = { received: 0, written: 0, failed: 0, invalid: 0, deadLettered: 0, durationMs: 0 };
  const consume = async (message: ReceivedMessage): Promise<void> => {
    try {
      const result = await writeEnvelope(table, message.body, { ttlHours: input.ttlHours, onWritten: input.onWritten });
      await queue.delete(message.receiptHandle);
      summary.written += result.written;
    } catch (error) {
      if (error instanceof InvalidMessageError) {
        summary.invalid += 1;
        if (queue.deadLetter && (await moveToDeadLetter(queue.deadLetter.bind(queue), message, error.reason))) {
          summary.deadLettered += 1;
          logger?.warn('invalid message moved to the DLQ', { messageId: message.messageId, reason: error.reason });
          return;
        }
      }
      summary.failed += 1;
      logger?.warn('message not consumed; it will be delivered again', {
        messageId: message.messageId,
        receiveCount: message.receiveCount,
        error: (error as Error).message,
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
  summary.durationMs = Date.now() - startedAt;
  metrics?.addMetric('EventsWritten', MetricUnit.Count, summary.written);
  metrics?.addMetric('InvalidMessages', MetricUnit.Count, summary.invalid);
  metrics?.addMetric('MessagesDeadLettered', MetricUnit.Count, summary.deadLettered);
  logger?.info('local queue drained', { ...summary, queue: queue.location, table: table.location });
  return summary;
}
