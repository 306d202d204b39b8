import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { packEnvelopes } from '@twitch-pipeline/pipeline';
import type { RealtimeEvent, RealtimeItem } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, type RealtimeTable } from '@twitch-pipeline/storage';
import { type DynamoEmulator, startDynamoEmulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../src/index';
import { lambdaContext, sqsEvent, sqsRecord } from './sqs-event';

const ENV = { REALTIME_TABLE: 'realtime-events', REALTIME_TTL_HOURS: '48' };

function events(count: number, prefix: string): RealtimeEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    nome_streamer: `${prefix}_${index}`,
    timestamp: '2026-11-29T21:30:00.000Z',
    id_stream: String(314_000 + index),
    espectadores: 10 * index,
    nome_categoria: 'Counter-Strike',
    tipo_conteudo: 'Game',
    periodo_dia: 'Night',
    titulo: 'major 🏆 ao vivo',
    idioma: 'pt',
    iniciado_em: '2026-11-29T18:00:00.000Z',
  }));
}

function bodies(count: number, prefix: string): string[] {
  return packEnvelopes('20261129T213000Z', events(count, prefix)).map((message) => message.body);
}

describe('stream consumer handler on dynalite', () => {
  let dynamo: DynamoEmulator;
  let table: string;
  let batchWrites = 0;
  let tableCount = 0;

  beforeAll(async () => {
    dynamo = await startDynamoEmulator();
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand') batchWrites += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countBatchWrites' },
    );
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  beforeEach(async () => {
    tableCount += 1;
    table = `realtime-handler-${tableCount}`;
    await dynamo.createRealtimeTable(table);
    batchWrites = 0;
  });

  async function itemCount(): Promise<number> {
    return (await dynamo.documentClient.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;
  }

  it('writes every valid message with one BatchWriteItem each and reports only the poison ones', async () => {
    // prepare
    const [a, b, c] = bodies(75, 'ok');
    const poison = [
      sqsRecord('{"schema_version":1,"events":[', 3),
      sqsRecord(JSON.stringify({ schema_version: 99, snapshot_id: 'x', events: events(1, 'v99') })),
      sqsRecord(JSON.stringify({ schema_version: 1, snapshot_id: 'x', events: [{ ...events(1, 'k')[0], nome_streamer: undefined }] })),
    ];
    const event = sqsEvent([sqsRecord(a!), poison[0]!, sqsRecord(b!), poison[1]!, sqsRecord(c!), poison[2]!]);
    const handler = createConsumerHandler({ env: ENV, table: new DynamoRealtimeTable(dynamo.documentClient, table) });
    // act
    const response = await handler(event, lambdaContext());
    // assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      poison.map((record) => record.messageId).sort(),
    );
    expect(await itemCount()).toBe(75);
    expect(batchWrites).toBe(3);
  });

  it('reports a message whose write DynamoDB never answers before the function times out, the others written', async () => {
    // prepare: one message's BatchWriteItem hangs (a request accepted and never answered), the
    // other's goes through; 8 s left in the invocation leave the records 5 s. The hang is a
    // middleware of the SDK client: dynalite answers every request.
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    );
    client.middlewareStack.add(
      (next) => async (args) => {
        if (JSON.stringify(args.input).includes('parado_')) return new Promise<never>(() => undefined);
        return next(args);
      },
      { step: 'initialize', name: 'hangOneMessage' },
    );
    const [good] = bodies(3, 'ok');
    const [hanging] = bodies(2, 'parado');
    const hangingRecord = sqsRecord(hanging!);
    const handler = createConsumerHandler({ env: ENV, table: new DynamoRealtimeTable(client, table) });

    // act
    const response = await handler(sqsEvent([sqsRecord(good!), hangingRecord]), { ...lambdaContext(), getRemainingTimeInMillis: () => 8_000 });

    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: hangingRecord.messageId }]);
    expect(await itemCount()).toBe(3);
  });

  it('reports a batch of poison messages as failures instead of throwing', async () => {
    // prepare
    const event = sqsEvent([sqsRecord('not json'), sqsRecord('{}')]);
    const handler = createConsumerHandler({ env: ENV, table: new DynamoRealtimeTable(dynamo.documentClient, table) });
    // act
    const response = await handler(event, lambdaContext());
    // assess
    expect(response.batchItemFailures).toHaveLength(2);
    expect(await itemCount()).toBe(0);
  });

  it('refuses an event that is not an SQS batch with a plain error naming what it got', async () => {
    // prepare
    const handler = createConsumerHandler({ env: ENV, table: new DynamoRealtimeTable(dynamo.documentClient, table) });
    const scheduled = { version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
    const notBatches = [{}, null, scheduled] as unknown as Parameters<typeof handler>[0][];

    // act
    const outcomes = await Promise.allSettled(notBatches.map((event) => handler(event, lambdaContext())));

    // assess
    const messages = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).message : 'resolved'));
    expect(messages).toEqual([
      'invalid consumer input: expected an SQS event ({ "Records": [...] }), got an empty object',
      'invalid consumer input: expected an SQS event ({ "Records": [...] }), got null',
      'invalid consumer input: expected an SQS event ({ "Records": [...] }), got an object with version, detail-type, source, detail',
    ]);
    expect(await itemCount()).toBe(0);
  });

  it('leaves one item per key when a batch is delivered again', async () => {
    // prepare
    const records = bodies(50, 'again').map((body) => sqsRecord(body));
    const redelivered = records.map((record) => sqsRecord(record.body, 2, record.messageId));
    const handler = createConsumerHandler({ env: ENV, table: new DynamoRealtimeTable(dynamo.documentClient, table) });
    // act
    await handler(sqsEvent(records), lambdaContext());
    const second = await handler(sqsEvent(redelivered), lambdaContext());
    // assess
    expect(second.batchItemFailures).toEqual([]);
    expect(await itemCount()).toBe(50);
  });

  it('fails only the message whose write fails, and hands written events to the alerting hook', async () => {
    // prepare
    const dynamoTable = new DynamoRealtimeTable(dynamo.documentClient, table);
    const flaky: RealtimeTable = {
      location: dynamoTable.location,
      queryByStreamer: (name, options) => dynamoTable.queryByStreamer(name, options),
      putItems: async (items: readonly RealtimeItem[]) => {
        if (items.some((item) => item.nome_streamer.startsWith('falha'))) throw new Error('ProvisionedThroughputExceededException');
        return dynamoTable.putItems(items);
      },
    };
    const failing = sqsRecord(bodies(3, 'falha')[0]!);
    const written: string[] = [];
    const handler = createConsumerHandler({
      env: ENV,
      table: flaky,
      onWritten: (batch) => {
        written.push(...batch.map((item) => item.nome_streamer));
      },
    });
    // act
    const response = await handler(sqsEvent([sqsRecord(bodies(2, 'fine')[0]!), failing]), lambdaContext());
    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(written.sort()).toEqual(['fine_0', 'fine_1']);
    expect(await itemCount()).toBe(2);
  });

  it('wires the DynamoDB table named by REALTIME_TABLE when no table is given', async () => {
    // prepare
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    try {
      const handler = createConsumerHandler({ env: { ...ENV, REALTIME_TABLE: table } });
      // act
      const response = await handler(sqsEvent(bodies(30, 'wired').map((body) => sqsRecord(body))), lambdaContext());
      // assess
      expect(response.batchItemFailures).toEqual([]);
      expect(await itemCount()).toBe(30);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    }
  });

  it('refuses to start without REALTIME_TABLE', () => {
    // prepare
    const env = { REALTIME_TTL_HOURS: '48' };
    // act
    const start = () => createConsumerHandler({ env });
    // assess
    expect(start).toThrow(/REALTIME_TABLE/);
  });
});
