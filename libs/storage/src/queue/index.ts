export {
  assertSendBatch,
  type DeadLetter,
  type DeadLetterQueue,
  type EventQueue,
  type FailedEntry,
  MAX_RECEIVE_MESSAGES,
  type OutgoingMessage,
  type QueueCounts,
  type ReceivedMessage,
  type ReceiveOptions,
  type ReceiveResult,
  type RedriveResult,
  type SendBatchResult,
} from './event-queue';
export { LocalDeadLetterQueue } from './local-dead-letter-queue';
export { LocalEventQueue, type LocalEventQueueOptions } from './local-event-queue';
export { RedriveError } from './redrive-error';
export { SqsDeadLetterQueue } from './sqs-dead-letter-queue';
export { SqsEventQueue, toReceivedMessages } from './sqs-event-queue';
