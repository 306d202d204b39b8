import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { withEngine } from '@twitch-pipeline/duckdb';
import { QUEUE_SCHEMA_VERSION, type RealtimeItem } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, type RealtimeTable } from '@twitch-pipeline/storage';
import { type DynamoEmulator, startDynamoEmulator } from '@twitch-pipeline/storage/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeEnvelope } from '../src/index';
import { createRealtimeWorkspace, RECENT_COLLECTED_AT, type RealtimeWorkspace, sampleEvents } from './realtime-fixtures';

// SQS delivers at least once and in no order: the newer snapshot's message is consumed first,
// then the older one arrives late (a slow consumer, a DLQ redrive), then both are delivered again.
const NEWER = RECENT_COLLECTED_AT;
const OLDER = new Date(Date.parse(NEWER) - 30 * 60_000).toISOString();
const TTL_HOURS = 48;

function body(timestamp: string, espectadores: number): string {
  const events = sampleEvents(1, 'gaules', timestamp).map((event) => ({ ...event, espectadores }));
  return JSON.stringify({ schema_version: QUEUE_SCHEMA_VERSION, snapshot_id: timestamp, events });
}

/** Consumes the newer message, the late older one, then each again; returns the table's items after the first two and at the end. */
async function consumeOutOfOrder(table: RealtimeTable, items: () => Promise<RealtimeItem[]>): Promise<{ once: RealtimeItem[]; again: RealtimeItem[] }> {
  for (const message of [body(NEWER, 900), body(OLDER, 100)]) await writeEnvelope(table, message, { ttlHours: TTL_HOURS });
  const once = await items();
  for (const message of [body(OLDER, 100), body(NEWER, 900), body(OLDER, 100)]) await writeEnvelope(table, message, { ttlHours: TTL_HOURS });
  return { once, again: await items() };
}

function expectOneItemPerSampleNewestFirst(latest: RealtimeItem[], once: RealtimeItem[], again: RealtimeItem[]): void {
  // Each sample is its own item (key: channel and collection time), so the late one cannot replace the newer one.
  expect(latest.map((item) => [item.timestamp, item.espectadores])).toEqual([[NEWER, 900]]);
  expect(once.map((item) => item.timestamp).sort()).toEqual([OLDER, NEWER]);
  // Re-consuming changes nothing: the same items, byte for byte (the TTL counts from the collection time).
  expect(again).toEqual(once);
  for (const item of again) expect(item.expira_em).toBe(Date.parse(item.timestamp) / 1000 + TTL_HOURS * 3600);
}

describe('a late or redelivered older snapshot', () => {
  let workspace: RealtimeWorkspace | undefined;
  let dynamo: DynamoEmulator;

  beforeAll(async () => {
    dynamo = await startDynamoEmulator();
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  afterEach(async () => {
    await workspace?.dispose();
    workspace = undefined;
  });

  it('never replaces the newer sample in DynamoDB (dynalite), and consuming again changes nothing', async () => {
    // prepare
    await dynamo.createRealtimeTable('realtime-late');
    const table = new DynamoRealtimeTable(dynamo.documentClient, 'realtime-late');
    const scan = async () =>
      ((await dynamo.documentClient.send(new ScanCommand({ TableName: 'realtime-late' }))).Items as RealtimeItem[]).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    // act
    const { once, again } = await consumeOutOfOrder(table, scan);
    const latest = await table.queryByStreamer('gaules_0', { limit: 1 });
    // assess
    expectOneItemPerSampleNewestFirst(latest, once, again);
  });

  it('never replaces the newer sample in the local table or its realtime_events view, and consuming again changes nothing', async () => {
    // prepare
    workspace = await createRealtimeWorkspace();
    const { table } = workspace;
    const view = () =>
      withEngine({}, async (engine) => {
        const rows = await engine.all<RealtimeItem & { timestamp: unknown; iniciado_em: unknown }>(`SELECT * FROM ${table.duckdbSource()} ORDER BY "timestamp"`);
        return rows.map((row) => ({ ...row, timestamp: new Date(`${String(row.timestamp)}Z`).toISOString(), iniciado_em: new Date(`${String(row.iniciado_em)}Z`).toISOString() }));
      });
    // act
    const { once, again } = await consumeOutOfOrder(table, view);
    const latest = await table.queryByStreamer('gaules_0', { limit: 1 });
    // assess
    expectOneItemPerSampleNewestFirst(latest, once, again);
  });
});
