
import { goldKey, } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadBronze } from './support/bronze-upload';
import { createGoldHandler, createSilverHandler } from '../src/index';

const BUCKET = 'lake-refused';
const env = { LAKE_BUCKET: BUCKET, PIPELINE_TIMEZONE: 'America/Sao_Paulo', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' };

let s3: S3Emulator;
let store: S3ObjectStore;

beforeAll(async () => {
  // The functions may list the lake only under their own prefixes (a condition on s3:prefix):
  // S3 then answers a request for a missing object with 403, not 404.
  s3 = await startS3Emulator({ missingKeysRefused: true });
  await s3.createBucket(BUCKET);
  store = new S3ObjectStore(s3.client, BUCKET);
});

afterAll(async () => {
  await s3.stop();
});

describe('silver and gold where S3 refuses requests for missing objects', () => {
  it("build a new lake's first date, whose trend window has no earlier partitions", async () => {
    // Prepare
    const key = await uploadBronze(store, '2026-11-29T15:00:00Z', [{ id: '1', login: 'ana', viewers: 120 }]);
    const silver = createSilverHandler({ env, s3: s3.client });
    const gold = createGoldHandler({ env, s3: s3.client });

    // Act: gold asked for each of the seven earlier days' partitions by key, and failed the date
    // with S3's bodiless 403 (`UnknownError`) on every run of a new deployment's first week.
    const silverSummary = await silver({ bronzeKeys: [key] });
    const goldSummary = await gold({ dates: silverSummary.dates });

    // Assess
    expect(silverSummary).toMatchObject({ dates: ['2026-11-29'], failed: [] });
    expect(goldSummary).toMatchObject({ dates: ['2026-11-29'], failed: [], pendingDates: [] });
    expect(await store.exists(goldKey('tendencias_diario', '2026-11-29'))).toBe(true);
    expect(await store.exists(goldKey('tendencias_diario', '2026-11-28'))).toBe(false);
  });
});
