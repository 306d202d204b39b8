import { access, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();
const BACKFILL = ['backfill', '--hours', '1', '--end', '2026-11-29T12:00:00Z', '--channels', '300', '--realtime', 'none'];
/** The line `status` and `query` printed under such an object, though nothing moved it. */
const DAMAGE_FATE = 'bronze: the next cycle moves it to quarantine/corrupt/';
const TYPE_FATE = 'bronze of a column type the bronze view cannot read: only that view leaves it out';

/** Rewrites a bronze object with `select` over its rows, keeping its footer's key-value pairs, as another tool may. */
async function rewriteBronze(path: string, select: string): Promise<void> {
  await withEngine({}, async (engine) => {
    const source = sqlString(duckdbLiteralPath(path));
    const pairs = await engine.all<{ key: string; value: string }>(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${source})`);
    const copy = `${path}.rewritten`;
    await engine.copyToParquet(
      `SELECT ${select} FROM read_parquet(${source}, hive_partitioning = false)`,
      undefined,
      copy,
      Object.fromEntries(pairs.map(({ key, value }) => [key, value])),
    );
    await rename(copy, path);
  });
}

describe('a bronze object another tool wrote with other column types', () => {
  it('is named as left out of the bronze view only, and silver transforms it or sets it aside as the note says', async () => {
    // Prepare: a lake of two snapshots; one bronze object rewritten with a TIMESTAMP start and a
    // DECIMAL count (which the silver model reads), the other with its tags as text (which it does not)
    const dataDir = await dataDirectory();
    const env = cliEnv(dataDir);
    expect((await runCli(BACKFILL, env)).code).toBe(0);
    const folder = join(dataDir, 'lake', 'raw', 'streams', 'dt=2026-11-29');
    const [readable, unreadable] = (await readdir(folder)).sort();
    await rewriteBronze(
      join(folder, readable!),
      '* EXCLUDE (started_at, viewer_count), CAST(started_at AS TIMESTAMP) AS started_at, CAST(viewer_count AS DECIMAL(18,0)) AS viewer_count',
    );
    await rewriteBronze(join(folder, unreadable!), "* EXCLUDE (tags), array_to_string(tags, ',') AS tags");

    // Act
    const status = await runCli(['status'], env);
    const query = await runCli(['query', 'SELECT count(*) AS n FROM bronze_streams', '--format', 'csv'], env);
    const rebuild = await runCli(['rebuild'], env);
    const snapshot = readable!.replace('.parquet', '');
    const silver = await runCli(['query', `SELECT count(*) AS n FROM silver_streams WHERE id_snapshot = '${snapshot}'`, '--format', 'csv'], env);
    const [bronze] = await withEngine({}, (engine) => engine.all<{ n: number }>(`SELECT count(*) AS n FROM read_parquet(${sqlString(duckdbLiteralPath(join(folder, readable!)))})`));

    // Assess: both are named with the note on a column type, and none says damage moves them
    for (const result of [status.stdout, query.stderr]) {
      expect(result).toContain(`raw/streams/dt=2026-11-29/${readable}: column started_at is TIMESTAMP`);
      expect(result).toContain(`raw/streams/dt=2026-11-29/${unreadable}: column tags is VARCHAR`);
      expect(result).toContain(TYPE_FATE);
      expect(result).not.toContain(DAMAGE_FATE);
    }
    expect(query.stdout).toBe('n\n0\n');
    // Assess: rebuild transforms the one the model reads, leaving it in place, and sets the other aside
    expect(rebuild.code).toBe(0);
    await expect(access(join(folder, readable!))).resolves.toBeUndefined();
    await expect(access(join(dataDir, 'lake', 'quarantine', 'corrupt', 'raw', 'streams', 'dt=2026-11-29', unreadable!))).resolves.toBeUndefined();
    expect(silver.stdout).toBe(`n\n${bronze!.n}\n`);
  });
});
