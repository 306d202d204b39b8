import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { type BronzeStreamRow, bronzeKey, bronzeStreamRowSchema } from '@twitch-pipeline/schemas';
import type { S3ObjectStore } from '@twitch-pipeline/storage';

export const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/twitch-pipeline-events';
export const SNAPSHOT_ID = '20261129T213000Z';
export const KEY = bronzeKey('2026-11-29', SNAPSHOT_ID);

/**
 * Live streams of the snapshot, half of them Just Chatting; `title` replaces the title of chosen rows.
 *
 * @example
 * const rows = bronzeRows(120);
 */
export function bronzeRows(count: number, title: (index: number) => string = (index) => `partida ${index}`): BronzeStreamRow[] {
  return Array.from({ length: count }, (_, index) => ({
    id: String(41_000_000 + index),
    user_id: String(77_000 + index),
    user_login: `streamer_${index}`,
    user_name: `Streamer ${index}`,
    game_id: index % 2 ? '509658' : '21779',
    game_name: index % 2 ? 'Just Chatting' : 'League of Legends',
    type: 'live',
    title: title(index),
    tags: ['Português'],
    viewer_count: Math.max(1_000 - index, 0),
    started_at: '2026-11-29T19:02:11Z',
    language: 'pt',
    thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_streamer_${index}-{width}x{height}.jpg`,
    tag_ids: [],
    is_mature: false,
    snapshot_id: SNAPSHOT_ID,
    collected_at: '2026-11-29T21:30:00.000Z',
    query_language: 'pt',
    collection_interval_minutes: 30,
  }));
}

/**
 * Writes rows as the bronze object {@link KEY} of the lake.
 *
 * @example
 * await putBronze(store, bronzeRows(120));
 */
export async function putBronze(store: S3ObjectStore, rows: readonly BronzeStreamRow[]): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'publish-bronze-'));
  try {
    const path = join(directory, 'bronze.parquet');
    await withEngine({}, (engine) => engine.writeRowsToParquet(rows, bronzeStreamRowSchema, path));
    await store.putFile(KEY, path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
