import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { intlLocalDate } from '@twitch-pipeline/features';
import { type BronzeStreamRow, bronzeKey, bronzeStreamRowSchema, snapshotIdFor } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

const HALF_HOUR_MS = 30 * 60_000;
/** The pipeline time zone the synthetic snapshot is filed and published under. */
export const TIME_ZONE = 'America/Sao_Paulo';

/**
 * The synthetic snapshot is collected on the half hour before the run: the real-time table hides
 * items 48 h after collection, so a fixed date would make the benchmark read back nothing later.
 */
export const COLLECTED_AT = new Date(Math.floor(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS - HALF_HOUR_MS).toISOString();
export const SNAPSHOT_ID = snapshotIdFor(new Date(COLLECTED_AT));

const CATEGORIES: [string, string][] = [
  ['509658', 'Just Chatting'],
  ['32399', 'Counter-Strike'],
  ['21779', 'League of Legends'],
  ['516575', 'VALORANT'],
  ['26936', 'Music'],
  ['', ''],
];

/**
 * Writes a bronze snapshot of `count` plausible live streams (heavy-tailed viewers, unicode
 * titles) into the store, the way the extract step does, and returns its key.
 *
 * @example
 * const key = await writeSyntheticSnapshot(store, 95_000);
 */
export async function writeSyntheticSnapshot(store: ObjectStore, count: number): Promise<string> {
  const rows: BronzeStreamRow[] = Array.from({ length: count }, (_, index) => {
    const [gameId, gameName] = CATEGORIES[index % CATEGORIES.length]!;
    return {
      id: String(300_000_000 + index),
      user_id: String(10_000_000 + index),
      user_login: `canal_${index}`,
      user_name: `Canal ${index}`,
      game_id: gameId,
      game_name: gameName,
      type: 'live',
      title: `Transmissão ao vivo #${index} ✨ jogando com a galera — 日本語 OK`,
      tags: ['Português', 'PT'],
      viewer_count: Math.floor(200_000 / (index + 1)),
      started_at: new Date(Date.parse(COLLECTED_AT) - ((index % 600) + 5) * 60_000).toISOString().replace('.000Z', 'Z'),
      language: ['pt', 'en', 'es'][index % 3]!,
      thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_canal_${index}-{width}x{height}.jpg`,
      tag_ids: [],
      is_mature: index % 17 === 0,
      snapshot_id: SNAPSHOT_ID,
      collected_at: COLLECTED_AT,
      query_language: ['pt', 'en', 'es'][index % 3]!,
      collection_interval_minutes: 30,
    };
  });
  const directory = await mkdtemp(join(tmpdir(), 'bench-bronze-'));
  try {
    const path = join(directory, 'bronze.parquet');
    await withEngine({}, (engine) => engine.writeRowsToParquet(rows, bronzeStreamRowSchema, path));
    const key = bronzeKey(intlLocalDate(new Date(COLLECTED_AT), TIME_ZONE), SNAPSHOT_ID);
    await store.putFile(key, path);
    return key;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Milliseconds taken by `work`, and its result.
 *
 * @example
 * const { ms, value } = await timed(() => publishSnapshot(input));
 */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const startedAt = performance.now();
  const value = await work();
  return { ms: performance.now() - startedAt, value };
}

/**
 * Events per second, rounded.
 *
 * @example
 * rate(95_000, 4_000); // 23750
 */
export function rate(events: number, ms: number): number {
  return Math.round(events / (ms / 1000));
}
