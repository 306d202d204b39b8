
import { goldKey, LAKE_PREFIXES, silverKey, snapshotIdFor } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadBronze } from './support/bronze-upload';
import { createGoldHandler, createSilverHandler } from '../src/index';

const BUCKET = 'lake-window';
const env = { LAKE_BUCKET: BUCKET, PIPELINE_TIMEZONE: 'America/Sao_Paulo', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024' };
/** 12:00 in São Paulo, so each snapshot's local date is its UTC date. */
const OLD = '2026-11-20T15:00:00Z';
const NEW = '2026-11-29T15:00:00Z';
/** The first slot of the UTC day: 21:00 of the day before in São Paulo. */
const MIDNIGHT = '2026-11-30T00:00:00Z';

let s3: S3Emulator;
let store: S3ObjectStore;

beforeAll(async () => {
  s3 = await startS3Emulator();
  await s3.createBucket(BUCKET);
  store = new S3ObjectStore(s3.client, BUCKET);
});

afterAll(async () => {
  await s3.stop();
});

// Each test starts from an empty lake: one's silver and gold would be another's history.
beforeEach(async () => {
  for (const object of await store.list('')) await store.delete(object.key);
});

const ANA = [{ id: '1', login: 'ana', viewers: 120 }];

const keysUnder = async (prefix: string) => (await store.list(prefix)).map((object) => object.key);

describe('the transform functions list recent partitions, and sweep the whole history once a day', () => {
  it('leave a snapshot pending from days ago to the run of the first slot after midnight UTC, which transforms it and builds its date', async () => {
    // Prepare: a snapshot left without silver by an outage nine days ago, and the afternoon's.
    const old = await uploadBronze(store, OLD, ANA);
    const afternoon = await uploadBronze(store, NEW, ANA);
    const silver = createSilverHandler({ env, s3: s3.client });
    const gold = createGoldHandler({ env, s3: s3.client });

    // Act: the afternoon's cycle, then midnight's (the real clock, days later, decides nothing: their slots do).
    const afternoonSilver = await silver({ bronzeKeys: [afternoon], includePending: true });
    const afternoonGold = await gold({ dates: afternoonSilver.dates, collectedAt: NEW });
    const silverAfterAfternoon = await keysUnder(LAKE_PREFIXES.silver);
    const midnight = await uploadBronze(store, MIDNIGHT, ANA, { dt: '2026-11-29' });
    const sweepSilver = await silver({ bronzeKeys: [midnight], includePending: true });
    const sweepGold = await gold({ dates: sweepSilver.dates, collectedAt: MIDNIGHT });

    // Assess
    expect(afternoonSilver.processed.keys).toEqual([afternoon]);
    expect(silverAfterAfternoon).toEqual([silverKey('2026-11-29', snapshotIdFor(new Date(NEW)))]);
    expect(afternoonGold.dates).not.toContain('2026-11-20');
    expect(sweepSilver.processed.keys).toEqual([old, midnight]);
    expect(sweepGold.dates).toContain('2026-11-20');
    expect(await store.exists(goldKey('streams_diario', '2026-11-20'))).toBe(true);
  });

  it('rebuild, when gold is run by hand with no slot, a date whose partition was deleted days ago', async () => {
    // Prepare: a date built long ago, then one of its partitions deleted.
    const bronze = await uploadBronze(store, '2026-11-18T15:00:00Z', ANA);
    const silver = createSilverHandler({ env, s3: s3.client });
    const gold = createGoldHandler({ env, s3: s3.client });
    await silver({ bronzeKeys: [bronze], includePending: true });
    await gold({ dates: ['2026-11-18'], collectedAt: '2026-11-18T15:00:00+00:00' });
    await store.delete(goldKey('canais_hora', '2026-11-18'));

    // Act: as docs/deploy.md says to retry gold.
    const byHand = await gold({ dates: [] });

    // Assess
    expect(byHand.dates).toContain('2026-11-18');
    expect(await store.exists(goldKey('canais_hora', '2026-11-18'))).toBe(true);
  });
});
