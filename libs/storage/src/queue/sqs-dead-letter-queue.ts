import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  type DeadLetter,
  type DeadLetterQueue,
  type FailedEntry,
  MAX_RECEIVE_MESSAGES,
  type ReceivedMessage,
  type RedriveResult,
} from './event-queue';
import { RedriveError } from './redrive-error';
import { toReceivedMessages } from './sqs-event-queue';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const sqsSdk = () => import('@aws-sdk/client-sqs');

/** How long a redrive holds a dead letter while it copies it to the source queue (and a peek while it gathers). */
const REDRIVE_VISIBILITY_SECONDS = 30;

/**
 * Any wait above 0 is long polling, which asks every SQS server: an empty answer then means an
 * empty DLQ. Short polling (the DLQ's default) asks a sample of them and may answer empty while
 * messages remain, which would end a redrive early or show a peek nothing. A wait is spent only on
 * the last, empty receive.
 */
const REDRIVE_WAIT_SECONDS = 1;

/** The message attribute that carries why a message was dead-lettered, as `dlq peek` shows it. */
const REASON_ATTRIBUTE = 'reason';
/** A reason is cut to this many characters, so that it never makes a message too large for the DLQ. */
const MAX_REASON_CHARACTERS = 1000;

/** A received dead letter and its entry id in the batch calls about it. */
interface BatchEntry {
  id: string;
  message: ReceivedMessage & { reason?: string };
}

