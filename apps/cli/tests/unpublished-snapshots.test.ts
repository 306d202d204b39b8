import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { type PipelineConfig, snapshotIdFor } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { CycleInterrupted, scheduledTime } from '../src/runtime/cycle';
import type { LocalRuntime } from '../src/runtime/local-runtime';
import { cycleOnSimulator, useFreshRuntimes } from './support/local-runtime';
import type { SimulatorSettings } from '../src/runtime/source';

const SETTINGS: SimulatorSettings = { channels: 300, seed: 11, requestsPerMinute: 1_000_000 };
const freshRuntime = useFreshRuntimes();

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
});
