import type { PipelineConfig } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runBackfill } from '../src/runtime/backfill';
import type { LocalRuntime } from '../src/runtime/local-runtime';
import { cycleOnSimulator, useFreshRuntimes } from './support/local-runtime';
import { type SimulatorSettings, startSimulator } from '../src/runtime/source';

const SETTINGS: SimulatorSettings = { channels: 300, seed: 9, requestsPerMinute: 1_000_000 };
const AT = new Date('2026-11-29T23:00:00Z');
const DISK_FULL = 'ENOSPC: no space left on device, write';
const freshRuntime = useFreshRuntimes();

const diskFull = async (): Promise<never> => {
  throw Object.assign(new Error(DISK_FULL), { code: 'ENOSPC' });
};

/** A real local runtime whose table's putItems (one wrapped method) fails as on a full disk. */
async function runtimeWithFullTable() {
  const { config, runtime } = await freshRuntime();
  runtime.table.putItems = diskFull;
  return { config, runtime };
}

/** One cycle on the simulator at AT: its record, the end line of each step, and its error. */
const cycleOn = (config: PipelineConfig, runtime: LocalRuntime) => cycleOnSimulator(config, runtime, SETTINGS, AT);

/** The run's error when every event it published is still on the queue, in `messages` messages. */
function unconsumedError(messages: number, published: number): string {
  return (
    `consume: ${messages} messages (${published} events) not consumed; published ${published}, consumed 0; ${DISK_FULL} (${messages} messages); ` +
    `${messages} messages kept on the queue: the next run receives them again, and they go to the DLQ after 3 receives`
  );
}

/** Messages still on the queue or in its DLQ. */
async function queueLeft(runtime: LocalRuntime) {
  const { visible, inFlight } = await runtime.queue.counts();
  return { waiting: visible + inFlight, deadLettered: await runtime.queue.deadLetterQueue().count() };
}

describe('a consume step that could not write the real-time table', () => {
  it('fails the cycle, naming the error and reconciling what was published, and keeps the messages for redelivery', async () => {
    // prepare
    const { config, runtime } = await runtimeWithFullTable();

    // act
    const { record, lines, failure } = await cycleOn(config, runtime);
    const left = await queueLeft(runtime);

    // assess
    expect(record.published).toBeGreaterThan(0);
    expect(record.consumed).toBe(0);
    expect(lines.find((line) => line.startsWith('consume'))).toMatch(new RegExp(`^consume 0 items upserted, \\d+ messages not consumed \\(${DISK_FULL}\\), 0 dead-lettered$`));
    expect(failure?.message).toBe(unconsumedError(left.waiting, record.published));
    expect(record.rows.silver).toBeGreaterThan(0);
    expect(Object.keys(record.rows.gold).length).toBeGreaterThan(0);
    expect(left).toEqual({ waiting: expect.any(Number), deadLettered: 0 });
    expect(left.waiting).toBeGreaterThan(0);
  });

  it('fails the backfill, naming the error and reconciling what was published', async () => {
    // prepare
    const { config, runtime } = await runtimeWithFullTable();
    const simulator = await startSimulator({ ...SETTINGS, startTime: AT });
    const quietIo = { out: () => {}, drained: async () => {}, err: () => {}, interactive: false };

    // act
    const record = await runBackfill({ runtime, simulator, config, end: AT, hours: 1, realtime: 'all', io: quietIo }).finally(() => simulator.close());
    const left = await queueLeft(runtime);

    // assess
    expect(record.status).toBe('failed');
    expect(record.published).toBeGreaterThan(0);
    expect(record.consumed).toBe(0);
    expect(record.error).toBe(unconsumedError(left.waiting, record.published));
    expect(record.rows.gold).not.toEqual({});
    expect(left).toEqual({ waiting: expect.any(Number), deadLettered: 0 });
  });
});

describe('a publish step that could not write the queue', () => {
  it('lets the snapshot go through silver and gold, then fails the cycle naming the publish', async () => {
    // prepare: the local queue's send fails as on a full disk (each batch is tried 5 times, as a throttled SQS request is)
    const { config, runtime } = await freshRuntime();
    runtime.queue.sendBatch = diskFull;

    // act
    const { record, lines, failure } = await cycleOn(config, runtime);

    // assess
    const notPublished = new RegExp(`^\\d+ message\\(s\\) not published after 5 attempt\\(s\\) \\(${record.rows.bronze} event\\(s\\) not sent, 0 sent\\): ENOSPC \\(${DISK_FULL}\\): `);
    expect(lines.find((line) => line.startsWith('publish'))).toMatch(/^publish failed: .*; silver and gold go on$/);
    expect(lines.find((line) => line.startsWith('publish'))?.slice('publish failed: '.length)).toMatch(notPublished);
    expect(record.published).toBe(0);
    expect(record.rows.silver).toBe(record.rows.bronze);
    expect(Object.keys(record.rows.gold).length).toBeGreaterThan(0);
    expect(failure?.message.slice('publish: '.length)).toMatch(notPublished);
  });
});
