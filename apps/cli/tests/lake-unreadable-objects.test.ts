import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetFileProblem, withEngine } from '@twitch-pipeline/duckdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { damagedDataOf } from '../src/lake/lake-views';
import { LakeSession } from '../src/lake/lake-session';
import { damagePages, writeGoldPartitions } from './support/damaged-parquet';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

const EMPTY = 'silver/streams/dt=2026-11-29/20261129T153000Z.parquet';
const TORN = 'gold/streamers_diario/dt=2026-11-29/part-0.parquet';

let dataDir: string;

describe('lake views over unreadable objects', () => {
  // Each test gets its own lake: one of them repairs an object, which would change the counts
  // the others expect.
  beforeEach(async () => {
    // Prepare: one readable silver object, one empty silver object and one torn gold partition.
    dataDir = await temporaryDataDir();
    const lake = join(dataDir, 'lake');
    const good = join(lake, 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet');
    await mkdir(join(lake, 'silver/streams/dt=2026-11-29'), { recursive: true });
    await mkdir(join(lake, 'gold/streamers_diario/dt=2026-11-29'), { recursive: true });
    await withEngine({}, (engine) => engine.copyToParquet("SELECT 'stream-' || i AS id_stream, i AS espectadores FROM range(3) t(i)", undefined, good));
    await writeFile(join(lake, EMPTY), '');
    await writeFile(join(lake, TORN), Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(40, 7)]));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('open over the readable objects and name the bad ones', async () => {
    // Act: an empty silver file used to make every query fail, even SELECT 1.
    const named: string[] = [];
    const session = await LakeSession.open(dataDir, { onBadObjects: (bad) => named.push(...bad.map((object) => object.key)) });
    const one = await session.query('SELECT 1 AS one');
    const silver = await session.query('SELECT count(*) AS n FROM silver_streams');
    const gold = await session.query('SELECT count(*) AS n FROM gold_streamers_diario');
    const bad = session.badObjects;
    await session.close();

    // Assess
    expect(one.rows).toEqual([[1]]);
    expect(silver.rows).toEqual([[3]]);
    expect(gold.rows).toEqual([[0]]);
    expect(named.sort()).toEqual([TORN, EMPTY].sort());
    expect(bad.find((object) => object.key === EMPTY)?.reason).toBe('empty file (0 bytes)');
    expect(bad.find((object) => object.key === TORN)?.reason).toMatch(/^truncated or torn/);
  });

  it('keep query, status and dashboard answering, each naming the bad objects', async () => {
    // Prepare
    const env = cliEnv(dataDir);

    // Act
    const query = await runCli(['query', 'SELECT count(*) AS n FROM silver_streams', '--format', 'csv'], env);
    const status = await runCli(['status'], env);
    const dashboard = await runCli(['dashboard', '--out', join(dataDir, 'page.html')], env);

    // Assess
    expect(query).toMatchObject({ code: 0 });
    expect(query.stdout).toContain('3');
    expect(query.stderr).toContain(EMPTY);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${EMPTY}: empty file (0 bytes)`);
    expect(status.stdout).toContain(TORN);
    expect(dashboard.code).toBe(0);
    expect(dashboard.stderr).toContain(TORN);
  });

  it('checks an object again once it changes, though verdicts are cached in the data directory', async () => {
    // Prepare: opening the lake caches the verdicts, then the empty silver object is repaired (rewritten whole).
    const lake = join(dataDir, 'lake');
    const first = await LakeSession.open(dataDir, { onBadObjects: () => {} });
    const badBefore = first.badObjects.map((object) => object.key);
    await first.close();
    const cachedBefore = await readFile(join(dataDir, 'cache', 'lake-objects.json'), 'utf8');
    await copyFile(join(lake, 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet'), join(lake, EMPTY));

    // Act
    const session = await LakeSession.open(dataDir, { onBadObjects: () => {} });
    const silver = await session.query('SELECT count(*) AS n FROM silver_streams');
    const bad = session.badObjects.map((object) => object.key);
    await session.close();

    // Assess
    expect(badBefore.sort()).toEqual([TORN, EMPTY].sort());
    expect(cachedBefore).toContain(EMPTY);
    expect(await readFile(join(dataDir, 'cache', 'lake-objects.json'), 'utf8')).toContain(TORN);
    expect(bad).toEqual([TORN]);
    expect(silver.rows).toEqual([[6]]);
  });
});

describe('lake views over an object of other column types', () => {
  it('leave out a file whose column the view could not read, and keep one an implicit cast reads', async () => {
    // Prepare: a pipeline-shaped partition, a file another tool wrote under a gold key (text
    // hours, a numeric category) and one with hours of a narrower type, as an older writer's.
    const folder = await temporaryDataDir();
    const table = join(folder, 'lake', 'gold', 'categorias_diario');
    const files = { good: 'dt=2026-11-29', foreign: 'dt=2026-12-07', narrower: 'dt=2026-11-30' };
    for (const dt of Object.values(files)) await mkdir(join(table, dt), { recursive: true });
    await withEngine({}, async (engine) => {
      await engine.copyToParquet("SELECT 'Just Chatting' AS nome_categoria, 10.5::DOUBLE AS horas_assistidas", undefined, join(table, files.good, 'part-0.parquet'));
      await engine.copyToParquet("SELECT 42 AS nome_categoria, 'lots' AS horas_assistidas", undefined, join(table, files.foreign, 'part-0.parquet'));
      await engine.copyToParquet("SELECT 'Rust' AS nome_categoria, 2::FLOAT AS horas_assistidas", undefined, join(table, files.narrower, 'part-0.parquet'));
    });

    // Act
    const session = await LakeSession.open(folder, { onBadObjects: () => {} });
    const hours = await session.query('SELECT sum(horas_assistidas) AS horas, count(*) AS n FROM gold_categorias_diario');
    const bad = session.badObjects;
    await session.close();
    const saved = await runCli(['query', '--saved', 'top_categories_by_hours', '--format', 'csv'], cliEnv(folder));

    // Assess: the sum reads the two files the view can type, and the third is named
    expect(hours.rows).toEqual([[12.5, 2]]);
    expect(bad).toEqual([
      {
        key: `gold/categorias_diario/${files.foreign}/part-0.parquet`,
        reason: 'column nome_categoria is INTEGER, which the view\'s VARCHAR cannot read (not written by this pipeline)',
      },
    ]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toContain(`gold/categorias_diario/${files.foreign}/part-0.parquet: column nome_categoria is INTEGER`);
    await rm(folder, { recursive: true, force: true });
  });
});

describe('lake views over an object whose data is damaged behind a sound footer', () => {
  it('leave the object out and name it once a query reads its damaged page, and the query runs again', async () => {
    // prepare: three gold partitions whose footers read; in one, bytes before its footer are
    // flipped (a page that does not decompress); in another, its first page's header
    const folder = await temporaryDataDir();
    const table = join(folder, 'lake', 'gold', 'streamers_diario');
    const damaged = 'gold/streamers_diario/dt=2026-11-30/part-0.parquet';
    const header = 'gold/streamers_diario/dt=2026-12-01/part-0.parquet';
    const partitions = ['dt=2026-11-29', 'dt=2026-11-30', 'dt=2026-12-01'].map((dt) => join(table, dt, 'part-0.parquet'));
    await writeGoldPartitions(partitions);
    const path = join(folder, 'lake', damaged);
    const bytes = await damagePages(path, 'data');
    await damagePages(join(folder, 'lake', header), 'header');
    expect([await parquetFileProblem(path), await parquetFileProblem(join(folder, 'lake', header))]).toEqual([undefined, undefined]);

    // act
    const named: string[] = [];
    const session = await LakeSession.open(folder, { onBadObjects: (bad) => named.push(...bad.map((object) => `${object.key}: ${object.reason}`)) });
    const namedAtOpen = named.length;
    const hours = await session.query('SELECT count(*) AS n, sum(horas_assistidas) AS horas, max(nome_streamer) AS m FROM gold_streamers_diario');
    await session.close();
    const again = await LakeSession.open(folder, { onBadObjects: () => {} });
    const badAgain = again.badObjects.map((object) => object.key);
    await again.close();

    // assess: the first query answers from the sound partition alone, and the next session
    // leaves the damaged one out from the start
    expect(namedAtOpen).toBe(0);
    expect(hours.rows).toEqual([[5000, 12497500, 'canal-9xxxxxxxxx']]);
    expect(named.sort()).toEqual([damaged, header].map((key) => expect.stringMatching(new RegExp(`^${key}: unreadable data: `))));
    expect(badAgain.sort()).toEqual([damaged, header]);
    expect((await stat(path)).size).toBe(bytes.length);
    await rm(folder, { recursive: true, force: true });
  });
});

describe('lake views over one object whose page does not decompress', () => {
  it('read whole only the object DuckDB named, not the rest of the lake', async () => {
    // prepare: two gold partitions; the later one's bytes before its footer flipped
    const folder = await temporaryDataDir();
    const table = join(folder, 'lake', 'gold', 'streamers_diario');
    const partitions = ['dt=2026-11-29', 'dt=2026-11-30'].map((dt) => join(table, dt, 'part-0.parquet'));
    await writeGoldPartitions(partitions);
    const damaged = partitions[1]!;
    await damagePages(damaged, 'data');

    // act
    const session = await LakeSession.open(folder, { onBadObjects: () => {} });
    const hours = await session.query('SELECT sum(horas_assistidas) AS horas, max(nome_streamer) AS m FROM gold_streamers_diario');
    await session.close();

    // assess: the verdicts say which objects were read whole
    const verdicts = JSON.parse(await readFile(join(folder, 'cache', 'lake-objects.json'), 'utf8')) as Record<string, { whole?: boolean; problem?: string }>;
    expect(hours.rows).toEqual([[12497500, 'canal-9xxxxxxxxx']]);
    expect(verdicts[damaged]).toMatchObject({ whole: true, problem: expect.stringMatching(/^unreadable data: .*Snappy/) });
    expect(verdicts[join(table, 'dt=2026-11-29', 'part-0.parquet')]?.whole).toBeUndefined();
    await rm(folder, { recursive: true, force: true });
  });
});

describe('damagedDataOf', () => {
  it("takes a damaged page of the lake's files for one, and no failure of a file elsewhere or of the query itself", () => {
    // prepare
    const lake = '/data/lake';
    const failures = [
      'Invalid Input Error: Failed to read file "/data/lake/gold/streamers_diario/dt=2026-11-29/part-0.parquet": Snappy decompression failure',
      'Invalid Error: TProtocolException: Invalid data',
      "Invalid Error: don't know what type: ",
      'Invalid Input Error: Failed to read file "/home/me/export.parquet": Snappy decompression failure',
      'Invalid Input Error: Failed to read file "/data/lake-old/gold/x.parquet": Snappy decompression failure',
      'Invalid Input Error: the data looks corrupt',
      'Conversion Error: Could not convert string \'x\' to INT32',
    ];

    // act
    const verdicts = failures.map((message) => damagedDataOf(new Error(message), lake));

    // assess: a file named is the one to read whole; with none named, every file is
    expect(verdicts).toEqual([{ path: '/data/lake/gold/streamers_diario/dt=2026-11-29/part-0.parquet' }, {}, {}, undefined, undefined, undefined, undefined]);
  });
});
