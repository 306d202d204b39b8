import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { QUEUE_SCHEMA_VERSION } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, type EventQueue, LocalEventQueue, type OutgoingMessage } from '@twitch-pipeline/storage';
import { startDynamoEmulator } from '@twitch-pipeline/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainLocalQueue, InvalidMessageError, packEnvelopes, parseEnvelope, writeEnvelope } from '../src/index';
import { countRealtimeRows, createRealtimeWorkspace, RECENT_SNAPSHOT_ID, type RealtimeWorkspace, sampleEvents } from './realtime-fixtures';

async function sendBodies(queue: EventQueue, bodies: readonly string[]): Promise<void> {
  const messages: OutgoingMessage[] = bodies.map((body, index) => ({ id: String(index), body }));
  for (let start = 0; start < messages.length; start += 10) await queue.sendBatch(messages.slice(start, start + 10));
}

const missingKey = JSON.stringify({
  schema_version: QUEUE_SCHEMA_VERSION,
  snapshot_id: RECENT_SNAPSHOT_ID,
  events: sampleEvents(2, 'sem_chave').map(({ nome_streamer: _key, ...rest }) => rest),
});
const POISON = [
  '{"schema_version":1,"snapshot_id":',
  JSON.stringify({ schema_version: 2, snapshot_id: RECENT_SNAPSHOT_ID, events: sampleEvents(1, 'v2') }),
  missingKey,
];

describe('parseEnvelope', () => {
  it('names what is wrong with a poison message', () => {
    // prepare
    const reasons: string[] = [];
    // act
    for (const body of POISON) {
      try {
        parseEnvelope(body);
      } catch (error) {
        reasons.push((error as InvalidMessageError).reason);
      }
    }
    // assess
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^body is not JSON/);
    expect(reasons[1]).toBe('unsupported schema_version 2 (expected 1)');
    expect(reasons[2]).toMatch(/events\.0\.nome_streamer/);
  });

  it('says a message has no schema_version, or is not an object, rather than "unsupported schema_version undefined"', () => {
    // prepare: an envelope without its version, and JSON of other shapes
    const bodies = [JSON.stringify({ snapshot_id: RECENT_SNAPSHOT_ID, events: sampleEvents(1, 'sem_versao') }), '[1,2]', 'null', '"texto"'];
    // act
    const reasons = bodies.map((body) => {
      try {
        parseEnvelope(body);
        return 'accepted';
      } catch (error) {
        return (error as InvalidMessageError).reason;
      }
    });
    // assess
    expect(reasons).toEqual([
      'no schema_version (expected 1)',
      'body is an array, not an envelope (an object with schema_version, snapshot_id and events)',
      'body is null, not an envelope (an object with schema_version, snapshot_id and events)',
      'body is a string, not an envelope (an object with schema_version, snapshot_id and events)',
    ]);
  });

  it('refuses a hand-made message whose items would land under another key, at another time, or nowhere', () => {
    // prepare: each changes one field of a valid event
    const [event] = sampleEvents(1, 'gaules');
    const variants: [string, Record<string, unknown>][] = [
      ['timestamp', { timestamp: event!.timestamp.replace('.000Z', 'Z') }],
      ['timestamp', { timestamp: '2026-11-29T23:30:00+02:00' }],
      ['iniciado_em', { iniciado_em: event!.iniciado_em.replace('.000Z', '+00:00') }],
      ['titulo', { titulo: 'bad \ud800 title' }],
      ['nome_streamer', { nome_streamer: 'x'.repeat(2049) }],
      ['nome_streamer', { nome_streamer: '#evaluated#' }],
    ];
    // act
    const reasons = variants.map(([, change]) => {
      try {
        parseEnvelope(JSON.stringify({ schema_version: QUEUE_SCHEMA_VERSION, snapshot_id: RECENT_SNAPSHOT_ID, events: [{ ...event, ...change }] }));
        return 'accepted';
      } catch (error) {
        return (error as InvalidMessageError).reason;
      }
    });
    // assess
    expect(event!.timestamp).toMatch(/\.000Z$/);
    expect(reasons.map((reason, index) => reason.includes(`events.0.${variants[index]![0]}`))).toEqual(variants.map(() => true));
  });
});

