import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { LAKE_PREFIXES, type PipelineConfig, snapshotIdFor } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runBackfill } from '../src/runtime/backfill';
import { CycleInterrupted, scheduledTime } from '../src/runtime/cycle';
import type { LocalRuntime } from '../src/runtime/local-runtime';
import { cycleOnSimulator, useFreshRuntimes } from './support/local-runtime';
import { type SimulatorSettings, startSimulator } from '../src/runtime/source';

const SETTINGS: SimulatorSettings = { channels: 300, seed: 11, requestsPerMinute: 1_000_000 };
const freshRuntime = useFreshRuntimes();
const quietIo = { out: () => {}, drained: async () => {}, err: () => {}, interactive: false };

const cycleAt = (config: PipelineConfig, runtime: LocalRuntime, at: Date, stopAfterExtract = false) =>
  cycleOnSimulator(config, runtime, SETTINGS, at, stopAfterExtract);

/** Live items of the real-time table, by collection time. */
const itemsByTime = (runtime: LocalRuntime) =>
  withEngine({}, async (engine) => {
    const rows = await engine.all<{ at: string; n: bigint | number }>(`SELECT strftime("timestamp", '%Y-%m-%dT%H:%M:%S.000Z') AS at, count(*) AS n FROM ${runtime.table.duckdbSource()} GROUP BY 1`);
    return Object.fromEntries(rows.map((row) => [row.at, Number(row.n)]));
  });

