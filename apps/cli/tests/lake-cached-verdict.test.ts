import { mkdir, open, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlFileList, withEngine } from '@twitch-pipeline/duckdb';
import { MODEL_VERSION_KEY, silverModelVersion } from '@twitch-pipeline/pipeline';
import { describe, expect, it } from 'vitest';
import { describeBadObjects } from '../src/lake/lake-object-check';
import { LakeSession } from '../src/lake/lake-session';
import { LakeViews, unreadableFileOf } from '../src/lake/lake-views';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const SOUND = 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet';
const GOLD = 'gold/streamers_diario/dt=2026-11-29/part-0.parquet';
/** Whole seconds, so that a time set again is the same to the nanosecond (the version a verdict is kept with). */
const WRITTEN_AT = 1_796_000_000;

const dataDirectory = useTemporaryDataDirs();

/** A silver key of its own per test: a warning text is written once per process. */
const silverKey = (snapshot: string) => `silver/streams/dt=2026-11-29/20261129T${snapshot}Z.parquet`;

/** A lake of silver objects (`SOUND` and `keys`, 3 rows each) and a gold partition (2 rows), every verdict cached readable by a first command. */
async function checkedLake(keys: readonly string[]): Promise<string> {
  const dataDir = await dataDirectory();
  await withEngine({}, async (engine) => {
    for (const key of [SOUND, ...keys]) {
      const path = join(dataDir, 'lake', key);
      await mkdir(dirname(path), { recursive: true });
      // Of this version of the models: one of another version without bronze would be named by the note on outdated silver.
      await engine.copyToParquet("SELECT 'stream-' || i AS id_stream, i AS espectadores FROM range(3) t(i)", undefined, path, {
        [MODEL_VERSION_KEY]: silverModelVersion(),
      });
      await utimes(path, WRITTEN_AT, WRITTEN_AT);
    }
    await mkdir(dirname(join(dataDir, 'lake', GOLD)), { recursive: true });
    await engine.copyToParquet("SELECT 'canal-' || i AS nome_streamer, i::DOUBLE AS horas_assistidas FROM range(2) t(i)", undefined, join(dataDir, 'lake', GOLD));
  });
  expect(await runInProcess(['query', 'SELECT count(*) FROM silver_streams', '--format', 'csv'], cliEnv(dataDir))).toMatchObject({ code: 0 });
  return dataDir;
}

/** Damage that keeps size and time (bit rot, a restore that kept timestamps): the trailing magic overwritten in place, the time set back. */
async function damageKeepingTime(path: string): Promise<void> {
  const before = await stat(path, { bigint: true });
  const file = await open(path, 'r+');
  await file.write(Buffer.from('XXXX'), 0, 4, Number(before.size) - 4);
  await file.close();
  await utimes(path, WRITTEN_AT, WRITTEN_AT);
  expect(await stat(path, { bigint: true })).toMatchObject({ size: before.size, mtimeNs: before.mtimeNs, ino: before.ino });
}