describe('drainLocalQueue', () => {
  let workspace: RealtimeWorkspace;

  beforeEach(async () => {
    workspace = await createRealtimeWorkspace({ visibilityTimeoutSeconds: 0, maxReceives: 3 });
  });

  afterEach(async () => {
    await workspace.dispose();
  });

  it('moves unreadable messages to the DLQ at once with the reason, and writes the rest in the same drain', async () => {
    // prepare
    const good = packEnvelopes(RECENT_SNAPSHOT_ID, sampleEvents(100, 'bom')).map((message) => message.body);
    const unreadable = [...POISON, ''];
    await sendBodies(workspace.queue, [good[0]!, POISON[0]!, good[1]!, POISON[1]!, good[2]!, POISON[2]!, good[3]!, '']);
    const notified: number[] = [];
    // act
    const summary = await drainLocalQueue({
      queue: workspace.queue,
      table: workspace.table,
      ttlHours: 48,
      onWritten: (events) => {
        notified.push(events.length);
      },
    });
    const dead = await workspace.queue.deadLetterQueue().peek();
    const table = await countRealtimeRows(workspace.table);
    // assess
    expect(summary).toMatchObject({ received: 8, written: 100, failed: 0, invalid: 4, deadLettered: 4 });
    expect(dead.map((letter) => letter.body).sort()).toEqual([...unreadable].sort());
    expect(dead.every((letter) => letter.receiveCount === 1)).toBe(true);
    const reasons = Object.fromEntries(dead.map((letter) => [letter.body, letter.reason]));
    expect(reasons['']).toMatch(/^body is not JSON/);
    expect(reasons[POISON[1]!]).toBe('unsupported schema_version 2 (expected 1)');
    expect(table).toEqual({ rows: 100, keys: 100 });
    expect(notified).toEqual([25, 25, 25, 25]);
    expect(await workspace.queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('writes the valid events of a message holding an invalid one, and moves the message to the DLQ with the reason', async () => {
    // prepare
    const events = sampleEvents(25, 'lote');
    events[7] = { ...events[7]!, nome_streamer: '#alert#lote_7' };
    await sendBodies(workspace.queue, [JSON.stringify({ schema_version: QUEUE_SCHEMA_VERSION, snapshot_id: RECENT_SNAPSHOT_ID, events })]);
    // act
    const summary = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48 });
    const [letter] = await workspace.queue.deadLetterQueue().peek();
    // assess
    expect(summary).toMatchObject({ received: 1, written: 24, failed: 0, invalid: 1, deadLettered: 1 });
    expect(letter?.reason).toMatch(/^1 of its 25 events invalid, the other 24 written: events\.7\.nome_streamer: starts with #/);
    expect(await countRealtimeRows(workspace.table)).toEqual({ rows: 24, keys: 24 });
  });

  it('leaves a message that failed for another reason on the queue, and dead-letters it after 3 receives', async () => {
    // prepare
    const [body] = packEnvelopes(RECENT_SNAPSHOT_ID, sampleEvents(5, 'falha')).map((message) => message.body);
    await sendBodies(workspace.queue, [body!]);
    const failing = () => {
      throw new Error('table unavailable');
    };
    // act: a visibility timeout of 0 lets one drain receive it again at once
    const summary = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48, onWritten: failing });
    const [dead] = await workspace.queue.deadLetterQueue().peek();
    // assess
    expect(summary).toMatchObject({ received: 3, failed: 3, invalid: 0, deadLettered: 1 });
    expect(dead).toMatchObject({ body, receiveCount: 3, reason: 'not consumed after 3 receive(s) (limit 3)' });
  });

  it('leaves one item per key when messages are delivered twice', async () => {
    // prepare
    const bodies = packEnvelopes(RECENT_SNAPSHOT_ID, sampleEvents(50, 'dup')).map((message) => message.body);
    await sendBodies(workspace.queue, [...bodies, ...bodies, bodies[0]!]);
    // act
    const summary = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48 });
    const table = await countRealtimeRows(workspace.table);
    const history = await workspace.table.queryByStreamer('dup_0');
    // assess
    expect(summary).toMatchObject({ received: 5, written: 125, failed: 0 });
    expect(table).toEqual({ rows: 50, keys: 50 });
    expect(history).toHaveLength(1);
  });

  it('loses nothing when the consumer is killed with SIGKILL in the middle of a batch', async () => {
    // prepare
    const events = sampleEvents(500, 'kill');
    await sendBodies(workspace.queue, packEnvelopes(RECENT_SNAPSHOT_ID, events).map((message) => message.body));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./realtime-kill-child.ts', import.meta.url)), workspace.queue.location, workspace.table.location],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((done) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('stuck') && done()));
    // act
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const countsAfterKill = await workspace.queue.counts();
    const survivor = new LocalEventQueue(workspace.queue.location, { visibilityTimeoutSeconds: 30 });
    let redelivered = 0;
    // The killed consumer's deliveries become visible again when their 1-second timeout ends.
    for (let counts = countsAfterKill; counts.visible + counts.inFlight > 0; counts = await survivor.counts()) {
      const summary = await drainLocalQueue({ queue: survivor, table: workspace.table, ttlHours: 48 });
      redelivered += summary.received;
      if (summary.received === 0) await new Promise((done) => setTimeout(done, 200));
    }
    const table = await countRealtimeRows(workspace.table);
    // assess
    expect(countsAfterKill.inFlight + countsAfterKill.visible).toBeGreaterThan(0);
    expect(redelivered).toBe(countsAfterKill.inFlight + countsAfterKill.visible);
    expect(table).toEqual({ rows: 500, keys: 500 });
  });

  it('writes into DynamoDB (dynalite) exactly the events published', async () => {
    // prepare
    const dynamo = await startDynamoEmulator();
    try {
      await dynamo.createRealtimeTable('realtime-drain');
      const table = new DynamoRealtimeTable(dynamo.documentClient, 'realtime-drain');
      const published = sampleEvents(260, 'dyn');
      await sendBodies(workspace.queue, packEnvelopes(RECENT_SNAPSHOT_ID, published).map((message) => message.body));
      // act
      const summary = await drainLocalQueue({ queue: workspace.queue, table, ttlHours: 48 });
      const scanned = await dynamo.documentClient.send(new ScanCommand({ TableName: 'realtime-drain', Select: 'COUNT' }));
      const [item] = await table.queryByStreamer('dyn_7');
      // assess
      expect(summary).toMatchObject({ received: 11, written: 260, failed: 0 });
      expect(scanned.Count).toBe(published.length);
      expect(item).toEqual({ ...published[7], expira_em: Date.parse(published[7]!.timestamp) / 1000 + 48 * 3600 });
    } finally {
      await dynamo.stop();
    }
  });
});

