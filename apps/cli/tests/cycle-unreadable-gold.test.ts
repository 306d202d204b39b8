import { readFile, } from 'node:fs/promises';
import { parquetDataProblem, withEngine } from '@twitch-pipeline/duckdb';
import { describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import type { SimulatorSettings } from '../src/runtime/source';
import { damagePages } from './support/damaged-parquet';
import { cycleOnSimulator, useFreshRuntimes } from './support/local-runtime';

const freshRuntime = useFreshRuntimes();
const SETTINGS: SimulatorSettings = { channels: 300, seed: 13, requestsPerMinute: 1_000_000 };
const PARTITION = 'gold/streams_diario/dt=2026-11-27/part-0.parquet';

describe('a cycle after a query found a gold partition damaged', () => {
  it('sets the partition aside and rebuilds its date, though the cycle collects another', async () => {
    // prepare: a cycle writes the partition; bytes before its footer are flipped, and a query
    // reaching them leaves it out of the view
    const { config, runtime } = await freshRuntime();
    await cycleOnSimulator(config, runtime, SETTINGS, new Date('2026-11-27T12:00:00Z'));
    const path = runtime.store.pathOf(PARTITION);
    const damaged = await damagePages(path, 'data');
    const session = await LakeSession.open(config.dataDir, { onBadObjects: () => {} });
    await session.query('SELECT count(*), max(hash(COLUMNS(*))) FROM gold_streams_diario');
    const leftOut = session.badObjects.map((object) => object.key);
    await session.close();

    // act: two days later, so that no silver object of this cycle changes 2026-11-27
    const { lines, failure } = await cycleOnSimulator(config, runtime, SETTINGS, new Date('2026-11-29T12:00:00Z'));

    // assess
    expect(leftOut).toEqual([PARTITION]);
    expect(failure).toBeUndefined();
    expect(lines.find((line) => line.startsWith('gold '))).toContain(`unreadable ${PARTITION} (unreadable data: `);
    expect(await withEngine({}, (engine) => parquetDataProblem(path, engine))).toBeUndefined();
    expect(await readFile(runtime.store.pathOf(`quarantine/corrupt/${PARTITION}`))).toEqual(damaged);
    const rows = await LakeSession.open(config.dataDir).then(async (again) => {
      const result = await again.query("SELECT count(*) FROM gold_streams_diario WHERE dt = DATE '2026-11-27'");
      await again.close();
      return result.rows;
    });
    expect(rows).toEqual([[expect.any(Number)]]);
    expect(rows[0]![0]).toBeGreaterThan(0);
  });
});
