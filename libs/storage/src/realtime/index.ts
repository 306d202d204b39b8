export { DynamoRealtimeTable, type DynamoRealtimeTableOptions, realtimeTableDefinition } from './dynamo-realtime-table';
export { type ExpiredSegments, LocalRealtimeTable, type NewestSourceOptions, type SkippedLines } from './local-realtime-table';
export {
  latestPerKey,
  MAX_ITEMS_PER_BATCH_WRITE,
  type PutItemsResult,
  type QueryByStreamerOptions,
  type RealtimeTable,
} from './realtime-table';
export { UnprocessedItemsError } from './unprocessed-items-error';
