import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRealtimeTable, UnprocessedItemsError } from '../src/index';
import { type DynamoEmulator, startDynamoEmulator } from './realtime-dynalite';
import { expectForwardReads, expectReadsAsOf } from './realtime-forward-reads';
import { realtimeItem } from './realtime-items';

/**
 * dynalite never throttles, so to exercise UnprocessedItems this wraps the document client's
 * `send`: each BatchWriteItem forwards only part of its items to dynalite and answers the
 * rest as unprocessed, exactly as DynamoDB does under throttling.
 */
function throttlingClient(real: DynamoDBDocumentClient, unprocessedPerCall: number[]): DynamoDBDocumentClient {
  const send = real.send.bind(real) as (command: unknown) => Promise<unknown>;
  let call = 0;
  const wrapper = Object.create(real) as DynamoDBDocumentClient;
  wrapper.send = (async (command: unknown) => {
    if (!(command instanceof BatchWriteCommand)) return send(command);
    const held = unprocessedPerCall[call] ?? 0;
    call += 1;
    const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0]!;
    const processed = requests.slice(0, requests.length - held);
    const unprocessed = requests.slice(requests.length - held);
    if (processed.length > 0) await send(new BatchWriteCommand({ RequestItems: { [table]: processed } }));
    return { UnprocessedItems: unprocessed.length > 0 ? { [table]: unprocessed } : {} };
  }) as DynamoDBDocumentClient['send'];
  return wrapper;
}

describe('DynamoRealtimeTable on dynalite', () => {
  let dynamo: DynamoEmulator;
  let requests = 0;

  beforeAll(async () => {
    dynamo = await startDynamoEmulator();
    await dynamo.createRealtimeTable('realtime-test');
    // Counts the HTTP requests the client really sends, whatever the adapter believes.
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand') requests += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countBatchWrites' },
    );
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  it('writes 25 items with one BatchWriteItem and reads a channel newest first', async () => {
    // prepare
    const table = new DynamoRealtimeTable(dynamo.documentClient, 'realtime-test');
    const items = Array.from({ length: 25 }, (_, index) =>
      realtimeItem(index < 5 ? 'gaules' : `canal_${index}`, `2026-11-29T1${index % 5}:00:00.000Z`, { espectadores: index }),
    );
    requests = 0;
    // act
    const result = await table.putItems(items);
    const newest = await table.queryByStreamer('gaules', { limit: 3 });
    const previous = await table.queryByStreamer('gaules', { before: '2026-11-29T13:00:00.000Z', limit: 1 });
    // assess
    expect(result).toEqual({ written: 25, requests: 1, retriedItems: 0 });
    expect(requests).toBe(1);
    expect(newest.map((item) => item.timestamp)).toEqual([
      '2026-11-29T14:00:00.000Z',
      '2026-11-29T13:00:00.000Z',
      '2026-11-29T12:00:00.000Z',
    ]);
    expect(previous.map((item) => item.timestamp)).toEqual(['2026-11-29T12:00:00.000Z']);
  });

  it('reads a channel oldest first after an instant, without expired items, and refuses both bounds', async () => {
    await expectForwardReads(new DynamoRealtimeTable(dynamo.documentClient, 'realtime-test'), 'seguinte');
  });

  it('finds, as of an earlier instant, the neighbours of a sample older than the time to live', async () => {
    await expectReadsAsOf(new DynamoRealtimeTable(dynamo.documentClient, 'realtime-test'), 'antes');
  });

  it('keeps one item per key when a message is delivered twice or repeats a key', async () => {
    // prepare
    const table = new DynamoRealtimeTable(dynamo.documentClient, 'realtime-test');
    const first = realtimeItem('duplicado', '2026-11-29T21:30:00.000Z', { espectadores: 1 });
    const second = { ...first, espectadores: 2 };
    // act
    await table.putItems([first]);
    await table.putItems([first, second]);
    const items = await table.queryByStreamer('duplicado');
    // assess
    expect(items).toEqual([second]);
  });

  it('does not return expired items', async () => {
    // prepare
    const table = new DynamoRealtimeTable(dynamo.documentClient, 'realtime-test');
    const expired = realtimeItem('expirado', '2026-11-01T00:00:00.000Z', { expira_em: Math.floor(Date.now() / 1000) - 60 });
    const live = realtimeItem('expirado', '2026-11-29T00:00:00.000Z');
    // act
    await table.putItems([expired, live]);
    const items = await table.queryByStreamer('expirado');
    // assess
    expect(items).toEqual([live]);
  });

  it('retries unprocessed items with backoff until all are written', async () => {
    // prepare
    const delays: number[] = [];
    const table = new DynamoRealtimeTable(throttlingClient(dynamo.documentClient, [10, 3]), 'realtime-test', {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.999,
    });
    const items = Array.from({ length: 25 }, (_, index) => realtimeItem(`throttled_${index}`, '2026-11-29T21:30:00.000Z'));
    requests = 0;
    // act
    const result = await table.putItems(items);
    const stored = await Promise.all(
      items.map((item) =>
        dynamo.documentClient.send(
          new GetCommand({ TableName: 'realtime-test', Key: { nome_streamer: item.nome_streamer, timestamp: item.timestamp } }),
        ),
      ),
    );
    // assess
    expect(result).toEqual({ written: 25, requests: 3, retriedItems: 13 });
    expect(requests).toBe(3);
    expect(stored.every((response) => response.Item !== undefined)).toBe(true);
    expect(delays).toEqual([49, 99]);
  });

  it('gives up after the allowed attempts and says how many items are unwritten', async () => {
    // prepare
    const table = new DynamoRealtimeTable(throttlingClient(dynamo.documentClient, [5, 5, 5]), 'realtime-test', {
      maxAttempts: 3,
      sleep: async () => undefined,
    });
    const items = Array.from({ length: 10 }, (_, index) => realtimeItem(`stuck_${index}`, '2026-11-29T21:30:00.000Z'));
    // act
    const attempt = table.putItems(items);
    // assess
    await expect(attempt).rejects.toBeInstanceOf(UnprocessedItemsError);
    await expect(attempt).rejects.toMatchObject({ unprocessed: 5, total: 10, requests: 3 });
  });
});