describe('a lake file cached readable that turns unreadable with its size and time kept', () => {
  it.each([
    { command: 'a query of its table', args: ['query', 'SELECT count(*) AS n FROM silver_streams', '--format', 'csv'], snapshot: '160000', out: 'n\n3\n' },
    { command: 'query --list', args: ['query', '--list'], snapshot: '163000', out: 'silver_streams' },
    { command: 'status', args: ['status'], snapshot: '170000', out: 'Freshness' },
  ])('$command answers from the other files and names it', async ({ args, snapshot, out }) => {
    // prepare
    const key = silverKey(snapshot);
    const dataDir = await checkedLake([key]);
    await damageKeepingTime(join(dataDir, 'lake', key));

    // act
    const result = await runInProcess(
      args,
      cliEnv(dataDir),
    );

    // assess: status names it on stdout, the others on stderr
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(out);
    expect(`${result.stdout}${result.stderr}`).toContain(`${key}: truncated or torn: no PAR1 magic at the end`);
  });

  it('answers a query of another table without opening it, and names it on the first query that does', async () => {
    // prepare: files of one schema are read by the first one's columns, so no view opens them all up front
    const key = silverKey('153000');
    const dataDir = await checkedLake([key]);
    await damageKeepingTime(join(dataDir, 'lake', key));

    // act
    const gold = await runInProcess(['query', 'SELECT count(*) AS n FROM gold_streamers_diario', '--format', 'csv'], cliEnv(dataDir));
    const dashboard = await runInProcess(['dashboard', '--out', join(dataDir, 'page.html')], cliEnv(dataDir));
    const silver = await runInProcess(['query', 'SELECT count(*) AS n FROM silver_streams', '--format', 'csv'], cliEnv(dataDir));

    // assess: the dashboard reads gold, the real-time table and the lake's listing, never silver's objects
    expect(gold).toMatchObject({ code: 0, stdout: 'n\n2\n' });
    expect(dashboard.code).toBe(0);
    expect(`${gold.stderr}${dashboard.stderr}`).not.toContain(key);
    expect(silver).toMatchObject({ code: 0, stdout: 'n\n3\n' });
    expect(silver.stderr).toContain(`${key}: truncated or torn: no PAR1 magic at the end`);
  });

  it('leaves it out of a session whose views were created before, and runs the query again', async () => {
    // prepare: damaged after the views were created, with a time of its own (DuckDB serves a file
    // it read before from its own cache while the file's time stays)
    const key = silverKey('173000');
    const dataDir = await checkedLake([key]);
    const named: string[] = [];
    const session = await LakeSession.open(dataDir, { onBadObjects: (bad) => named.push(...bad.map((object) => object.key)) });
    await damageKeepingTime(join(dataDir, 'lake', key));
    await utimes(join(dataDir, 'lake', key), WRITTEN_AT + 1, WRITTEN_AT + 1);

    // act
    const silver = await session.query('SELECT count(*) AS n FROM silver_streams');
    const left = session.badObjects.map((object) => object.key);
    await session.close();

    // assess
    expect(silver.rows).toEqual([[3]]);
    expect(named).toEqual([key]);
    expect(left).toEqual([key]);
  });

  it("fails as DuckDB does once the file checked again is left out, and on a user's own file outside the lake", async () => {
    // prepare: the query names the lake file itself, which no check can leave out of it
    const key = silverKey('180000');
    const dataDir = await checkedLake([key]);
    const outside = join(dataDir, 'mine.parquet');
    await withEngine({}, (engine) => engine.copyToParquet('SELECT 1 AS one', undefined, outside));
    await utimes(outside, WRITTEN_AT, WRITTEN_AT);
    await damageKeepingTime(join(dataDir, 'lake', key));
    await damageKeepingTime(outside);
    const named: string[] = [];
    const session = await LakeSession.open(dataDir, { onBadObjects: (bad) => named.push(...bad.map((object) => object.key)) });

    // act
    const own = await session.query(`SELECT count(*) FROM read_parquet(${sqlFileList([outside])})`).catch((error: Error) => error);
    const direct = await session.query(`SELECT count(*) FROM read_parquet(${sqlFileList([join(dataDir, 'lake', key)])})`).catch((error: Error) => error);
    await session.close();

    // assess
    expect(own).toBeInstanceOf(Error);
    expect((own as Error).message).toContain('No magic bytes found at end of file');
    expect((direct as Error).message).toContain('No magic bytes found at end of file');
    expect(named).toEqual([key]);
  });
});

