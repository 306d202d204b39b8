import type { Context } from 'aws-lambda';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, parquetKeyValues, sqlString } from '@twitch-pipeline/duckdb';
import { corruptObjectKey, MODEL_VERSION_KEY, pendingBronzeKeys, silverModelVersion } from '@twitch-pipeline/pipeline';
import { createLogger } from '@twitch-pipeline/observability';
import { bronzeKey, goldKey, LAKE_PREFIXES, quarantineKey, silverKey } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { uploadBronze as uploadBronzeSnapshot } from './support/bronze-upload';
import { createGoldHandler, createSilverHandler, lambdaEngineOptions } from '../src/index';

let s3: S3Emulator;
let store: S3ObjectStore;
let bucket: string;
let bucketCount = 0;

const env = () => ({ LAKE_BUCKET: bucket, PIPELINE_TIMEZONE: 'America/Sao_Paulo', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' });

/** Uploads one bronze snapshot (two streams, one of them listed twice) to the emulated bucket. */
function uploadBronze(collectedAt: string): Promise<string> {
  const streams = [{ id: '1', login: 'ana', viewers: 120 }, { id: '2', login: 'bia', viewers: 30 }, { id: '2', login: 'bia', viewers: 31 }];
  return uploadBronzeSnapshot(store, collectedAt, streams, { startedAt: '2026-11-29T12:00:00Z' });
}

beforeAll(async () => {
  s3 = await startS3Emulator();
});
afterAll(async () => {
  await s3.stop();
});
beforeEach(async () => {
  bucket = `lake-${++bucketCount}`;
  await s3.createBucket(bucket);
  store = new S3ObjectStore(s3.client, bucket);
});

describe('silver and gold handlers on S3', () => {
  it('transform the bronze keys they are given, then rebuild gold for the dates silver touched', async () => {
    // prepare
    const key = await uploadBronze('2026-11-29T15:00:00Z');
    const silver = createSilverHandler({ env: env(), s3: s3.client });
    const gold = createGoldHandler({ env: env(), s3: s3.client });

    // act
    const silverSummary = await silver({ bronzeKeys: [key] });
    const goldSummary = await gold({ dates: silverSummary.dates });

    // assess
    expect(silverSummary).toMatchObject({ dates: ['2026-11-29'], rowsIn: 3, rowsOut: 2, quarantined: 1, failed: [] });
    // 15:00Z is 12:00 in São Paulo: each stream's lead-in (11:30–12:00) is Morning hours, its sample
    // is counted in the Afternoon, so the period-grained tables hold both periods.
    expect(goldSummary).toEqual({
      dates: ['2026-11-29'],
      pendingDates: [],
      failed: [],
      failedLeftOut: 0,
      skipped: [],
      trendsRefreshed: [],
      tables: { streams_diario: 4, streamers_diario: 2, categorias_diario: 1, idiomas_periodo: 2, canais_hora: 4, categorias_canais: 2, tendencias_diario: 3, melhores_horarios: 1 },
      corrupt: { count: 0, keys: [], leftOut: 0 },
      outdated: { count: 0, keys: [], leftOut: 0 },
    });
    const keys = (await store.list('')).map((object) => object.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        silverKey('2026-11-29', '20261129T150000Z'),
        quarantineKey('2026-11-29', '20261129T150000Z', 'silver'),
        goldKey('streams_diario', '2026-11-29'),
        goldKey('idiomas_periodo', '2026-11-29'),
      ]),
    );
    expect(keys.filter((key) => key.startsWith(LAKE_PREFIXES.goldPending))).toEqual([]);
  });

  it('silver starts no object once its deadline is near, and leaves it pending', async () => {
    // prepare
    const key = await uploadBronze('2026-11-29T15:00:00Z');
    const silver = createSilverHandler({ env: env(), s3: s3.client });
    const remaining = [600_000];
    const nearDeadline = { functionName: 'transform-silver', awsRequestId: 'req-1', getRemainingTimeInMillis: () => remaining.shift() ?? 60_000 } as unknown as Context;

    // act
    const summary = await silver({ bronzeKeys: [key] }, nearDeadline);

    // assess
    expect(summary).toMatchObject({ skipped: { count: 1, keys: [key], leftOut: 0 }, processed: { count: 0, keys: [] }, failed: [], dates: [] });
    expect(await pendingBronzeKeys(store)).toEqual([key]);
  });

  it('gold rebuilds a date an earlier run left pending, and starts no date once its deadline is near', async () => {
    // prepare: silver landed, and the gold run that should have followed never did
    const key = await uploadBronze('2026-11-29T15:00:00Z');
    await createSilverHandler({ env: env(), s3: s3.client })({ bronzeKeys: [key] });
    const gold = createGoldHandler({ env: env(), s3: s3.client });
    // Ten minutes left at the start, one minute from then on: less than the two minutes gold keeps back.
    const remaining = [600_000];
    const nearDeadline = { functionName: 'transform-gold', awsRequestId: 'req-1', getRemainingTimeInMillis: () => remaining.shift() ?? 60_000 } as unknown as Context;

    // act
    const stopped = await gold({ dates: [] }, nearDeadline);
    const next = await gold({ dates: [] });

    // assess
    expect(stopped).toMatchObject({ dates: ['2026-11-29'], pendingDates: ['2026-11-29'], skipped: ['2026-11-29'], failed: [] });
    expect(next).toMatchObject({ dates: ['2026-11-29'], pendingDates: ['2026-11-29'], skipped: [], failed: [] });
    expect(next.tables.streams_diario).toBe(4);
    expect(await store.list(LAKE_PREFIXES.goldPending)).toEqual([]);
  });

  it('without keys transforms only the bronze objects that have no silver object yet', async () => {
    // prepare
    await uploadBronze('2026-11-29T15:00:00Z');
    const silver = createSilverHandler({ env: env(), s3: s3.client });
    await silver({});
    await uploadBronze('2026-11-29T15:30:00Z');

    // act
    const next = await silver({});
    const again = await silver(null);

    // assess
    expect(next.processed.keys).toEqual([bronzeKey('2026-11-29', '20261129T153000Z')]);
    expect(again.processed).toEqual({ count: 0, keys: [], leftOut: 0 });
  });

  it('sets a corrupt bronze object aside in S3 with its reason, after the good ones land', async () => {
    // prepare
    const good = await uploadBronze('2026-11-29T15:00:00Z');
    const corrupt = bronzeKey('2026-11-29', '20261129T153000Z');
    await store.put(corrupt, 'PAR1 truncated');
    const silver = createSilverHandler({ env: env(), s3: s3.client });

    // act
    const summary = await silver({ bronzeKeys: [good, corrupt] });

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.corrupt).toEqual({ count: 1, keys: [corrupt], leftOut: 0 });
    expect(new TextDecoder().decode(await store.get(`quarantine/corrupt/${corrupt}`))).toBe('PAR1 truncated');
    expect(JSON.parse(new TextDecoder().decode(await store.get(`quarantine/corrupt/${corrupt}.reason.json`)))).toMatchObject({ key: corrupt, reason: expect.stringMatching(/^truncated/) });
    expect(await store.exists(corrupt)).toBe(false);
    expect(await store.exists(silverKey('2026-11-29', '20261129T150000Z'))).toBe(true);
  });

  it('sets aside a bronze object no run can transform, after the others landed, and returns it among the corrupt ones', async () => {
    // prepare: a whole Parquet object of bronze's name whose columns are not bronze's
    const good = await uploadBronze('2026-11-29T15:00:00Z');
    const alien = bronzeKey('2026-11-29', '20261129T153000Z');
    const directory = await mkdtemp(join(tmpdir(), 'alien-'));
    const engine = await DuckDbEngine.open();
    await engine.copyToParquet("SELECT 'x' AS id, '2026-11-29 15:30:00'::TIMESTAMP AS collected_at", undefined, join(directory, 'alien.parquet'));
    await engine.close();
    await store.putFile(alien, join(directory, 'alien.parquet'));
    await rm(directory, { recursive: true, force: true });
    const silver = createSilverHandler({ env: env(), s3: s3.client });

    // act
    const summary = await silver({ bronzeKeys: [good, alien] });

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.corrupt).toEqual({ count: 1, keys: [alien], leftOut: 0 });
    expect(summary.dates).toEqual(['2026-11-29']);
    expect(await store.exists(silverKey('2026-11-29', '20261129T150000Z'))).toBe(true);
    expect(await store.exists(alien)).toBe(false);
    const reason = JSON.parse(Buffer.from(await store.get(`${corruptObjectKey(alien)}.reason.json`)).toString('utf8'));
    expect(reason.reason).toMatch(/^its columns are not those the extract writes: user_id is missing; user_login is missing; /);
  });

  it('gold rebuilds from bronze, in S3, a silver object an earlier version of the models wrote', async () => {
    // Prepare: the silver object rewritten without the model version in its footer and without
    // the two columns gold now reads, as a bucket kept across an upgrade holds it.
    const key = await uploadBronze('2026-11-29T15:00:00Z');
    const silver = createSilverHandler({ env: env(), s3: s3.client });
    const gold = createGoldHandler({ env: env(), s3: s3.client });
    await silver({ bronzeKeys: [key] });
    const outdated = silverKey('2026-11-29', '20261129T150000Z');
    const directory = await mkdtemp(join(tmpdir(), 'silver-'));
    const engine = await DuckDbEngine.open();
    try {
      await store.getFile(outdated, join(directory, 'current.parquet'));
      await engine.copyToParquet(
        `SELECT * EXCLUDE (intervalo_coleta_minutos, fuso_horario) FROM read_parquet(${sqlString(join(directory, 'current.parquet'))})`,
        undefined,
        join(directory, 'earlier.parquet'),
      );
      await store.putFile(outdated, join(directory, 'earlier.parquet'));

      // act
      const summary = await gold({ dates: ['2026-11-29'] });

      // assess
      expect(summary.outdated).toEqual({ count: 1, keys: [outdated], leftOut: 0 });
      expect(summary.tables.streams_diario).toBe(4);
      await store.getFile(outdated, join(directory, 'rebuilt.parquet'));
      const [version] = await parquetKeyValues(engine, [join(directory, 'rebuilt.parquet')], MODEL_VERSION_KEY);
      expect(version).toBe(silverModelVersion());
    } finally {
      await engine.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('rejects malformed input and a missing bucket with a clear message', async () => {
    // prepare
    const gold = createGoldHandler({ env: env(), s3: s3.client });
    const silverWithoutBucket = createSilverHandler({ env: { PIPELINE_TIMEZONE: 'UTC' }, s3: s3.client });

    // act / assess
    await expect(gold({ dates: ['yesterday'] })).rejects.toThrow(/invalid gold input \(dates\.0 "yesterday": /);
    await expect(gold({ dates: ['2026-11-29', '0000-01-01'] })).rejects.toThrow('invalid gold input (dates.1 "0000-01-01": is before 2000-01-01)');
    await expect(gold({ dates: ['2099-01-01'] })).rejects.toThrow('invalid gold input (dates.0 "2099-01-01": is after tomorrow: no snapshot names it yet)');
    await expect(gold({} as never)).rejects.toThrow(/invalid gold input/);
    await expect(silverWithoutBucket({})).rejects.toThrow(/LAKE_BUCKET is not set/);
    // Named so that the state machine fails the run at once instead of retrying what cannot pass.
    await expect(gold({ dates: ['yesterday'] })).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    await expect(createSilverHandler({ env: env(), s3: s3.client })({ bronzeKeys: 'raw' } as never)).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    await expect(silverWithoutBucket({})).rejects.toMatchObject({ name: 'MissingSettingError', variable: 'LAKE_BUCKET' });
  });
});

describe('scratch an earlier invocation left', () => {
  /** A function's temporary folder as a gold run cut off by its timeout leaves it: a workspace and a spill folder. */
  async function temporaryFolderWithLeftovers(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'lambda-tmp-'));
    await mkdir(join(folder, 'transform', 'gold-a1b2c3'), { recursive: true });
    await writeFile(join(folder, 'transform', 'gold-a1b2c3', 'silver-copy.parquet'), 'PAR1');
    await mkdir(join(folder, 'transform', 'duckdb-spill-d4e5f6'));
    await writeFile(join(folder, 'other-tool.log'), 'not ours');
    return folder;
  }

  it('is removed when a function starts in Lambda, and the next run still works', async () => {
    // prepare: Lambda keeps /tmp across the reset that follows a timeout, then runs Init again
    const folder = await temporaryFolderWithLeftovers();
    const key = await uploadBronze('2026-11-29T15:00:00Z');
    const lambdaEnv = { ...env(), LAMBDA_TASK_ROOT: '/var/task', TMPDIR: folder };
    const logger = createLogger('transform-silver');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    const silver = createSilverHandler({ env: lambdaEnv, s3: s3.client, logger });
    const leftAfterInit = await readdir(join(folder, 'transform'));
    const summary = await silver({ bronzeKeys: [key] });

    // assess
    expect(leftAfterInit).toEqual([]);
    expect(await readdir(folder)).toEqual(expect.arrayContaining(['other-tool.log']));
    expect(warn.mock.calls).toEqual([[expect.stringContaining('earlier invocation left'), { entries: 2 }]]);
    expect(summary).toMatchObject({ rowsIn: 3, rowsOut: 2, quarantined: 1, failed: [] });
    expect(await readdir(join(folder, 'transform'))).toEqual([]);
    await rm(folder, { recursive: true, force: true });
  });

  it('is left alone outside Lambda, where the temporary folder may be shared', async () => {
    // prepare
    const folder = await temporaryFolderWithLeftovers();

    // act
    createGoldHandler({ env: { ...env(), TMPDIR: folder }, s3: s3.client });
    createSilverHandler({ env: { ...env(), TMPDIR: folder }, s3: s3.client });

    // assess
    expect((await readdir(join(folder, 'transform'))).sort()).toEqual(['duckdb-spill-d4e5f6', 'gold-a1b2c3']);
    await rm(folder, { recursive: true, force: true });
  });
});

describe('lambdaEngineOptions', () => {
  it('gives DuckDB 75 % of the function memory and spills under the temporary directory', () => {
    // act
    const inLambda = lambdaEngineOptions({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048' });
    const local = lambdaEngineOptions({});

    // assess
    expect(inLambda.memoryLimit).toBe('1536MB');
    expect(inLambda.tempDirectory).toBe(join(tmpdir(), 'transform'));
    expect(local.memoryLimit).toBeUndefined();
  });
});
