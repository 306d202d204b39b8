import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

const EMPTY_SILVER = 'silver/streams/dt=2026-11-29/20261129T153000Z.parquet';

let dataDir: string;

beforeAll(async () => {
  // prepare: a readable gold partition and an unreadable (empty) silver object
  dataDir = await temporaryDataDir();
  const lake = join(dataDir, 'lake');
  await mkdir(join(lake, 'silver/streams/dt=2026-11-29'), { recursive: true });
  await mkdir(join(lake, 'gold/streamers_diario/dt=2026-11-29'), { recursive: true });
  await withEngine({}, (engine) =>
    engine.copyToParquet("SELECT 'canal-' || i AS nome_streamer, i::DOUBLE AS horas_assistidas FROM range(2) t(i)", undefined, join(lake, 'gold/streamers_diario/dt=2026-11-29/part-0.parquet')),
  );
  await writeFile(join(lake, EMPTY_SILVER), '');
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the lake views a query reads', () => {
  it('are the only ones listed and checked: a query of gold neither opens nor names silver', async () => {
    // act
    const gold = await runCli(['query', 'SELECT count(*) AS n FROM gold_streamers_diario', '--format', 'csv'], cliEnv(dataDir));
    const silver = await runCli(['query', 'SELECT count(*) AS n FROM Silver_Streams', '--format', 'csv'], cliEnv(dataDir));

    // assess
    expect(gold).toMatchObject({ code: 0, stdout: 'n\n2\n' });
    expect(gold.stderr).not.toContain(EMPTY_SILVER);
    expect(silver).toMatchObject({ code: 0, stdout: 'n\n0\n' });
    expect(silver.stderr).toContain(`${EMPTY_SILVER}: empty file (0 bytes)`);
  });

  it('are created when a later statement of the session first reads them, naming what they leave out', async () => {
    // prepare
    const named: string[] = [];
    const session = await LakeSession.open(dataDir, { reads: [], onBadObjects: (bad) => named.push(...bad.map((object) => object.key)) });

    // act
    const before = [...named];
    const silver = await session.query('SELECT count(*) AS n FROM silver_streams');
    await session.close();

    // assess
    expect(before).toEqual([]);
    expect(silver.rows).toEqual([[0]]);
    expect(named).toEqual([EMPTY_SILVER]);
  });

  it.each([
    ['information_schema', 'SELECT table_name AS name FROM information_schema.tables ORDER BY 1'],
    ['SHOW', 'SHOW'],
    ['sqlite_master', 'SELECT name FROM sqlite_master ORDER BY 1'],
  ])('are all there for a statement that lists the catalog (%s)', async (_name, sql) => {
    // act
    const tables = await runCli(['query', sql, '--format', 'csv'], cliEnv(dataDir));

    // assess
    expect(tables.code).toBe(0);
    for (const view of LakeSession.views) expect(tables.stdout).toMatch(new RegExp(`(^|[\n,])${view.name}([\n,]|$)`));
  });

  it('is created for a statement that reaches it without naming it, which then runs again', async () => {
    // act
    const dynamic = await runCli(['query', "SELECT count(*) AS n FROM query_table('gold_' || 'streamers_diario')", '--format', 'csv'], cliEnv(dataDir));

    // assess
    expect(dynamic).toMatchObject({ code: 0, stdout: 'n\n2\n' });
  });
});
