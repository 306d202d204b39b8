export {
  type BronzeEvents,
  type BronzeEventSource,
  DUPLICATE_CHANNEL,
  DEFAULT_MAX_SKEW_MINUTES,
  type EventMappingOptions,
  eventsFromBronzeRows,
  readBronzeEvents,
} from './bronze-events';
export { type DrainLocalQueueInput, type DrainSummary, drainLocalQueue } from './drain-local-queue';
export { type EnvelopeLimits, type PackedMessage, packEnvelopes, sendBatchesOf, singleEventBytes } from './envelopes';
export { InvalidMessageError } from './invalid-message-error';
export { PublishError } from './publish-error';
export { type PublishSnapshotInput, type PublishSummary, publishSnapshot } from './publish-snapshot';
export {
  type OnWritten,
  parseEnvelope,
  type WriteEnvelopeOptions,
  type WriteEnvelopeResult,
  writeEnvelope,
} from './write-envelope';
