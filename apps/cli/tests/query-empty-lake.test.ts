import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

let dataDir: string;

beforeEach(async () => {
  dataDir = await temporaryDataDir();
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a query that finds no rows', () => {
  it('says the lake is empty, and how to fill it, when nothing has run in that data directory', async () => {
    // prepare: the folder exists (one that does not is refused: cli-missing-data-dir.test.ts)
    const neverRun = join(dataDir, 'never-run');
    await mkdir(neverRun);

    // act
    const result = await runCli(['query', '--saved', 'top_categories_by_hours'], cliEnv(neverRun));

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ nome_categoria │[\s\S]*\n0 rows\n$/);
    expect(result.stderr).toBe(
      `  the lake in ${join(dataDir, 'never-run')} is empty: run \`npm start\` (the demo) or \`twitch-pipeline run\` first, ` +
        'or point PIPELINE_DATA_DIR at the data directory they wrote\n',
    );
  });

  it('says nothing more when the lake has data and the query matched none of it', async () => {
    // prepare
    const env = cliEnv(dataDir);
    const backfill = await runCli(['backfill', '--hours', '1', '--end', '2026-11-29T12:00:00Z', '--channels', '200', '--realtime', 'none', '--json'], env);
    expect(backfill.code).toBe(0);

    // act
    const result = await runCli(['query', "SELECT nome_streamer FROM silver_streams WHERE nome_streamer = 'nobody'"], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\n0 rows\n$/);
    expect(result.stderr).toBe('');
  });
});