/**
 * Tooling over an SQS dead-letter queue. `peek` receives and at once releases the messages
 * (SQS has no read without receive, so peeking raises their receive counts in the DLQ, which
 * has no redrive policy of its own). `redrive` copies each message to the source queue and
 * deletes it from the DLQ only once the send succeeded: a failure half-way may duplicate a
 * message, never lose one, and the consumer's writes are idempotent. A message sent but not
 * deleted stops the redrive with a {@link RedriveError} naming it, and is not counted as moved.
 *
 * @example
 * const dlq = new SqsDeadLetterQueue(new SQSClient({}), process.env.EVENTS_DLQ_URL!, process.env.EVENTS_QUEUE_URL!);
 * console.log(await dlq.count());
 * await dlq.redrive();
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  readonly location: string;

  constructor(
    private readonly client: SQSClient,
    private readonly deadLetterQueueUrl: string,
    /** The queue a redrive sends messages back to; a consumer that only adds dead letters has none. */
    private readonly sourceQueueUrl?: string,
  ) {
    this.location = deadLetterQueueUrl;
  }

  /**
   * Sends a message to the DLQ at once with the reason, as a message attribute: for a message
   * no redelivery can fix, which SQS would otherwise move only after its receive limit, without
   * saying why. The caller then deletes it from its queue (a consumer reports it handled).
   *
   * @example
   * await dlq.add({ messageId: record.messageId, body: record.body }, 'body is not JSON');
   */
  async add(message: { messageId: string; body: string }, reason: string): Promise<void> {
    const { SendMessageCommand } = await sqsSdk();
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MessageBody: message.body,
        MessageAttributes: {
          [REASON_ATTRIBUTE]: { DataType: 'String', StringValue: reason.slice(0, MAX_REASON_CHARACTERS) },
          source_message_id: { DataType: 'String', StringValue: message.messageId },
        },
      }),
    );
  }

  async count(): Promise<number> {
    const { GetQueueAttributesCommand } = await sqsSdk();
    const response = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.deadLetterQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(response.Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  async peek(limit = 10): Promise<DeadLetter[]> {
    // Each receive hides what it got, so the next one gets other messages; all are released at the end.
    const received: BatchEntry[] = [];
    const again: BatchEntry[] = [];
    try {
      while (received.length < limit) {
        const batch = await this.receiveDeadLetters(Math.min(MAX_RECEIVE_MESSAGES, limit - received.length), ['ApproximateReceiveCount', 'SentTimestamp']);
        if (batch.length === 0) break;
        // A message seen again (its hold ran out while gathering) is released, not shown twice.
        const seen = new Set(received.map((entry) => entry.message.messageId));
        const fresh = batch.filter((entry) => !seen.has(entry.message.messageId));
        received.push(...fresh.map((entry, index) => ({ ...entry, id: String(received.length + index) })));
        again.push(...batch.filter((entry) => seen.has(entry.message.messageId)).map((entry, index) => ({ ...entry, id: `again-${again.length + index}` })));
        if (fresh.length === 0) break;
      }
    } finally {
      await this.release([...received, ...again]);
    }
    return received.map(({ message: { messageId, body, receiveCount, sentAt, reason } }) => ({ messageId, body, receiveCount, sentAt, ...(reason ? { reason } : {}) }));
  }

  /** Makes received dead letters visible again at once, ten to a batch call. */
  private async release(entries: readonly BatchEntry[]): Promise<void> {
    const { ChangeMessageVisibilityBatchCommand } = await sqsSdk();
    for (let start = 0; start < entries.length; start += MAX_RECEIVE_MESSAGES) {
      await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.deadLetterQueueUrl,
          Entries: entries.slice(start, start + MAX_RECEIVE_MESSAGES).map(({ id, message }) => ({ Id: id, ReceiptHandle: message.receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }

  async redrive(limit = Number.POSITIVE_INFINITY): Promise<RedriveResult> {
    if (!this.sourceQueueUrl) throw new Error(`no source queue to redrive ${this.deadLetterQueueUrl} to`);
    let moved = 0;
    while (moved < limit) {
      const received = await this.receiveDeadLetters(Math.min(MAX_RECEIVE_MESSAGES, limit - moved));
      if (received.length === 0) break;
      const { deleted, failed } = await this.deleteDeadLetters(await this.sendToSource(received));
      moved += deleted;
      if (failed.length > 0) throw new RedriveError(moved, failed);
      // Entries the source queue refused stay in the DLQ; stop rather than spin on them.
      if (deleted < received.length) break;
    }
    return { moved };
  }

  private async receiveDeadLetters(maxMessages: number, attributes?: ('ApproximateReceiveCount' | 'SentTimestamp')[]): Promise<BatchEntry[]> {
    const { ReceiveMessageCommand } = await sqsSdk();
    const response = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.deadLetterQueueUrl,
        MaxNumberOfMessages: maxMessages,
        VisibilityTimeout: REDRIVE_VISIBILITY_SECONDS,
        WaitTimeSeconds: REDRIVE_WAIT_SECONDS,
        ...(attributes ? { MessageSystemAttributeNames: attributes, MessageAttributeNames: [REASON_ATTRIBUTE] } : {}),
      }),
    );
    return toReceivedMessages(response.Messages).map((message, index) => {
      const reason = response.Messages?.[index]?.MessageAttributes?.[REASON_ATTRIBUTE]?.StringValue;
      return { id: String(index), message: { ...message, ...(reason ? { reason } : {}) } };
    });
  }

  /** Copies the entries to the source queue; returns those it accepted. */
  private async sendToSource(entries: readonly BatchEntry[]): Promise<BatchEntry[]> {
    const { SendMessageBatchCommand } = await sqsSdk();
    const sent = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.sourceQueueUrl,
        Entries: entries.map(({ id, message }) => ({ Id: id, MessageBody: message.body })),
      }),
    );
    const accepted = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    return entries.filter((entry) => accepted.has(entry.id));
  }

  /** Deletes the entries from the DLQ; those SQS did not confirm deleted are failed, named by message id. */
  private async deleteDeadLetters(entries: readonly BatchEntry[]): Promise<{ deleted: number; failed: FailedEntry[] }> {
    if (entries.length === 0) return { deleted: 0, failed: [] };
    const { DeleteMessageBatchCommand } = await sqsSdk();
    const response = await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.deadLetterQueueUrl,
        Entries: entries.map(({ id, message }) => ({ Id: id, ReceiptHandle: message.receiptHandle })),
      }),
    );
    const deleted = new Set((response.Successful ?? []).map((entry) => entry.Id));
    const refusals = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
    const failed = entries
      .filter(({ id }) => !deleted.has(id))
      .map(({ id, message }) => {
        const refusal = refusals.get(id);
        return { id: message.messageId, code: refusal?.Code ?? 'Unknown', message: refusal?.Message, senderFault: refusal?.SenderFault ?? false };
      });
    return { deleted: entries.length - failed.length, failed };
  }
}
