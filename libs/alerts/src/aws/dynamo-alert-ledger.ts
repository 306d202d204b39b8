import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AlertRecord, alertRecordSchema, REALTIME_KEYS } from '@twitch-pipeline/schemas';
import type { AlertLedger } from '../ports';
import { RESERVED_PREFIXES } from './reserved-keys';

export interface DynamoAlertLedgerOptions {
  client: DynamoDBDocumentClient;
  /** The real-time table (REALTIME_TABLE); alerts live under a reserved partition-key prefix. */
  tableName: string;
  /** How long a key is kept (TTL); longer than any redelivery (SQS keeps messages 14 days at most). */
  retentionDays?: number;
}

const { partitionKey, sortKey, ttlAttribute } = REALTIME_KEYS;

/**
 * The alert ledger in DynamoDB, inside the real-time table rather than a table of its own (no
 * extra resource, same TTL): one item per alert, partition key `#alert#<rule>`, sort key the
 * alert's dedup key, the record in attribute `alerta`. Acceptance is a conditional PutItem
 * (`attribute_not_exists`), atomic across concurrent consumers.
 *
 * @example
 * const ledger = new DynamoAlertLedger({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName });
 * if (await ledger.recordIfAbsent(alert)) await publisher.publish(alert);
 */
export class DynamoAlertLedger implements AlertLedger {
  private readonly retentionSeconds: number;

  constructor(private readonly options: DynamoAlertLedgerOptions) {
    this.retentionSeconds = (options.retentionDays ?? 14) * 86_400;
  }

  async recordIfAbsent(alert: AlertRecord): Promise<boolean> {
    const record = alertRecordSchema.parse(alert);
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            [partitionKey]: `${RESERVED_PREFIXES.alert}${record.rule}`,
            [sortKey]: record.key,
            alerta: record,
            [ttlAttribute]: Math.floor(Date.parse(record.timestamp) / 1000) + this.retentionSeconds,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
        return false;
      }
      throw error;
    }
  }

  async release(key: string): Promise<void> {
    const rule = key.split('|')[1];
    if (!rule) throw new Error(`not an alert key: "${key}"`);
    await this.options.client.send(
      new DeleteCommand({
        TableName: this.options.tableName,
        Key: { [partitionKey]: `${RESERVED_PREFIXES.alert}${rule}`, [sortKey]: key },
      }),
    );
  }
}
