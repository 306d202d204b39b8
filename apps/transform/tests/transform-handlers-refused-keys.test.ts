import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { bronzeKey, bronzeStreamRowSchema, goldKey, snapshotIdFor } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function uploadBronze(collectedAt: string): Promise<string> {
  const snapshotId = snapshotIdFor(new Date(collectedAt));
  const directory = await mkdtemp(join(tmpdir(), 'bronze-'));
  try {
    const path = join(directory, 'bronze.parquet');
    const engine = await DuckDbEngine.open();
    const row = {
      id: '1', user_id: '91', user_login: 'ana', user_name: 'ana', game_id: '509658', game_name: 'Just Chatting', type: 'live',
      title: 'ao vivo', tags: ['Português'], viewer_count: 120, started_at: '2026-11-29T12:00:00Z', language: 'pt',
      thumbnail_url: '', tag_ids: [], is_mature: false, snapshot_id: snapshotId, collected_at: collectedAt, query_language: 'pt',
      collection_interval_minutes: 30,
    };
    await engine.writeRowsToParquet([row], bronzeStreamRowSchema, path);
    await engine.close();
    const key = bronzeKey('2026-11-29', snapshotId);
    await store.putFile(key, path);
    return key;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe('silver and gold where S3 refuses requests for missing objects', () => {
  it("build a new lake's first date, whose trend window has no earlier partitions", async () => {
    // Prepare
    const key = await uploadBronze('2026-11-29T15:00:00Z');
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
