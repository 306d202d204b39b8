import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertLedger, DynamoCategoryAudience, evaluateAlerts, SnsAlertPublisher } from '../src/index';
import { type DynaliteTable, startDynaliteTable } from './support/dynalite';
import { RealtimeHistory } from './support/realtime-history';
import { evaluationCases, recordMusicPart } from './support/evaluation-cases';
import { duplicatedAndShuffled, EXPECTED_KEYS, scenarioMessages, scenarioRules } from './support/scenario';

const alert: AlertRecord = {
  rule: 'live',
  type: 'channel_live',
  key: 'channel_live|live|s1',
  nome_streamer: 'gaules',
  id_stream: 's1',
  espectadores: 500,
  timestamp: '2026-11-29T21:30:00.000Z',
  message: 'gaules is live',
};

describe('DynamoAlertLedger and DynamoCategoryAudience (dynalite)', () => {
  let table: DynaliteTable;

  beforeAll(async () => {
    table = await startDynaliteTable();
  });

  afterAll(async () => {
    await table.close();
  });

  it('lets one of concurrent writers claim a key, under the reserved prefix, with a TTL, until delivered', async () => {
    // prepare
    const ledger = new DynamoAlertLedger({ client: table.client, tableName: table.tableName, retentionDays: 14 });

    // act
    const claims = await Promise.all(Array.from({ length: 8 }, () => ledger.claim(alert, 30_000)));
    await ledger.markDelivered(alert);
    const stored = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: { nome_streamer: '#alert#live', timestamp: alert.key } }),
    );
    const afterDelivery = await ledger.claim(alert, 30_000);

    // assess
    expect(claims.filter((claim) => claim === 'claimed')).toHaveLength(1);
    expect(claims.filter((claim) => claim === 'claimed-elsewhere')).toHaveLength(7);
    expect(stored.Item?.alerta).toEqual(alert);
    expect(stored.Item?.estado).toBe('entregue');
    expect(stored.Item?.expira_em).toBe(Date.parse(alert.timestamp) / 1000 + 14 * 86_400);
    expect(afterDelivery).toBe('delivered');
  });

  it('claims a released key again, and a crashed claim once its lease is over', async () => {
    // prepare
    let now = 1_000_000;
    const ledger = new DynamoAlertLedger({ client: table.client, tableName: table.tableName }, () => now);
    const released = { ...alert, key: 'channel_live|live|s9', id_stream: 's9' };
    const crashed = { ...alert, key: 'channel_live|live|s10', id_stream: 's10' };
    await ledger.claim(released, 30_000);
    await ledger.claim(crashed, 30_000);

    // act
    await ledger.release(released.key);
    const again = await ledger.claim(released, 30_000);
    const twice = await ledger.claim(released, 30_000);
    const withinLease = await ledger.claim(crashed, 30_000);
    now += 30_001;
    const afterLease = await ledger.claim(crashed, 30_000);

    // assess
    expect([again, twice]).toEqual(['claimed', 'claimed-elsewhere']);
    expect([withinLease, afterLease]).toEqual(['claimed-elsewhere', 'claimed']);
  });

  it('takes its own claim for claimed when the SDK retried a put whose answer was lost after the write', async () => {
    // prepare: the first PutItem is written by dynalite, then its answer is replaced by a 500,
    // which the SDK retries; the retry's condition fails against the first attempt's claim
    const ledger = new DynamoAlertLedger({ client: table.client, tableName: table.tableName });
    const lost = { ...alert, key: 'channel_live|live|lost-answer' };
    let answersLost = 0;
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'PutItemCommand' && answersLost === 0) {
          answersLost += 1;
          throw Object.assign(new Error('We encountered an internal error.'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
        }
        return result;
      },
      { step: 'deserialize', name: 'loseFirstPutAnswer', override: true },
    );

    // act
    const claim = await ledger.claim(lost, 30_000).finally(() => table.client.middlewareStack.remove('loseFirstPutAnswer'));

    // assess
    expect(answersLost).toBe(1);
    expect(claim).toBe('claimed');
  });

  it('sums category parts idempotently and finds the previous snapshot', async () => {
    // prepare
    const audience = new DynamoCategoryAudience({ client: table.client, tableName: table.tableName });
    const at = (timestamp: string, partialKey: string, espectadores: number) =>
      audience.recordPartial({ category: 'Music', timestamp, partialKey, espectadores });

    // act
    for (const time of ['2026-11-29T21:00:00Z', '2026-11-29T21:30:00Z']) await audience.recordEvaluated(time, ['Music']);
    await at('2026-11-29T21:00:00Z', 'a1', 120);
    await at('2026-11-29T21:30:00Z', 'a1', 200);
    await at('2026-11-29T21:30:00Z', 'b2', 80);
    await at('2026-11-29T21:30:00Z', 'b2', 80);
    const total = await audience.totalAt('music', '2026-11-29T21:30:00.000Z');
    const previous = await audience.previousTotal('Music', '2026-11-29T21:30:00Z');
    const none = await audience.previousTotal('Music', '2026-11-29T21:00:00Z');

    // assess
    expect(total).toBe(280);
    expect(previous).toEqual({ timestamp: '2026-11-29T21:00:00.000Z', total: 120 });
    expect(none).toBeUndefined();
  });

  it.each(evaluationCases)('$name', async ({ marks, category, before, expected }) => {
    // prepare: a table of its own, since the evaluated times of the other tests share one partition
    const own = await startDynaliteTable();
    try {
      const audience = new DynamoCategoryAudience({ client: own.client, tableName: own.tableName });
      await recordMusicPart(audience);
      for (const [timestamp, categories] of marks) await audience.recordEvaluated(timestamp, categories);

      // act
      const previous = await audience.previousTotal(category, before);
      const other = await new DynamoCategoryAudience({ client: own.client, tableName: own.tableName }).previousTotal(category, before);

      // assess
      expect(previous).toEqual(expected);
      expect(other).toEqual(expected);
    } finally {
      await own.close();
    }
  });

  it('publishes each alert to SNS exactly once under duplicated, shuffled delivery', async () => {
    // prepare: no SNS emulator runs here, so SNS is aws-sdk-client-mock; DynamoDB is dynalite.
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const tableName = 'alerts-e2e';
    const dedicated = await startDynaliteTable(tableName);
    const history = new RealtimeHistory();
    const options = {
      rules: scenarioRules,
      previousSample: history.previousSample,
      nextSample: history.nextSample,
      categoryAudience: new DynamoCategoryAudience({ client: dedicated.client, tableName }),
      ledger: new DynamoAlertLedger({ client: dedicated.client, tableName }),
      publishers: [new SnsAlertPublisher({ client: new SNSClient({}), topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' })],
    };

    // act
    let messages: string[] = [];
    try {
      for (const events of duplicatedAndShuffled(scenarioMessages(), 11)) {
        history.write(events);
        await evaluateAlerts({ ...options, events });
      }
      messages = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.Message ?? '');
    } finally {
      await dedicated.close();
      sns.restore();
    }

    // assess
    const published = messages.map((message) => JSON.parse(message.split('\n\n')[1]!) as AlertRecord);
    expect(published.map((record) => record.key).sort()).toEqual(EXPECTED_KEYS);
  });
});
