import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { bronzeKey, bronzeStreamRowSchema, snapshotIdFor } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/** One stream of a bronze snapshot, as the extract writes it. */
export interface BronzeStream {
  id: string;
  login: string;
  viewers: number;
}

/**
 * Writes one bronze snapshot of `streams` collected at `collectedAt` to the store and returns its
 * key: under the date `dt` (the snapshot's local date; by default its UTC date), every stream
 * started at `startedAt` (by default three hours before).
 *
 * @example
 * const key = await uploadBronze(store, '2026-11-29T15:00:00Z', [{ id: '1', login: 'ana', viewers: 120 }]);
 */
export async function uploadBronze(
  store: ObjectStore,
  collectedAt: string,
  streams: readonly BronzeStream[],
  options: { dt?: string; startedAt?: string } = {},
): Promise<string> {
  const snapshotId = snapshotIdFor(new Date(collectedAt));
  const dt = options.dt ?? collectedAt.slice(0, 10);
  const startedAt = options.startedAt ?? new Date(Date.parse(collectedAt) - 3 * 3_600_000).toISOString();
  const rows = streams.map(({ id, login, viewers }) => ({
    id, user_id: `9${id}`, user_login: login, user_name: login, game_id: '509658', game_name: 'Just Chatting', type: 'live',
    title: 'ao vivo 🎮', tags: ['Português'], viewer_count: viewers, started_at: startedAt, language: 'pt',
    thumbnail_url: '', tag_ids: [], is_mature: false, snapshot_id: snapshotId, collected_at: collectedAt, query_language: 'pt',
    collection_interval_minutes: 30,
  }));
  const directory = await mkdtemp(join(tmpdir(), 'bronze-'));
  try {
    const path = join(directory, 'bronze.parquet');
    const engine = await DuckDbEngine.open();
    try {
      await engine.writeRowsToParquet(rows, bronzeStreamRowSchema, path);
    } finally {
      await engine.close();
    }
    const key = bronzeKey(dt, snapshotId);
    await store.putFile(key, path);
    return key;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