describe('LakeViews', () => {
  it('checks a file an error names once, then lets the error stand, at view creation and for a query', async () => {
    // prepare: an error naming a lake file that checks readable (a passing one), from every
    // statement of one connection, and from a query's only of another
    const dataDir = await checkedLake([]);
    const failure = new Error(`IO Error: Cannot open file "${join(dataDir, 'lake', SOUND)}": Permission denied`);
    let runs = 0;
    const failing = {
      run: async () => {
        runs += 1;
        throw failure;
      },
    } as unknown as DuckDBConnection;
    const sound = { run: async () => {} } as unknown as DuckDBConnection;

    // act
    const created = await new LakeViews(failing, dataDir, () => {}).create().catch((error: Error) => error);
    const views = new LakeViews(sound, dataDir, () => {});
    const first = await views.recoveredFromUnreadableFile(failure);
    const second = await views.recoveredFromUnreadableFile(failure);

    // assess: the view was created twice, and the query may run once more
    expect(created).toBe(failure);
    expect(runs).toBe(2);
    expect([first, second]).toEqual([true, false]);
    expect(views.bad).toEqual([]);
  });
});

describe('unreadableFileOf', () => {
  it("takes a lake file DuckDB could not open or frame, and no failure of a file elsewhere or of the query itself", () => {
    // prepare
    const lake = '/data/lake';
    const failures = [
      'IO Error: Cannot open file "/data/lake/raw/streams/dt=2026-11-29/20261129T150000Z.parquet": Permission denied',
      "Invalid Input Error: No magic bytes found at end of file '/data/lake/silver/streams/dt=2026-11-29/20261129T150000Z.parquet'\n\nLINE 1: CREATE OR REPLACE VIEW silver_streams AS …",
      "Invalid Input Error: Footer length error in file '/data/lake/gold/streamers_diario/dt=2026-11-29/part-0.parquet'",
      "Invalid Input Error: File '/data/lake/gold/streamers_diario/dt=2026-11-30/part-0.parquet' too small to be a Parquet file",
      'IO Error: Cannot open file "/home/me/export.parquet": Permission denied',
      "Invalid Input Error: No magic bytes found at end of file '/data/lake-old/silver/x.parquet'",
      'Invalid Input Error: Failed to read file "/data/lake/gold/streamers_diario/dt=2026-11-29/part-0.parquet": Snappy decompression failure',
      'Binder Error: Referenced column "x" not found in FROM clause!',
    ];

    // act
    const paths = failures.map((message) => unreadableFileOf(new Error(message), lake));

    // assess
    expect(paths).toEqual([
      '/data/lake/raw/streams/dt=2026-11-29/20261129T150000Z.parquet',
      '/data/lake/silver/streams/dt=2026-11-29/20261129T150000Z.parquet',
      '/data/lake/gold/streamers_diario/dt=2026-11-29/part-0.parquet',
      '/data/lake/gold/streamers_diario/dt=2026-11-30/part-0.parquet',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('the warning about unreadable lake objects', () => {
  it('says that the next cycle sets a bad bronze object aside when it changed after its silver, and rebuild otherwise', () => {
    // act
    const text = describeBadObjects([{ key: 'raw/streams/dt=2026-11-29/20261129T150000Z.parquet', reason: 'truncated or torn: no PAR1 magic at the end (394 bytes)' }]);

    // assess
    expect(text).toContain('raw/streams/dt=2026-11-29/20261129T150000Z.parquet: truncated or torn');
    expect(text).toContain("bronze: the next cycle moves it to quarantine/corrupt/, keeping its snapshot's silver and gold, when it changed after that silver");
    expect(text).toContain('one whose time was kept older, only `twitch-pipeline rebuild` moves');
    expect(text).not.toMatch(/next cycle (moves it to quarantine\/corrupt\/ and )?rebuilds/);
  });

  it('says that the next cycle sets a bad silver object aside and rebuilds it, and makes keys terminal-safe', () => {
    // act
    const text = describeBadObjects([{ key: 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet\u001b]0;owned\u0007', reason: 'cannot open: EACCES' }]);

    // assess
    expect(text).toContain('silver/streams/dt=2026-11-29/20261129T150000Z.parquet: cannot open: EACCES');
    expect(text).toContain('silver: the next cycle moves it to quarantine/corrupt/ and rebuilds it from its bronze object');
    expect(text).not.toContain('bronze:');
    expect(text).not.toContain('\u001b');
  });
});
