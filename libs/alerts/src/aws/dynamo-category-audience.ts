import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REALTIME_KEYS } from '@twitch-pipeline/schemas';
import { canonicalTimestamp, categoryKey } from '../alert-keys';
import type { CategoryAudiencePartial, CategoryAudienceStore } from '../ports';
import { RESERVED_PREFIXES } from './reserved-keys';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const documentClientSdk = () => import('@aws-sdk/lib-dynamodb');

export interface DynamoCategoryAudienceOptions {
  client: DynamoDBDocumentClient;
  /** The real-time table (REALTIME_TABLE). */
  tableName: string;
  /** TTL of a part, like the real-time items (REALTIME_TTL_HOURS). */
  ttlHours?: number;
}

const { partitionKey, sortKey, ttlAttribute } = REALTIME_KEYS;

/**
 * Category audience parts in the real-time table: partition key `#audience#<category>`, sort key
 * `<collection time>#<part key>`, attribute `espectadores`. A total is one Query on the
 * collection-time prefix. The evaluated collection times are items of partition key
 * `#evaluated#`, sort key the collection time, with the watched categories as a string set
 * (an `UpdateItem` with `ADD`, so marking again only adds); the previous snapshot is the newest
 * of them before a time. An instance marks each time and categories once.
 *
 * @example
 * const audience = new DynamoCategoryAudience({ client, tableName: config.aws.realtimeTable });
 * await audience.totalAt('Just Chatting', '2026-11-29T21:30:00Z');
 */
export class DynamoCategoryAudience implements CategoryAudienceStore {
  /** Collection time and category keys this instance marked already: every message of a snapshot asks again. */
  private readonly marked = new Set<string>();

  constructor(private readonly options: DynamoCategoryAudienceOptions) {}

  async recordPartial(partial: CategoryAudiencePartial): Promise<void> {
    const { PutCommand } = await documentClientSdk();
    const timestamp = canonicalTimestamp(partial.timestamp);
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.tableName,
        Item: {
          [partitionKey]: this.partitionOf(partial.category),
          [sortKey]: `${timestamp}#${partial.partialKey}`,
          espectadores: partial.espectadores,
          [ttlAttribute]: this.expiryOf(timestamp),
        },
      }),
    );
  }

  async recordEvaluated(timestamp: string, categories: readonly string[]): Promise<void> {
    const canonical = canonicalTimestamp(timestamp);
    const watched = [...new Set(categories.map(categoryKey))].sort();
    const mark = `${canonical}|${watched.join('\n')}`;
    if (this.marked.has(mark)) return;
    const { UpdateCommand } = await documentClientSdk();
    // A snapshot seen while no category is watched is marked too, without categories (DynamoDB
    // refuses an empty set): the newest mark before a later snapshot is then this one, no baseline.
    await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: { [partitionKey]: RESERVED_PREFIXES.evaluated, [sortKey]: canonical },
        UpdateExpression: watched.length > 0 ? 'ADD categorias :watched SET #ttl = :ttl' : 'SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': ttlAttribute },
        ExpressionAttributeValues: { ...(watched.length > 0 ? { ':watched': new Set(watched) } : {}), ':ttl': this.expiryOf(canonical) },
      }),
    );
    this.marked.add(mark);
  }

  async totalAt(category: string, timestamp: string): Promise<number> {
    const { QueryCommand } = await documentClientSdk();
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
          ExpressionAttributeValues: { ':pk': this.partitionOf(category), ':prefix': `${canonicalTimestamp(timestamp)}#` },
          ProjectionExpression: 'espectadores',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) total += Number(item.espectadores ?? 0);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return total;
  }

  async previousTotal(category: string, beforeTimestamp: string): Promise<{ timestamp: string; total: number } | undefined> {
    const { QueryCommand } = await documentClientSdk();
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':pk': RESERVED_PREFIXES.evaluated, ':before': canonicalTimestamp(beforeTimestamp) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const newest = page.Items?.[0];
    const timestamp = newest?.[sortKey];
    const watched = newest?.categorias;
    if (typeof timestamp !== 'string' || !(watched instanceof Set) || !watched.has(categoryKey(category))) return undefined;
    return { timestamp, total: await this.totalAt(category, timestamp) };
  }

  /** Epoch seconds at which DynamoDB's TTL may delete an item of this collection time. */
  private expiryOf(timestamp: string): number {
    return Math.floor(Date.parse(timestamp) / 1000) + (this.options.ttlHours ?? 48) * 3600;
  }

  private partitionOf(category: string): string {
    return `${RESERVED_PREFIXES.audience}${categoryKey(category)}`;
  }
}
