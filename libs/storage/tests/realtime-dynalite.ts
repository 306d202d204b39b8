/// <reference path="./realtime-dynalite-types.d.ts" />
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { realtimeTableDefinition } from '../src/realtime/dynamo-realtime-table';

/** A DynamoDB protocol server (dynalite, in memory) on loopback, with clients configured for it. */
export interface DynamoEmulator {
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  endpoint: string;
  /** Creates a table with the real-time table's keys. */
  createRealtimeTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite in-process on an ephemeral loopback port; tables are ACTIVE at once.
 *
 * @example
 * const dynamo = await startDynamoEmulator();
 * await dynamo.createRealtimeTable('realtime-test');
 * // ... use dynamo.documentClient ...
 * await dynamo.stop();
 */
export async function startDynamoEmulator(): Promise<DynamoEmulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const documentClient = DynamoDBDocumentClient.from(client);
  return {
    client,
    documentClient,
    endpoint,
    createRealtimeTable: async (name) => {
      await client.send(new CreateTableCommand(realtimeTableDefinition(name)));
    },
    stop: async () => {
      client.destroy();
      await new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
    },
  };
}
