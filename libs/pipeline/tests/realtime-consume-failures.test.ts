import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainLocalQueue, packEnvelopes } from '../src/index';
import { createRealtimeWorkspace, RECENT_SNAPSHOT_ID, type RealtimeWorkspace, sampleEvents } from './realtime-fixtures';

const DISK_FULL = 'ENOSPC: no space left on device, write';

describe('drainLocalQueue when the table cannot write', () => {
  let workspace: RealtimeWorkspace;

  beforeEach(async () => {
    workspace = await createRealtimeWorkspace({ visibilityTimeoutSeconds: 0, maxReceives: 3 });
  });

  afterEach(async () => {
    await workspace.dispose();
  });

  it('names each message it could not consume with its error, and dead-letters it after its last receive with that error', async () => {
    // prepare: 30 events in 2 messages; the real table's putItems is wrapped to fail as on a full disk
    const bodies = packEnvelopes(RECENT_SNAPSHOT_ID, sampleEvents(30, 'cheio')).map((message) => message.body);
    await workspace.queue.sendBatch(bodies.map((body, index) => ({ id: String(index), body })));
    workspace.table.putItems = async () => {
      throw Object.assign(new Error(DISK_FULL), { code: 'ENOSPC' });
    };

    // act: a visibility timeout of 0 lets one drain receive each message up to its limit
    const summary = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48, maxReceives: workspace.queue.maxReceives });
    const dead = await workspace.queue.deadLetterQueue().peek();

    // assess
    expect(summary).toMatchObject({ received: 6, written: 0, failed: 4, invalid: 0, deadLettered: 2 });
    expect(summary.unconsumed.map(({ events, receiveCount, error, deadLettered }) => ({ events, receiveCount, error, deadLettered })).sort((a, b) => a.events - b.events)).toEqual([
      { events: 5, receiveCount: 3, error: DISK_FULL, deadLettered: true },
      { events: 25, receiveCount: 3, error: DISK_FULL, deadLettered: true },
    ]);
    expect(dead.map((letter) => [letter.receiveCount, letter.reason])).toEqual([
      [3, `not consumed after 3 receive(s) (limit 3): ${DISK_FULL}`],
      [3, `not consumed after 3 receive(s) (limit 3): ${DISK_FULL}`],
    ]);
    expect(await workspace.queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('keeps a message that failed before its last receive for a later drain, which consumes it', async () => {
    // prepare: the wrapped putItems fails once, then writes through the real table
    const [body] = packEnvelopes(RECENT_SNAPSHOT_ID, sampleEvents(5, 'depois')).map((message) => message.body);
    await workspace.queue.sendBatch([{ id: '0', body: body! }]);
    const putItems = workspace.table.putItems.bind(workspace.table);
    let calls = 0;
    workspace.table.putItems = (items) => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error(DISK_FULL)) : putItems(items);
    };

    // act
    const first = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48, maxReceives: workspace.queue.maxReceives, maxMessages: 1 });
    const second = await drainLocalQueue({ queue: workspace.queue, table: workspace.table, ttlHours: 48, maxReceives: workspace.queue.maxReceives });

    // assess
    expect(first).toMatchObject({ received: 1, written: 0, failed: 1, deadLettered: 0 });
    expect(first.unconsumed).toMatchObject([{ events: 5, receiveCount: 1, error: DISK_FULL, deadLettered: false }]);
    expect(second).toMatchObject({ received: 1, written: 5, failed: 0, unconsumed: [] });
    expect(second.recovered).toEqual([first.unconsumed[0]!.messageId]);
    expect(await workspace.queue.deadLetterQueue().count()).toBe(0);
  });
});
