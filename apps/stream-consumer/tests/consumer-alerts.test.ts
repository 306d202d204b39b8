import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { packEnvelopes } from '@twitch-pipeline/pipeline';
import type { AlertRecord, RealtimeEvent } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable } from '@twitch-pipeline/storage';
import { type DynamoEmulator, startDynamoEmulator } from '@twitch-pipeline/storage/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../src/index';
import { lambdaContext, sqsEvent, sqsRecord } from './sqs-event';

// No SNS emulator runs here: SNS is aws-sdk-client-mock (every SNSClient); DynamoDB is dynalite.
const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:twitch-pipeline-alerts';
const TABLE = 'realtime-alerts';
/** After the samples below and before they expire. */
const NOW = Date.parse('2026-11-29T22:30:00Z');

function sample(nome_streamer: string, timestamp: string, espectadores: number): RealtimeEvent {
  return {
    nome_streamer,
    timestamp,
    id_stream: `${nome_streamer}-s1`,
    espectadores,
    nome_categoria: 'Counter-Strike',
    tipo_conteudo: 'Game',
    periodo_dia: 'Night',
    titulo: 'major ao vivo',
    idioma: 'pt',
    iniciado_em: '2026-11-29T21:00:00.000Z',
  };
}

function body(snapshotId: string, events: RealtimeEvent[]): string {
  return packEnvelopes(snapshotId, events)[0]!.body;
}

describe('stream consumer alerts', () => {
  let dynamo: DynamoEmulator;
  let directory: string;

  beforeAll(async () => {
    dynamo = await startDynamoEmulator();
    await dynamo.createRealtimeTable(TABLE);
    directory = await mkdtemp(join(tmpdir(), 'consumer-alerts-'));
    // The handler builds its own DynamoDB client for the alert ledger, from the environment.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  });

  afterEach(() => {
    sns.reset();
  });

  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    sns.restore();
    await dynamo.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('publishes each alert to SNS once under redelivery, and only for the watched channel', async () => {
    // prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const rulesFile = join(directory, 'rules.json');
    await writeFile(
      rulesFile,
      JSON.stringify({
        rules: [
          { name: 'watched live', type: 'channel_live', channels: ['gaules'] },
          { name: 'watched raid', type: 'viewer_jump', channels: ['gaules'], factor: 2, minIncrease: 1000 },
        ],
      }),
    );
    const handler = createConsumerHandler({
      env: { REALTIME_TABLE: TABLE, REALTIME_TTL_HOURS: '48', ALERT_RULES_FILE: rulesFile, ALERTS_TOPIC_ARN: TOPIC },
      table: new DynamoRealtimeTable(dynamo.documentClient, TABLE, { now: () => NOW }),
    });
    const first = sqsRecord(body('20261129T213000Z', [sample('gaules', '2026-11-29T21:30:00.000Z', 800), sample('outro', '2026-11-29T21:30:00.000Z', 10)]));
    const second = sqsRecord(body('20261129T220000Z', [sample('gaules', '2026-11-29T22:00:00.000Z', 5000), sample('outro', '2026-11-29T22:00:00.000Z', 9000)]));

    // act
    await handler(sqsEvent([first]), lambdaContext());
    await handler(sqsEvent([second, sqsRecord(first.body, 2, first.messageId)]), lambdaContext());
    const redelivery = await handler(sqsEvent([sqsRecord(second.body, 2, second.messageId)]), lambdaContext());

    // assess
    const calls = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    const alerts = calls.map((input) => JSON.parse(input.Message!.split('\n\n')[1]!) as AlertRecord);
    expect(alerts.map((alert) => alert.key).sort()).toEqual(['channel_live|watched live|gaules-s1', 'viewer_jump|watched raid|gaules-s1']);
    expect(alerts.find((alert) => alert.type === 'viewer_jump')).toMatchObject({ espectadores: 5000, anterior: 800 });
    expect(calls.every((input) => input.TopicArn === TOPIC)).toBe(true);
    expect(redelivery.batchItemFailures).toEqual([]);
  });

  it('fails the message when SNS fails, and sends the alert once when it is delivered again', async () => {
    // prepare
    sns.on(PublishCommand).rejectsOnce(new Error('Throttling')).resolves({ MessageId: 'm-2' });
    const handler = createConsumerHandler({
      env: { REALTIME_TABLE: TABLE, ALERT_RULES: JSON.stringify({ rules: [{ name: 'casimiro live', type: 'channel_live', channels: ['casimiro'] }] }), ALERTS_TOPIC_ARN: TOPIC },
      table: new DynamoRealtimeTable(dynamo.documentClient, TABLE, { now: () => NOW }),
    });
    const record = sqsRecord(body('20261129T220000Z', [sample('casimiro', '2026-11-29T22:00:00.000Z', 300)]));

    // act
    const failed = await handler(sqsEvent([record]), lambdaContext());
    const retried = await handler(sqsEvent([sqsRecord(record.body, 2, record.messageId)]), lambdaContext());
    const again = await handler(sqsEvent([sqsRecord(record.body, 3, record.messageId)]), lambdaContext());

    // assess
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect([retried.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('refuses to start with an invalid rules file, naming the bad rule', async () => {
    // prepare
    const rulesFile = join(directory, 'bad-rules.json');
    await writeFile(rulesFile, JSON.stringify({ rules: [{ name: 'jc', type: 'category_audience', category: 'Just Chatting', threshold: -5 }] }));

    // act
    const start = () => createConsumerHandler({ env: { REALTIME_TABLE: TABLE, ALERT_RULES_FILE: rulesFile } });

    // assess
    expect(start).toThrow('rules[0] "jc" (category_audience): threshold: must be greater than 0');
  });

  it('refuses to start with a rules file that does not exist, naming the absolute path it looked at', () => {
    // act: a relative path, read from the function's working folder
    const start = () => createConsumerHandler({ env: { REALTIME_TABLE: TABLE, ALERT_RULES_FILE: 'missing-rules.json' } });

    // assess
    expect(start).toThrow(`Cannot read the alert rules file missing-rules.json: it does not exist (no file at ${resolve('missing-rules.json')})`);
  });
});
