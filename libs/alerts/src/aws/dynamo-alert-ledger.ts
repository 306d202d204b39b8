import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AlertRecord, alertRecordSchema, REALTIME_KEYS } from '@twitch-pipeline/schemas';
import { LEDGER_STATE } from '../ledger-state';
import type { AlertClaim, AlertLedger } from '../ports';
import { RESERVED_PREFIXES } from './reserved-keys';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const documentClientSdk = () => import('@aws-sdk/lib-dynamodb');

export interface DynamoAlertLedgerOptions {
  client: DynamoDBDocumentClient;
  /** The real-time table (REALTIME_TABLE); alerts live under a reserved partition-key prefix. */
  tableName: string;
  /** How long a key is kept (TTL); longer than any redelivery (SQS keeps messages 14 days at most). */
  retentionDays?: number;
}

const { partitionKey, sortKey, ttlAttribute } = REALTIME_KEYS;
const { attribute: STATE, pending: PENDING, delivered: DELIVERED } = LEDGER_STATE;

function isConditionFailure(error: unknown): boolean {
  // By name: the SDK's error class would load the SDK for local commands that never call AWS.
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

/** The partition and sort key of an alert's ledger item (the rule is the key's second part). */
function ledgerKey(key: string): Record<string, string> {
  const rule = key.split('|')[1];
  if (!rule) throw new Error(`not an alert key: "${key}"`);
  return { [partitionKey]: `${RESERVED_PREFIXES.alert}${rule}`, [sortKey]: key };
}

/**
 * The alert ledger in DynamoDB, inside the real-time table rather than a table of its own (no
 * extra resource, same TTL): one item per alert, partition key `#alert#<rule>`, sort key the
 * alert's dedup key, the record in attribute `alerta`, the state in `estado` (`pendente` with a
 * lease end `reservado_ate` in epoch ms, then `entregue`). A claim is a conditional PutItem
 * (the key is absent, or pending with its lease over), atomic across concurrent consumers; an
 * item without `estado` (written before claims existed) counts as delivered.
 *
 * @example
 * const ledger = new DynamoAlertLedger({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName });
 * if ((await ledger.claim(alert, 30_000)) === 'claimed') {
 *   await publisher.publish(alert);
 *   await ledger.markDelivered(alert);
 * }
 */
export class DynamoAlertLedger implements AlertLedger {
  private readonly retentionSeconds: number;

  constructor(
    private readonly options: DynamoAlertLedgerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.retentionSeconds = (options.retentionDays ?? 14) * 86_400;
  }

  async claim(alert: AlertRecord, leaseMs: number): Promise<AlertClaim> {
    const { GetCommand, PutCommand } = await documentClientSdk();
    const record = alertRecordSchema.parse(alert);
    const now = this.now();
    // Names this claim: the SDK retries a put whose answer was lost (a 500 after the write), and
    // the retry's failed condition then meets this claim, not another consumer's.
    const claimId = randomUUID();
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            ...ledgerKey(record.key),
            alerta: record,
            [STATE]: PENDING,
            reservado_ate: now + leaseMs,
            reivindicacao: claimId,
            [ttlAttribute]: Math.floor(Date.parse(record.timestamp) / 1000) + this.retentionSeconds,
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR (#estado = :pendente AND #ate < :agora)',
          ExpressionAttributeNames: { '#pk': partitionKey, '#estado': STATE, '#ate': 'reservado_ate' },
          ExpressionAttributeValues: { ':pendente': PENDING, ':agora': now },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: ledgerKey(record.key), ConsistentRead: true }),
    );
    // Gone between the two calls (released after a failed publish): let the retry claim it.
    if (!current.Item) return 'claimed-elsewhere';
    if (current.Item[STATE] !== PENDING) return 'delivered';
    return current.Item.reivindicacao === claimId ? 'claimed' : 'claimed-elsewhere';
  }

  async markDelivered(alert: AlertRecord): Promise<void> {
    const { UpdateCommand } = await documentClientSdk();
    await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: ledgerKey(alert.key),
        UpdateExpression: 'SET #estado = :entregue REMOVE #ate',
        ExpressionAttributeNames: { '#estado': STATE, '#ate': 'reservado_ate' },
        ExpressionAttributeValues: { ':entregue': DELIVERED },
      }),
    );
  }

  async release(key: string): Promise<void> {
    const { DeleteCommand } = await documentClientSdk();
    try {
      await this.options.client.send(
        new DeleteCommand({
          TableName: this.options.tableName,
          Key: ledgerKey(key),
          ConditionExpression: '#estado = :pendente',
          ExpressionAttributeNames: { '#estado': STATE },
          ExpressionAttributeValues: { ':pendente': PENDING },
        }),
      );
    } catch (error) {
      // Already delivered or gone: nothing to give back.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
