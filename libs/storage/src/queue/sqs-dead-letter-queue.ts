import type { SQSClient } from '@aws-sdk/client-sqs';
import { type DeadLetter, type DeadLetterQueue, MAX_RECEIVE_MESSAGES, type RedriveResult } from './event-queue';
import { toReceivedMessages } from './sqs-event-queue';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const sqsSdk = () => import('@aws-sdk/client-sqs');

/** How long a redrive holds a dead letter while it copies it to the source queue. */
const REDRIVE_VISIBILITY_SECONDS = 30;

/**
 * Tooling over an SQS dead-letter queue. `peek` receives and at once releases the messages
 * (SQS has no read without receive, so peeking raises their receive counts in the DLQ, which
 * has no redrive policy of its own). `redrive` copies each message to the source queue and
 * deletes it from the DLQ only once the send succeeded: a failure half-way may duplicate a
 * message, never lose one, and the consumer's writes are idempotent.
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
    private readonly sourceQueueUrl: string,
  ) {
    this.location = deadLetterQueueUrl;
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
    const { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand } = await sqsSdk();
    const messages = toReceivedMessages(
      (
        await this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.deadLetterQueueUrl,
            MaxNumberOfMessages: Math.min(Math.max(limit, 1), MAX_RECEIVE_MESSAGES),
            VisibilityTimeout: REDRIVE_VISIBILITY_SECONDS,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          }),
        )
      ).Messages,
    );
    if (messages.length > 0) {
      await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.deadLetterQueueUrl,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    return messages.map(({ messageId, body, receiveCount, sentAt }) => ({ messageId, body, receiveCount, sentAt }));
  }

  async redrive(limit = Number.POSITIVE_INFINITY): Promise<RedriveResult> {
    const { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } = await sqsSdk();
    let moved = 0;
    while (moved < limit) {
      const response = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.deadLetterQueueUrl,
          MaxNumberOfMessages: Math.min(MAX_RECEIVE_MESSAGES, limit - moved),
          VisibilityTimeout: REDRIVE_VISIBILITY_SECONDS,
        }),
      );
      const messages = toReceivedMessages(response.Messages);
      if (messages.length === 0) break;
      const sent = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.sourceQueueUrl,
          Entries: messages.map((message, index) => ({ Id: String(index), MessageBody: message.body })),
        }),
      );
      const delivered = new Set((sent.Successful ?? []).map((entry) => entry.Id));
      const toDelete = messages
        .map((message, index) => ({ Id: String(index), ReceiptHandle: message.receiptHandle }))
        .filter((entry) => delivered.has(entry.Id));
      if (toDelete.length > 0) {
        await this.client.send(new DeleteMessageBatchCommand({ QueueUrl: this.deadLetterQueueUrl, Entries: toDelete }));
      }
      moved += toDelete.length;
      // Entries the source queue refused stay in the DLQ; stop rather than spin on them.
      if (toDelete.length < messages.length) break;
    }
    return { moved };
  }
}
