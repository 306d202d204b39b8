import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventQueue, OutgoingMessage, SendBatchResult } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainLocalQueue, PublishError, publishSnapshot, runSilver } from '../src/index';
import { countRealtimeRows, createRealtimeWorkspace, liveStreams, RECENT_COLLECTED_AT, RECENT_SNAPSHOT_ID, type RealtimeWorkspace } from './realtime-fixtures';
import { bronzeRow, writeBronzeSnapshot } from './support/transform-lake';

const COLLECTED_AT = RECENT_COLLECTED_AT;
const SNAPSHOT_ID = RECENT_SNAPSHOT_ID;
const TIME_ZONE = 'America/Sao_Paulo';

/** A queue that fails chosen entries the first time they are sent, as SQS sometimes does. */
function failingOnce(queue: EventQueue, failIds: Set<string>, senderFault = false): EventQueue & { sends: number } {
  const wrapper = Object.create(queue) as EventQueue & { sends: number };
  wrapper.sends = 0;
  wrapper.sendBatch = async (messages: readonly OutgoingMessage[]): Promise<SendBatchResult> => {
    wrapper.sends += 1;
    const failing = messages.filter((message) => failIds.has(message.id));
    for (const message of failing) if (!senderFault) failIds.delete(message.id);
    const accepted = messages.filter((message) => !failing.includes(message));
    const result = accepted.length > 0 ? await queue.sendBatch(accepted) : { sent: [], failed: [] };
    return {
      sent: result.sent,
      failed: failing.map((message) => ({ id: message.id, code: senderFault ? 'InvalidParameterValue' : 'InternalError', senderFault })),
    };
  };
  return wrapper;
}

