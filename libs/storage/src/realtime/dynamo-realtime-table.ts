import { setTimeout as delay } from 'node:timers/promises';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fullJitterDelay, REALTIME_KEYS, type RealtimeItem, realtimeItemSchema } from '@twitch-pipeline/schemas';
import {
  checkQueryBounds,
  latestPerKey,
  type PutItemsResult,
  type QueryByStreamerOptions,
  type RealtimeTable,
} from './realtime-table';
import { UnprocessedItemsError } from './unprocessed-items-error';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const documentClientSdk = () => import('@aws-sdk/lib-dynamodb');

/** Retry settings for unprocessed items: capped exponential backoff with full jitter. */
export interface DynamoRealtimeTableOptions {
  /** Write requests per batch at most, the first included (default 8). */
  maxAttempts?: number;
  /** First backoff ceiling in ms (default 50); doubles on every retry. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms (default 2000). */
  maxDelayMs?: number;
  /** Waits between retries; replaceable so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  /** Clock for the TTL filter of queries, epoch ms. */
  now?: () => number;
}

type WriteRequests = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string];

/**
 * The real-time table on DynamoDB. One `BatchWriteItem` per batch of up to 25 items; items
 * the table leaves unprocessed (throttling, partition limits) are sent again after a capped
 * exponential backoff with full jitter, a bounded number of times, after which
 * {@link UnprocessedItemsError} says how many are still unwritten.
 *
 * @example
 * const table = new DynamoRealtimeTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), process.env.REALTIME_TABLE!);
 * await table.putItems(items);
 * const [latest] = await table.queryByStreamer('gaules', { limit: 1 });
 */
export class DynamoRealtimeTable implements RealtimeTable {
  readonly location: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoRealtimeTableOptions = {},
  ) {
    this.location = `dynamodb:${tableName}`;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 2000;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  async putItems(items: readonly RealtimeItem[]): Promise<PutItemsResult> {
    const { BatchWriteCommand } = await documentClientSdk();
    const unique = latestPerKey(items);
    if (unique.length === 0) return { written: 0, requests: 0, retriedItems: 0 };
    let pending: WriteRequests = unique.map((item) => ({ PutRequest: { Item: item } }));
    let requests = 0;
    let retriedItems = 0;
    for (;;) {
      const response = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      requests += 1;
      pending = response.UnprocessedItems?.[this.tableName] ?? [];
      if (pending.length === 0) return { written: unique.length, requests, retriedItems };
      if (requests >= this.maxAttempts) throw new UnprocessedItemsError(pending.length, unique.length, requests);
      retriedItems += pending.length;
      await this.sleep(fullJitterDelay(requests, { baseMs: this.baseDelayMs, maxMs: this.maxDelayMs }, this.random));
    }
  }

  async queryByStreamer(nomeStreamer: string, options: QueryByStreamerOptions = {}): Promise<RealtimeItem[]> {
    checkQueryBounds(options);
    const { QueryCommand } = await documentClientSdk();
    const limit = options.limit ?? 10;
    const bound = options.before !== undefined ? { operator: '<', value: options.before } : options.after !== undefined ? { operator: '>', value: options.after } : undefined;
    const found: RealtimeItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: bound ? `#pk = :pk AND #sk ${bound.operator} :bound` : '#pk = :pk',
          FilterExpression: '#ttl > :now',
          ExpressionAttributeNames: {
            '#pk': REALTIME_KEYS.partitionKey,
            '#ttl': REALTIME_KEYS.ttlAttribute,
            ...(bound ? { '#sk': REALTIME_KEYS.sortKey } : {}),
          },
          ExpressionAttributeValues: {
            ':pk': nomeStreamer,
            ':now': Math.floor((options.asOf ? Date.parse(options.asOf) : this.now()) / 1000),
            ...(bound ? { ':bound': bound.value } : {}),
          },
          ScanIndexForward: options.after !== undefined,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of response.Items ?? []) found.push(realtimeItemSchema.parse(item));
      startKey = response.LastEvaluatedKey;
    } while (startKey && found.length < limit);
    return found.slice(0, limit);
  }
}

/**
 * The `CreateTable` input of the real-time table (on-demand capacity), for tests, emulators
 * and tooling; the AWS stack declares the same keys.
 *
 * @example
 * await client.send(new CreateTableCommand(realtimeTableDefinition('realtime-events')));
 */
export function realtimeTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: REALTIME_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: REALTIME_KEYS.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: REALTIME_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: REALTIME_KEYS.sortKey, KeyType: 'RANGE' },
    ],
  };
}
