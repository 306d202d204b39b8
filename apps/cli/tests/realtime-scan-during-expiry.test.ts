import { readdir, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LocalRealtimeTable, MAX_ITEMS_PER_BATCH_WRITE } from '@twitch-pipeline/storage';
import { realtimeItem } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import { temporaryDataDir } from './support/cli-process';

const HOUR_MS = 3600_000;
const LIVE_ITEMS = 80_000;

let dataDir: string;

beforeAll(async () => {
  // Prepare: a large live segment (written to recently, so housekeeping leaves it) and an expired
  // one that sorts after it and has not been written for two hours, so housekeeping removes it.
  dataDir = await temporaryDataDir();
  const realtime = join(dataDir, 'realtime');
  const expiredAt = Date.now() - 2 * HOUR_MS;
  const live = new LocalRealtimeTable(realtime, () => expiredAt - HOUR_MS);
  const title = 'ao vivo '.repeat(120);
  await Promise.all(
    Array.from({ length: LIVE_ITEMS / MAX_ITEMS_PER_BATCH_WRITE }, (_, batch) =>
      live.putItems(
        Array.from({ length: MAX_ITEMS_PER_BATCH_WRITE }, (_, i) =>
          realtimeItem(`canal_${batch * MAX_ITEMS_PER_BATCH_WRITE + i}`, '2026-11-29T21:30:00.000Z', { titulo: title }),
        ),
      ),
    ),
  );
  await new LocalRealtimeTable(realtime, () => expiredAt).putItems([
    realtimeItem('expirado', '2026-11-29T19:00:00.000Z', { expira_em: Math.floor(expiredAt / 1000) }),
  ]);
  const segments = join(realtime, 'segments');
  const expired = (await readdir(segments)).sort().at(-1) as string;
  await utimes(join(segments, expired), new Date(expiredAt), new Date(expiredAt));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a realtime_events scan while a collector removes an expired segment', () => {
  it('answers as if the segment had gone before the query began, with no error', async () => {
    // Prepare: on one thread DuckDB reads the segments in order, each opened when it reaches it,
    // so the expired segment is opened only once the large one has been read (about 0.2 s here).
    const session = await LakeSession.open(dataDir);
    await session.query('SET threads = 1');

    // Act: the collector's housekeeping runs once the scan has been planned, while it reads.
    const scan = session.query('SELECT count(*) AS n, count(DISTINCT nome_streamer) AS canais FROM realtime_events');
    await delay(40);
    const removal = await new LocalRealtimeTable(join(dataDir, 'realtime')).removeExpiredSegments();
    const result = await scan.finally(() => session.close());

    // Assess
    expect(removal).toEqual({ removed: 1, unchecked: [] });
    expect(result.rows).toEqual([[LIVE_ITEMS, LIVE_ITEMS]]);
  });
});
