import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  assertSendBatch,
  type EventQueue,
  MAX_RECEIVE_MESSAGES,
  type OutgoingMessage,
  type QueueCounts,
  type ReceivedMessage,
  type ReceiveOptions,
  type ReceiveResult,
  type SendBatchResult,
} from './event-queue';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const sqsSdk = () => import('@aws-sdk/client-sqs');

/**
 * Converts SQS message records to {@link ReceivedMessage}s.
 *
 * @example
 * const messages = toReceivedMessages(response.Messages);
 */
export function toReceivedMessages(
  records: { MessageId?: string; ReceiptHandle?: string; Body?: string; Attributes?: Record<string, string> }[] | undefined,
): ReceivedMessage[] {
  return (records ?? []).map((record) => ({
    messageId: record.MessageId ?? '',
    receiptHandle: record.ReceiptHandle ?? '',
    body: record.Body ?? '',
    receiveCount: Number(record.Attributes?.ApproximateReceiveCount ?? 1),
    sentAt: new Date(Number(record.Attributes?.SentTimestamp ?? 0)),
  }));
}

/**
 * The event queue on Amazon SQS. Standard and FIFO queues both work: group and
 * deduplication ids are sent only to FIFO queues (a `.fifo` URL), which reject messages
 * without them while standard queues reject messages with them. The DLQ and its receive
 * limit are the queue's redrive policy, set by the stack.
 *
 * @example
 * const queue = new SqsEventQueue(new SQSClient({}), process.env.EVENTS_QUEUE_URL!);
 * const result = await queue.sendBatch([{ id: '0', body: '{}' }]);
 */
export class SqsEventQueue implements EventQueue {
  readonly location: string;
  private readonly fifo: boolean;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.location = queueUrl;
    this.fifo = queueUrl.endsWith('.fifo');
  }

  async sendBatch(messages: readonly OutgoingMessage[]): Promise<SendBatchResult> {
    assertSendBatch(messages);
    const { SendMessageBatchCommand } = await sqsSdk();
    const response = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: messages.map((message) => ({
          Id: message.id,
          MessageBody: message.body,
          ...(this.fifo
            ? { MessageGroupId: message.groupId ?? message.id, MessageDeduplicationId: message.deduplicationId }
            : {}),
        })),
      }),
    );
    return {
      sent: (response.Successful ?? []).map((entry) => entry.Id ?? ''),
      failed: (response.Failed ?? []).map((entry) => ({
        id: entry.Id ?? '',
        code: entry.Code ?? 'Unknown',
        message: entry.Message,
        senderFault: entry.SenderFault ?? false,
      })),
    };
  }

  async receive(options: ReceiveOptions = {}): Promise<ReceiveResult> {
    const { ReceiveMessageCommand } = await sqsSdk();
    const response = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(Math.max(options.maxMessages ?? MAX_RECEIVE_MESSAGES, 1), MAX_RECEIVE_MESSAGES),
        WaitTimeSeconds: options.waitTimeSeconds ?? 0,
        ...(options.visibilityTimeoutSeconds === undefined ? {} : { VisibilityTimeout: options.visibilityTimeoutSeconds }),
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    return { messages: toReceivedMessages(response.Messages), deadLettered: 0 };
  }

  async delete(receiptHandle: string): Promise<void> {
    const { DeleteMessageCommand } = await sqsSdk();
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
  }

  async changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const { ChangeMessageVisibilityCommand } = await sqsSdk();
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: visibilityTimeoutSeconds,
      }),
    );
  }

  async counts(): Promise<QueueCounts> {
    const { GetQueueAttributesCommand } = await sqsSdk();
    const response = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(response.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(response.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }
}
