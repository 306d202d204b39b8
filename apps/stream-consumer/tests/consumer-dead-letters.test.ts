// The table is DynamoDB's emulator (dynalite); no maintained SQS emulator exists on npm, so the
// DLQ is the real AWS SDK client with its transport replaced by aws-sdk-client-mock.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { packEnvelopes } from '@twitch-pipeline/pipeline';
import type { RealtimeEvent } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable } from '@twitch-pipeline/storage';
import { type DynamoEmulator, startDynamoEmulator } from '@twitch-pipeline/storage/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../src/index';
import { lambdaContext, sqsEvent, sqsRecord } from './sqs-event';

const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/twitch-pipeline-events-dlq';
const sqs = mockClient(SQSClient);

function events(count: number, prefix: string): RealtimeEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    nome_streamer: `${prefix}_${index}`,
    timestamp: '2026-11-29T21:30:00.000Z',
    id_stream: String(271_000 + index),
    espectadores: 5 * index,
    nome_categoria: 'Just Chatting',
    tipo_conteudo: 'Non-Game',
    periodo_dia: 'Night',
    titulo: 'papo',
    idioma: 'pt',
    iniciado_em: '2026-11-29T19:00:00.000Z',
  }));
}

describe('stream consumer handler with its DLQ', () => {
  let dynamo: DynamoEmulator;
  let table: string;
  let tableCount = 0;

  beforeAll(async () => {
    dynamo = await startDynamoEmulator();
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  beforeEach(async () => {
    tableCount += 1;
    table = `realtime-dead-letters-${tableCount}`;
    await dynamo.createRealtimeTable(table);
  });

  afterEach(() => {
    sqs.reset();
  });

  async function keys(): Promise<string[]> {
    const { Items } = await dynamo.documentClient.send(new ScanCommand({ TableName: table }));
    return (Items ?? []).map((item) => String(item.nome_streamer)).sort();
  }

  it('moves invalid messages to the DLQ at once with the reason, writes the valid events beside them, and reports none failed', async () => {
    // prepare: a good envelope, a body that is not JSON, and an envelope whose second event is bad
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const [good] = packEnvelopes('20261129T213000Z', events(3, 'bom')).map((message) => message.body);
    const mixed = events(3, 'misto');
    mixed[1] = { ...mixed[1]!, espectadores: -7 };
    const notJson = sqsRecord('{"schema_version":1,"events":[', 1, 'not-json');
    const partly = sqsRecord(JSON.stringify({ schema_version: 1, snapshot_id: '20261129T213000Z', events: mixed }), 1, 'partly');
    const handler = createConsumerHandler({ env: { REALTIME_TABLE: table, REALTIME_TTL_HOURS: '48', EVENTS_DLQ_URL: DLQ_URL }, table: new DynamoRealtimeTable(dynamo.documentClient, table) });
    // act
    const response = await handler(sqsEvent([sqsRecord(good!), notJson, partly]), lambdaContext());
    // assess
    expect(response.batchItemFailures).toEqual([]);
    const sent = sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => input.QueueUrl)).toEqual([DLQ_URL, DLQ_URL]);
    const bySource = Object.fromEntries(sent.map((input) => [input.MessageAttributes?.source_message_id?.StringValue, input]));
    expect(bySource['not-json']?.MessageBody).toBe(notJson.body);
    expect(bySource['not-json']?.MessageAttributes?.reason?.StringValue).toMatch(/^body is not JSON/);
    expect(bySource.partly?.MessageBody).toBe(partly.body);
    expect(bySource.partly?.MessageAttributes?.reason?.StringValue).toMatch(/^1 of its 3 events invalid, the other 2 written: events\.1\.espectadores: /);
    expect(await keys()).toEqual(['bom_0', 'bom_1', 'bom_2', 'misto_0', 'misto_2']);
  });

  it('fails an invalid message whose move to the DLQ fails, so that SQS keeps it and moves it after its receive limit', async () => {
    // prepare
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'RequestThrottled' }));
    const reserved = events(1, 'x').map((event) => ({ ...event, nome_streamer: '#alert#x' }));
    const record = sqsRecord(JSON.stringify({ schema_version: 1, snapshot_id: '20261129T213000Z', events: reserved }), 1, 'reserved');
    const handler = createConsumerHandler({ env: { REALTIME_TABLE: table, REALTIME_TTL_HOURS: '48', EVENTS_DLQ_URL: DLQ_URL }, table: new DynamoRealtimeTable(dynamo.documentClient, table) });
    // act
    const response = await handler(sqsEvent([record]), lambdaContext());
    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'reserved' }]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(await keys()).toEqual([]);
  });
});