describe('a snapshot extracted and never published', () => {
  it('is published by the next cycle, which counts it, so the real-time table misses no slot', async () => {
    // prepare: the previous slot's cycle stopped after its extract, before its publish
    const { config, runtime } = await freshRuntime();
    const current = scheduledTime(new Date(), 30);
    const previous = new Date(current.getTime() - 30 * 60_000);
    const stopped = await cycleAt(config, runtime, previous, true);

    // act
    const next = await cycleAt(config, runtime, current);

    // assess
    expect(stopped.failure).toBeInstanceOf(CycleInterrupted);
    expect(stopped.record.published).toBe(0);
    expect(next.failure).toBeUndefined();
    const publishLine = next.lines.find((line) => line.startsWith('publish '))!;
    const leftOver = Number(/; ([\d,]+) events of 1 snapshot an earlier run left unpublished$/.exec(publishLine)?.[1]?.replace(/,/g, ''));
    expect(leftOver).toBeGreaterThan(0);
    expect(next.record.published).toBe(next.record.consumed);
    expect(next.record.published - leftOver).toBeGreaterThan(0);
    expect(await readdir(join(runtime.dataDir, 'queue', 'unpublished'))).toEqual([]);
    const items = await itemsByTime(runtime);
    expect(items[previous.toISOString()]).toBe(leftOver);
    expect(items[current.toISOString()]).toBe(next.record.published - leftOver);
  });

  it('is published by a later backfill of other slots, as by the next cycle', async () => {
    // prepare: the previous slot's cycle stopped after its extract; a backfill then covers only the current slot
    const { config, runtime } = await freshRuntime();
    const current = scheduledTime(new Date(), 30);
    const previous = new Date(current.getTime() - 30 * 60_000);
    await cycleAt(config, runtime, previous, true);
    const told: string[] = [];
    const simulator = await startSimulator({ ...SETTINGS, startTime: current });

    // act
    const backfill = await runBackfill({ runtime, simulator, config, end: current, hours: 0.5, realtime: 'all', io: { ...quietIo, err: (text) => told.push(text) } }).finally(() =>
      simulator.close(),
    );

    // assess
    expect(backfill.status).toBe('ok');
    expect(backfill.snapshots).toEqual([snapshotIdFor(current)]);
    const leftOver = Number(/real time: ([\d,]+) events of 1 snapshot an earlier run left unpublished/.exec(told.join(''))?.[1]?.replace(/,/g, ''));
    expect(leftOver).toBeGreaterThan(0);
    expect(backfill.published).toBe(backfill.consumed);
    expect(await readdir(join(runtime.dataDir, 'queue', 'unpublished'))).toEqual([]);
    const items = await itemsByTime(runtime);
    expect(items[previous.toISOString()]).toBe(leftOver);
    expect(items[current.toISOString()]).toBe(backfill.published - leftOver);
  });

  it('is left out once its items could no longer be live, and a note whose extract never finished is removed', async () => {
    // prepare: a note of a snapshot past the real-time table's lifetime, and one with no bronze object
    const { config, runtime } = await freshRuntime();
    const current = scheduledTime(new Date(), 30);
    const old = new Date(current.getTime() - (config.realtimeTtlHours + 1) * 3_600_000);
    const oldCycle = await cycleAt(config, runtime, old, true);
    const neverExtracted = snapshotIdFor(new Date(current.getTime() - 60 * 60_000));
    await writeFile(join(runtime.dataDir, 'queue', 'unpublished', neverExtracted), '');

    // act
    const next = await cycleAt(config, runtime, current);

    // assess
    expect(oldCycle.failure).toBeInstanceOf(CycleInterrupted);
    expect(next.lines.find((line) => line.startsWith('publish '))).toMatch(/; 1 snapshot left unpublished too long ago to be live, skipped$/);
    expect(next.record.published).toBe(next.record.consumed);
    expect(await readdir(join(runtime.dataDir, 'queue', 'unpublished'))).toEqual([]);
  });

  it('is noted by a backfill before its extract, so one that dies right after writing its bronze object leaves it to the next cycle', async () => {
    // prepare: a backfill whose last slot's extract dies just after its bronze object is written, as a kill there would leave it
    const { config, runtime } = await freshRuntime();
    const current = scheduledTime(new Date(), 30);
    const last = new Date(current.getTime() - 30 * 60_000);
    const crashed = snapshotIdFor(last);
    const putFile = runtime.store.putFile.bind(runtime.store);
    runtime.store.putFile = async (key, path) => {
      await putFile(key, path);
      if (key.startsWith(LAKE_PREFIXES.bronze) && key.includes(crashed)) throw new Error('stopped right after the bronze write');
    };
    const simulator = await startSimulator({ ...SETTINGS, startTime: last });
    const backfill = await runBackfill({ runtime, simulator, config, end: last, hours: 1, realtime: 'all', io: quietIo }).finally(() => simulator.close());
    runtime.store.putFile = putFile;

    // act
    const next = await cycleAt(config, runtime, current);

    // assess
    expect(backfill.status).toBe('failed');
    expect(backfill.snapshots).toHaveLength(1);
    expect((await runtime.store.list(LAKE_PREFIXES.bronze)).filter((object) => object.key.includes(crashed))).toHaveLength(1);
    const publishLine = next.lines.find((line) => line.startsWith('publish '))!;
    const leftOver = Number(/; ([\d,]+) events of 1 snapshot an earlier run left unpublished$/.exec(publishLine)?.[1]?.replace(/,/g, ''));
    expect(leftOver).toBeGreaterThan(0);
    expect((await itemsByTime(runtime))[last.toISOString()]).toBe(leftOver);
    expect(await readdir(join(runtime.dataDir, 'queue', 'unpublished'))).toEqual([]);
  });

  it('is named in a backfill that failed in silver while the real time of its last snapshot failed after the extracts', async () => {
    // prepare: the last snapshot's messages and every silver object refused, as a full disk refuses them
    const { config, runtime } = await freshRuntime();
    const current = scheduledTime(new Date(), 30);
    const first = new Date(current.getTime() - 60 * 60_000);
    const last = new Date(current.getTime() - 30 * 60_000);
    const sendBatch = runtime.queue.sendBatch.bind(runtime.queue);
    runtime.queue.sendBatch = async (messages) => {
      if (messages.some((message) => message.body.includes(snapshotIdFor(last)))) throw new Error('ENOSPC: no space left on device, write (queue)');
      return sendBatch(messages);
    };
    const putFile = runtime.store.putFile.bind(runtime.store);
    runtime.store.putFile = async (key, path) => {
      if (key.startsWith(LAKE_PREFIXES.silver)) throw new Error(`ENOSPC: no space left on device, write '${key}'`);
      return putFile(key, path);
    };
    const simulator = await startSimulator({ ...SETTINGS, startTime: first });

    // act
    const backfill = await runBackfill({ runtime, simulator, config, end: last, hours: 1, realtime: 'all', io: quietIo }).finally(() => simulator.close());

    // assess
    expect(backfill.status).toBe('failed');
    expect(backfill.snapshots).toEqual([snapshotIdFor(first), snapshotIdFor(last)]);
    expect(backfill.error).toMatch(/^silver failed for 2 snapshots: /);
    expect(backfill.error).toMatch(/; real time: \d+ message\(s\) not published after \d+ attempt\(s\) .*ENOSPC: no space left on device, write \(queue\).*; 1 snapshot\(s\) left for the next run to publish$/);
    expect(await readdir(join(runtime.dataDir, 'queue', 'unpublished'))).toEqual([snapshotIdFor(last)]);
  });
});
