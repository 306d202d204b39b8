import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { duckdbLiteralPath, loadConfig } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { runBackfill } from '../src/runtime/backfill';
import { openLocalRuntime } from '../src/runtime/local-runtime';
import { type SimulatorSettings, startSimulator } from '../src/runtime/source';

const SETTINGS: SimulatorSettings = { channels: 300, seed: 9, requestsPerMinute: 1_000_000 };
const END = new Date('2026-11-29T23:00:00Z');
const HOURS = 4;
const quietIo = { out: () => {}, drained: async () => {}, err: () => {}, interactive: false };
const directories: string[] = [];

afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

/** A backfill into a fresh data directory, with `workers` extract workers beside the main thread. */
async function backfillWith(workers: number) {
  const dataDir = await mkdtemp(join(tmpdir(), 'backfill-lanes-'));
  directories.push(dataDir);
  const config = loadConfig({ PIPELINE_DATA_DIR: dataDir, PIPELINE_TIMEZONE: 'UTC' });
  const { runtime } = await openLocalRuntime(config);
  const simulator = await startSimulator({ ...SETTINGS, startTime: END });
  try {
    const record = await runBackfill({ runtime, simulator, config, end: END, hours: HOURS, realtime: 'all', io: quietIo, workers: { count: workers, settings: SETTINGS } });
    return { record, lake: join(dataDir, 'lake') };
  } finally {
    await simulator.close();
  }
}

/** Every row of a lake layer as text, sorted. */
function rowsOf(lake: string, prefix: string): Promise<string[]> {
  return withEngine({}, async (engine) =>
    (await engine.all<{ row: string }>(`SELECT t::VARCHAR AS row FROM read_parquet(${sqlString(`${duckdbLiteralPath(lake)}/${prefix}/**/*.parquet`)}, hive_partitioning = false) t ORDER BY row`)).map(
      ({ row }) => row,
    ),
  );
}

describe('runBackfill on several lanes', () => {
  it('lands the same bronze, silver and gold, and records the same run, as one lane', async () => {
    // prepare
    const single = await backfillWith(0);
    // act
    const parallel = await backfillWith(1);
    // assess
    expect(parallel.record.status).toBe('ok');
    expect(parallel.record.snapshots).toEqual(single.record.snapshots);
    expect(parallel.record.snapshots).toHaveLength(HOURS * 2);
    expect(parallel.record.rows).toEqual(single.record.rows);
    expect([parallel.record.published, parallel.record.consumed]).toEqual([single.record.published, single.record.consumed]);
    for (const prefix of ['raw/streams', 'silver/streams', 'gold/streams_diario']) {
      const expected = await rowsOf(single.lake, prefix);
      expect(expected.length).toBeGreaterThan(0);
      expect(await rowsOf(parallel.lake, prefix)).toEqual(expected);
    }
  });
});
