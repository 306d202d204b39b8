import '../product-allocator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { drainLocalQueue, packEnvelopes } from '@twitch-pipeline/pipeline';
import type { RealtimeEvent } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, LocalEventQueue } from '@twitch-pipeline/storage';
import { startDynamoEmulator } from '@twitch-pipeline/storage/testing';
import { countArgument, parsedOrUsage } from '../bench-args';
import { COLLECTED_AT, rate, SNAPSHOT_ID, timed } from './bench-fixtures';

// Events per second through the consumer into DynamoDB (dynalite, in memory, on loopback),
// and DynamoDB requests per 25 events, counted by a middleware on the real client: once with
// every item processed, once with the table leaving 20 % of each batch unprocessed on the
// first attempt (dynalite never throttles, so a wrapper answers those items as unprocessed).
const USAGE = 'npx tsx tools/bench/realtime/dynamo-consumer.ts [--events 20000]';
const { values } = parsedOrUsage(() => parseArgs({ options: { events: { type: 'string' } } }), USAGE);
const count = countArgument(values.events, 20_000, '--events', USAGE);

function events(prefix: string): RealtimeEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    nome_streamer: `${prefix}_${index}`,
    timestamp: COLLECTED_AT,
    id_stream: String(300_000_000 + index),
    espectadores: Math.floor(200_000 / (index + 1)),
    nome_categoria: index % 2 ? 'Just Chatting' : 'Counter-Strike',
    tipo_conteudo: index % 2 ? 'Non-Game' : 'Game',
    periodo_dia: 'Night',
    titulo: `Transmissão ao vivo #${index} ✨ jogando com a galera`,
    idioma: 'pt',
    iniciado_em: '2026-11-29T18:00:00.000Z',
  }));
}

/** Leaves the last `share` of every first BatchWriteItem of a batch unprocessed, as DynamoDB does under throttling. */
function throttling(real: DynamoDBDocumentClient, share: number): DynamoDBDocumentClient {
  const send = real.send.bind(real) as (command: unknown) => Promise<unknown>;
  const wrapper = Object.create(real) as DynamoDBDocumentClient;
  wrapper.send = (async (command: unknown) => {
    if (!(command instanceof BatchWriteCommand)) return send(command);
    const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0]!;
    const held = requests.length === 25 ? Math.round(requests.length * share) : 0;
    const processed = requests.slice(0, requests.length - held);
    await send(new BatchWriteCommand({ RequestItems: { [table]: processed } }));
    return { UnprocessedItems: held > 0 ? { [table]: requests.slice(requests.length - held) } : {} };
  }) as DynamoDBDocumentClient['send'];
  return wrapper;
}

async function itemCount(client: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: startKey }));
    total += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return total;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const dynamo = await startDynamoEmulator();
let batchWrites = 0;
dynamo.client.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'BatchWriteItemCommand') batchWrites += 1;
    return next(args);
  },
  { step: 'initialize', name: 'countBatchWrites' },
);
const directory = await mkdtemp(join(tmpdir(), 'bench-dynamo-'));
try {
  for (const scenario of [
    { name: 'all processed', client: dynamo.documentClient, prefix: 'ok' },
    { name: '20% unprocessed first', client: throttling(dynamo.documentClient, 0.2), prefix: 'thr' },
  ]) {
    const tableName = `bench-${scenario.prefix}`;
    await dynamo.createRealtimeTable(tableName);
    const queue = new LocalEventQueue(join(directory, scenario.prefix));
    const messages = packEnvelopes(SNAPSHOT_ID, events(scenario.prefix));
    for (let start = 0; start < messages.length; start += 10) {
      await queue.sendBatch(messages.slice(start, start + 10).map((message) => ({ id: message.id, body: message.body })));
    }
    const table = new DynamoRealtimeTable(scenario.client, tableName, { sleep: async () => undefined });
    batchWrites = 0;
    const drain = await timed(() => drainLocalQueue({ queue, table, ttlHours: 48 }));
    const stored = await itemCount(dynamo.documentClient, tableName);
    console.log(`scenario                     ${scenario.name}`);
    console.log(`events consumed              ${drain.value.written} in ${drain.value.received} messages (items in table ${stored})`);
    console.log(`throughput                   ${drain.ms.toFixed(0)} ms  ${rate(drain.value.written, drain.ms)} events/s`);
    console.log(`BatchWriteItem requests      ${batchWrites}  (${((batchWrites / drain.value.written) * 25).toFixed(2)} per 25 events)`);
    console.log('');
    if (stored !== count || drain.value.written !== count) throw new Error('events written do not reconcile with events published');
  }
} finally {
  await dynamo.stop();
  await rm(directory, { recursive: true, force: true });
}
