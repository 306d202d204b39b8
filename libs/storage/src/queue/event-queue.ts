/** Entries of one `SendMessageBatch` call (SQS's limit). */
const MAX_SEND_BATCH_ENTRIES = 10;
/** Messages one receive call returns at most (SQS's limit). */
export const MAX_RECEIVE_MESSAGES = 10;

/** A message to send. `id` is unique within its batch and names the entry in failures. */
export interface OutgoingMessage {
  id: string;
  body: string;
  /** FIFO queues only: the ordering group. Ignored by standard queues. */
  groupId?: string;
  /** FIFO queues only: the deduplication id. Ignored by standard queues. */
  deduplicationId?: string;
}

/** One entry of a batch that the queue did not accept. */
export interface FailedEntry {
  id: string;
  code: string;
  message?: string;
  /** True when the request itself is wrong (retrying cannot help). */
  senderFault: boolean;
}

/** Outcome of one send batch: the ids accepted and the entries that failed. */
export interface SendBatchResult {
  sent: string[];
  failed: FailedEntry[];
}

/** A message handed to a consumer; invisible to others until deleted or its visibility ends. */
export interface ReceivedMessage {
  messageId: string;
  /** Handle for delete/changeVisibility of this delivery. */
  receiptHandle: string;
  body: string;
  /** How many times the message has been received, this delivery included. */
  receiveCount: number;
  sentAt: Date;
}

/** Options of one receive call. */
export interface ReceiveOptions {
  /** 1 to 10 (default 10). */
  maxMessages?: number;
  /** Overrides the queue's visibility timeout for this delivery. */
  visibilityTimeoutSeconds?: number;
  /** Long polling: how long to wait for a message when none is visible (default 0). */
  waitTimeSeconds?: number;
}

/** What a receive call returned, and how many messages it moved to the DLQ instead. */
export interface ReceiveResult {
  messages: ReceivedMessage[];
  /** Messages found over their receive limit and moved to the DLQ (always 0 in SQS, which moves them itself). */
  deadLettered: number;
}

/** Approximate message counts of a queue. */
export interface QueueCounts {
  /** Messages ready to be received. */
  visible: number;
  /** Messages received and neither deleted nor visible again yet. */
  inFlight: number;
}

/**
 * The event queue port: SQS in AWS, a directory of message files locally. Delivery is
 * at least once: a message received and not deleted becomes visible again after its
 * visibility timeout, and after too many receives it moves to the dead-letter queue.
 */
export interface EventQueue {
  /** Human-readable location: a queue URL or a directory. */
  readonly location: string;
  /** Sends up to {@link MAX_SEND_BATCH_ENTRIES} messages; entries may fail one by one. */
  sendBatch(messages: readonly OutgoingMessage[]): Promise<SendBatchResult>;
  /** Receives up to 10 visible messages and hides them for the visibility timeout. */
  receive(options?: ReceiveOptions): Promise<ReceiveResult>;
  /** Acknowledges a delivery; deleting an already deleted message is not an error. */
  delete(receiptHandle: string): Promise<void>;
  /** Changes how long a delivery stays hidden from now on (0 makes it visible at once). */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void>;
  /** Approximate counts, for status displays. */
  counts(): Promise<QueueCounts>;
  /**
   * Moves a received message to the dead-letter queue at once, recording why (a message no
   * redelivery can fix). Only the local queue has it: SQS offers a consumer no such call, so
   * there an unreadable message is reported failed and reaches the DLQ after its receive limit.
   */
  deadLetter?(receiptHandle: string, reason: string): Promise<void>;
}

/** A message in a dead-letter queue. */
export interface DeadLetter {
  messageId: string;
  body: string;
  /** Receives before the message was dead-lettered. */
  receiveCount: number;
  sentAt: Date;
  /** Why it was dead-lettered, when the queue recorded it. */
  reason?: string;
}

/** Outcome of a redrive. */
export interface RedriveResult {
  /** Messages moved back to the source queue. */
  moved: number;
}

/** Tooling over a dead-letter queue: count, look without consuming, and move back to the source queue. */
export interface DeadLetterQueue {
  readonly location: string;
  /** Messages waiting in the DLQ (approximate in SQS). */
  count(): Promise<number>;
  /** Up to `limit` messages (default 10), oldest first, left in the DLQ. */
  peek(limit?: number): Promise<DeadLetter[]>;
  /** Moves up to `limit` messages (default all) back to the source queue, with a fresh receive count. */
  redrive(limit?: number): Promise<RedriveResult>;
}

/**
 * Checks a batch against SQS's entry limit and id uniqueness before any adapter sends it.
 *
 * @example
 * assertSendBatch([{ id: '0', body: '{}' }]);
 */
export function assertSendBatch(messages: readonly OutgoingMessage[]): void {
  if (messages.length === 0 || messages.length > MAX_SEND_BATCH_ENTRIES) {
    throw new Error(`a send batch holds 1 to ${MAX_SEND_BATCH_ENTRIES} messages, got ${messages.length}`);
  }
  const ids = new Set(messages.map((message) => message.id));
  if (ids.size !== messages.length) throw new Error('entry ids of a send batch must be unique');
}
