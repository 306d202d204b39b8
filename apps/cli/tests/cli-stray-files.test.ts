import { copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const DATE = '2026-11-20';
const COUNTS = 'SELECT (SELECT count(*) FROM silver_streams) AS silver, (SELECT count(*) FROM gold_streams_diario) AS gold, (SELECT count(*) FROM silver_streams WHERE id_stream IS NULL) AS blank';
const BACKFILL = ['backfill', '--hours', '1', '--end', `${DATE}T12:00:00Z`, '--channels', '100', '--realtime', 'none'];

interface Status {
  freshness: { bronze: string; bronzeSnapshots: number; goldLatestDate: string; outdatedObjects: string[]; strayFiles: string[] };
}

const dataDirectory = useTemporaryDataDirs();
let collected: string;

/** A copy of the collected data directory with `files` (lake keys) written into its lake. */
async function lakeWith(files: Record<string, string>): Promise<string> {
  const dataDir = await dataDirectory();
  await cp(collected, dataDir, { recursive: true });
  for (const [key, text] of Object.entries(files)) {
    await mkdir(join(dataDir, 'lake', key, '..'), { recursive: true });
    await writeFile(join(dataDir, 'lake', key), text);
  }
  return dataDir;
}

beforeAll(async () => {
  collected = await dataDirectory();
  jsonOf(await runCli([...BACKFILL, '--json'], cliEnv(collected)));
});

describe('files in the lake that no step wrote', () => {
  it('leave bronze and gold freshness as they are, and status names them', async () => {
    // Prepare: the lake's objects sort before a note or a file manager's index in the same folder.
    const stray = [`gold/streams_diario/notes.txt`, 'raw/streams/.DS_Store', `raw/streams/dt=${DATE}/notes.txt`];
    const env = cliEnv(await lakeWith(Object.fromEntries(stray.map((key) => [key, 'hi\n']))));

    // Act
    const text = await runInProcess(['status'], env);
    const { freshness } = jsonOf<Status>(await runInProcess(['status', '--json'], env));

    // Assess
    expect(freshness).toMatchObject({ bronze: `${DATE}T12:00:00Z`, bronzeSnapshots: 2, goldLatestDate: DATE, strayFiles: stray });
    expect(text.stdout).toMatch(new RegExp(`bronze\\s+latest snapshot ${DATE}T12:00:00Z .*, 2 snapshots`));
    expect(text.stdout).toMatch(new RegExp(`gold\\s+latest date ${DATE}`));
    expect(text.stdout).toContain(`note: 3 other file(s) in the lake, read by no view and left as they are: ${stray.join(', ')}\n`);
  });

  it('are named five at a time in status, every one in status --json', async () => {
    // Prepare
    const stray = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => `raw/streams/dt=${DATE}/${name}.txt`);
    const env = cliEnv(await lakeWith(Object.fromEntries(stray.map((key) => [key, 'hi\n']))));

    // Act
    const text = await runInProcess(['status'], env);
    const { freshness } = jsonOf<Status>(await runInProcess(['status', '--json'], env));

    // Assess
    expect(freshness.strayFiles).toEqual(stray);
    expect(text.stdout).toContain(`${stray.slice(0, 5).join(', ')} and 2 more (\`status --json\` lists them all)`);
  });

  it('are named in status without the escape sequences their names hold, as is an unreadable run record', async () => {
    // prepare: a name that would retitle the terminal, and a run record whose parse error quotes a screen-clearing text
    const stray = 'raw/streams/\u001b]0;PWNED\u0007notes\u001b[41m.txt';
    const dataDir = await lakeWith({ [stray]: 'hi\n' });
    await writeFile(join(dataDir, 'runs', '99991231T000000Z-cycle-\u001b[2J.json'), '\u001b[2J');

    // act
    const text = await runInProcess(['status'], cliEnv(dataDir));
    const { freshness } = jsonOf<Status>(await runInProcess(['status', '--json'], cliEnv(dataDir)));

    // assess
    expect(freshness.strayFiles).toEqual([stray]);
    expect(text.stdout).toContain('left as they are: raw/streams/notes.txt\n');
    expect(text.stdout).toContain('1 unreadable run record(s) skipped: 99991231T000000Z-cycle-.json (not JSON (Unexpected token');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(text.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('in a silver or gold partition are read by no view and taken for no other model version', async () => {
    // Prepare: a gold partition backed up beside itself, and a query's export saved among silver's snapshots.
    const gold = `gold/streams_diario/dt=${DATE}/backup.parquet`;
    const silver = `silver/streams/dt=${DATE}/my_export.parquet`;
    const dataDir = await lakeWith({});
    await copyFile(join(dataDir, 'lake', `gold/streams_diario/dt=${DATE}/part-0.parquet`), join(dataDir, 'lake', gold));
    await withEngine({}, (engine) => engine.copyToParquet('SELECT 1 AS x', undefined, join(dataDir, 'lake', silver)));
    const env = cliEnv(dataDir);

    // Act
    const [before] = jsonOf<{ silver: number; gold: number; blank: number }[]>(await runInProcess(['query', COUNTS, '--json'], cliEnv(collected)));
    const query = await runInProcess(['query', COUNTS, '--json'], env);
    const status = await runInProcess(['status'], env);
    const { freshness } = jsonOf<Status>(await runInProcess(['status', '--json'], env));

    // Assess
    expect(jsonOf<unknown[]>(query)).toEqual([before]);
    expect(Number(before!.gold)).toBeGreaterThan(0);
    expect(Number(before!.blank)).toBe(0);
    expect(query.stderr).not.toContain('another version');
    expect(status.stdout).not.toContain('another version');
    expect(freshness).toMatchObject({ outdatedObjects: [], strayFiles: [gold, silver] });
    expect(status.stdout).toContain(`note: 2 other file(s) in the lake, read by no view and left as they are: ${gold}, ${silver}\n`);
  });

  it('are left where they are by a cycle, even one that is no Parquet at all', async () => {
    // Prepare
    const stray = `silver/streams/dt=${DATE}/notes.parquet`;
    const dataDir = await lakeWith({ [stray]: 'not parquet' });

    // Act
    const cycle = await runCli(['run', '--at', `${DATE}T12:30:00Z`, '--channels', '100'], cliEnv(dataDir));
    const { freshness } = jsonOf<Status>(await runInProcess(['status', '--json'], cliEnv(dataDir)));

    // Assess
    expect(cycle.code).toBe(0);
    expect(freshness.strayFiles).toEqual([stray]);
  });
});