describe('writeEnvelope', () => {
  it('writes the valid events of a message that holds invalid ones, then fails naming those and counting the written', async () => {
    // prepare: the second of three events has a negative viewer count
    const workspace = await createRealtimeWorkspace();
    const events = sampleEvents(3, 'misto');
    events[1] = { ...events[1]!, espectadores: -1 };
    const body = JSON.stringify({ schema_version: QUEUE_SCHEMA_VERSION, snapshot_id: RECENT_SNAPSHOT_ID, events });
    const notified: string[] = [];
    try {
      // act
      const error = await writeEnvelope(workspace.table, body, { ttlHours: 48, onWritten: (written) => void notified.push(...written.map((event) => event.nome_streamer)) }).catch(
        (caught: unknown) => caught,
      );
      // assess
      expect(error).toBeInstanceOf(InvalidMessageError);
      expect((error as InvalidMessageError).reason).toMatch(/^1 of its 3 events invalid, the other 2 written: events\.1\.espectadores: /);
      expect((error as InvalidMessageError).written).toBe(2);
      expect(notified).toEqual([events[0]!.nome_streamer, events[2]!.nome_streamer]);
      expect(await countRealtimeRows(workspace.table)).toEqual({ rows: 2, keys: 2 });
    } finally {
      await workspace.dispose();
    }
  });

  it('rejects an invalid body before writing anything', async () => {
    // prepare
    const workspace = await createRealtimeWorkspace();
    try {
      // act
      const attempt = writeEnvelope(workspace.table, POISON[2]!, { ttlHours: 48 });
      // assess
      await expect(attempt).rejects.toBeInstanceOf(InvalidMessageError);
      expect(await countRealtimeRows(workspace.table)).toEqual({ rows: 0, keys: 0 });
    } finally {
      await workspace.dispose();
    }
  });
});