describe('publishSnapshot', () => {
  let workspace: RealtimeWorkspace;

  beforeEach(async () => {
    workspace = await createRealtimeWorkspace();
  });

  afterEach(async () => {
    await workspace.dispose();
  });

  it('publishes one event per valid stream, retries failed entries, and reconciles with bronze and silver', async () => {
    // prepare
    const rows = [
      ...liveStreams(230, COLLECTED_AT),
      bronzeRow({ collected_at: COLLECTED_AT, id: '1', user_login: null }),
      bronzeRow({ collected_at: COLLECTED_AT, id: '2', viewer_count: -5 }),
      bronzeRow({ collected_at: COLLECTED_AT, id: '3', started_at: 'ontem à noite' }),
    ];
    const bronzeKey = await writeBronzeSnapshot(workspace.store, COLLECTED_AT, rows, TIME_ZONE);
    const queue = failingOnce(workspace.queue, new Set([`${SNAPSHOT_ID}-000001`, `${SNAPSHOT_ID}-000009`]));
    // act
    const summary = await publishSnapshot({
      store: workspace.store,
      queue,
      bronzeKey,
      snapshotId: SNAPSHOT_ID,
      timeZone: TIME_ZONE,
      sleep: async () => undefined,
    });
    const drained = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48 });
    const table = await countRealtimeRows(workspace.table);
    const silver = await runSilver({ store: workspace.store, timeZone: TIME_ZONE, bronzeKeys: [bronzeKey] });
    // assess
    expect(summary).toMatchObject({
      snapshotId: SNAPSHOT_ID,
      bronzeRows: 233,
      events: 230,
      skipped: { 'missing user_login': 1, 'negative viewer_count': 1, 'unparsable started_at': 1 },
      messages: 10,
      sendBatches: 1,
      retried: 2,
    });
    expect(queue.sends).toBe(2);
    expect(drained).toMatchObject({ received: 10, written: 230, failed: 0, deadLettered: 0 });
    expect(table).toEqual({ rows: 230, keys: 230 });
    expect(silver.rowsOut).toBe(summary.events);
    expect(silver.quarantined).toBe(3);
  });

  it('fails the step when the queue refuses entries as malformed', async () => {
    // prepare
    const bronzeKey = await writeBronzeSnapshot(workspace.store, COLLECTED_AT, liveStreams(30, COLLECTED_AT), TIME_ZONE);
    const queue = failingOnce(workspace.queue, new Set([`${SNAPSHOT_ID}-000000`]), true);
    // act
    const attempt = publishSnapshot({ store: workspace.store, queue, bronzeKey, snapshotId: SNAPSHOT_ID, timeZone: TIME_ZONE });
    // assess
    await expect(attempt).rejects.toBeInstanceOf(PublishError);
    await expect(attempt).rejects.toThrow(/InvalidParameterValue/);
  });

  it('sends every other message of the snapshot before failing the step for the one refused as malformed', async () => {
    // prepare: 4,000 events make 160 messages in 16 send batches, more than one round of 4 at a time.
    const bronzeKey = await writeBronzeSnapshot(workspace.store, COLLECTED_AT, liveStreams(4000, COLLECTED_AT), TIME_ZONE);
    const queue = failingOnce(workspace.queue, new Set([`${SNAPSHOT_ID}-000000`]), true);
    // act
    const attempt = publishSnapshot({ store: workspace.store, queue, bronzeKey, snapshotId: SNAPSHOT_ID, timeZone: TIME_ZONE });
    await expect(attempt).rejects.toThrow(/^1 message\(s\) not published after 1 attempt\(s\)/);
    const drained = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48 });
    // assess
    expect(queue.sends).toBe(16);
    expect(drained).toMatchObject({ received: 159, failed: 0, deadLettered: 0 });
  });

  it('refuses a bronze key of another snapshot than the one named, and sends nothing', async () => {
    // prepare
    const bronzeKey = await writeBronzeSnapshot(workspace.store, COLLECTED_AT, liveStreams(12, COLLECTED_AT), TIME_ZONE);
    // act
    const attempt = publishSnapshot({ store: workspace.store, queue: workspace.queue, bronzeKey, snapshotId: '20990101T000000Z', timeZone: TIME_ZONE });
    // assess
    await expect(attempt).rejects.toThrow(`snapshot id "20990101T000000Z" is not the snapshot of bronze key "${bronzeKey}" (${SNAPSHOT_ID})`);
    expect(await workspace.queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('publishes the same messages again when a snapshot is republished, and the table keeps one item per key', async () => {
    // prepare
    const bronzeKey = await writeBronzeSnapshot(workspace.store, COLLECTED_AT, liveStreams(60, COLLECTED_AT), TIME_ZONE);
    const input = { store: workspace.store, queue: workspace.queue, bronzeKey, snapshotId: SNAPSHOT_ID, timeZone: TIME_ZONE };
    // act
    const first = await publishSnapshot(input);
    const second = await publishSnapshot(input);
    const drained = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48 });
    const table = await countRealtimeRows(workspace.table);
    // assess
    expect(second.events).toBe(first.events);
    expect(drained.written).toBe(120);
    expect(table).toEqual({ rows: 60, keys: 60 });
  });

  it('reads bronze through a private temporary folder, whatever the shared temp folder already holds', async () => {
    // prepare: another user's entry named like a fixed scratch folder (a plain file here, which
    // blocks a folder of that name even for root)
    const bronzeKey = await writeBronzeSnapshot(workspace.store, COLLECTED_AT, liveStreams(12, COLLECTED_AT), TIME_ZONE);
    const sharedTemp = await mkdtemp(join(tmpdir(), 'shared-temp-'));
    await writeFile(join(sharedTemp, 'publish'), 'not ours');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = sharedTemp;
    try {
      // act
      const summary = await publishSnapshot({ store: workspace.store, queue: workspace.queue, bronzeKey, snapshotId: SNAPSHOT_ID, timeZone: TIME_ZONE });
      // assess
      expect(summary).toMatchObject({ bronzeRows: 12, events: 12 });
      expect(await readdir(sharedTemp)).toEqual(['publish']);
    } finally {
      process.env.TMPDIR = previous;
      await rm(sharedTemp, { recursive: true, force: true });
    }
  });
});
