import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { NON_GAME_CATEGORY_IDS } from '@twitch-pipeline/features';
import { BRONZE_TIME_ZONE_KEY, bronzeKey, bronzeStreamRowSchema, columnNames, snapshotIdFor } from '@twitch-pipeline/schemas';
import type { LocalObjectStore } from '@twitch-pipeline/storage';

/** Shape of one simulated platform day. */
export interface BronzeDayOptions {
  /** Partition date; snapshots are taken every `intervalMinutes` from 03:00 UTC (00:00 in São Paulo). */
  date: string;
  snapshots: number;
  streamsPerSnapshot: number;
  intervalMinutes?: number;
}

const GAMES: [string, string][] = [
  ['32399', 'Counter-Strike'], ['29595', 'Dota 2'], ['21779', 'League of Legends'], ['33214', 'Fortnite'],
  ['516575', 'VALORANT'], ['27471', 'Minecraft'], ['32982', 'Grand Theft Auto V'], ['512710', 'Call of Duty: Warzone'],
  ['18122', 'World of Warcraft'], ['491931', 'Escape from Tarkov'], ['511224', 'Apex Legends'], ['1678052513', 'EA Sports FC 25'],
  ['', ''],
];

// Each snapshot's rows are a window sliding over a population of channels, so streams continue
// across snapshots, broadcasts restart every 4 hours, and in every eighth snapshot a few rows
// repeat an id (paging drift the extract missed), so the quarantine path runs too.
const EXPRESSIONS: Record<string, string> = {
  id: 'CAST(channel * 100 + broadcast AS VARCHAR)',
  user_id: 'CAST(channel AS VARCHAR)',
  user_login: "'canal_' || channel",
  user_name: "'Canal_' || channel",
  game_id: 'category.game_id',
  game_name: 'category.game_name',
  type: "'live'",
  title: "'Ao vivo ' || channel || ' — ranked até o topo 🎮 ção'",
  tags: "['Português', 'BR']",
  viewer_count: 'CAST(floor(pow(1.0 - u, -1.4)) AS BIGINT) - 1',
  started_at: "strftime(broadcast_start - to_minutes(CAST(u2 * 200 AS BIGINT)), '%Y-%m-%dT%H:%M:%SZ')",
  language: "CASE WHEN channel % 3 = 0 THEN 'pt' WHEN channel % 3 = 1 THEN 'en' ELSE 'es' END",
  thumbnail_url: "'https://static-cdn.jtvnw.net/previews-ttv/live_user_canal_' || channel || '-{width}x{height}.jpg'",
  tag_ids: 'CAST([] AS VARCHAR[])',
  is_mature: 'channel % 11 = 0',
  snapshot_id: '$snapshot_id',
  collected_at: 'CAST($collected_at AS TIMESTAMP)',
  query_language: "'all'",
  collection_interval_minutes: 'CAST($interval AS BIGINT)',
};

/**
 * Writes one simulated day of bronze snapshots straight into a local lake with DuckDB SQL
 * (no HTTP), with the exact bronze columns. Returns the bronze keys written.
 *
 * @example
 * await generateBronzeDay(store, { date: '2026-11-29', snapshots: 48, streamsPerSnapshot: 95_000 });
 */
export async function generateBronzeDay(store: LocalObjectStore, options: BronzeDayOptions): Promise<string[]> {
  const interval = options.intervalMinutes ?? 30;
  const categories = [...GAMES, ...NON_GAME_CATEGORY_IDS.slice(0, 6).map((id): [string, string] => [id, `Category ${id}`])];
  const categoryValues = categories.map(([id, name], index) => `(${index}, '${id}', '${name.replaceAll("'", "''")}')`).join(', ');
  const select = columnNames(bronzeStreamRowSchema)
    .map((name) => {
      const expression = EXPRESSIONS[name];
      if (!expression) throw new Error(`no generator for bronze column ${name}`);
      return `${expression} AS "${name}"`;
    })
    .join(',\n');
  const keys: string[] = [];
  const engine = await DuckDbEngine.open();
  try {
    for (let snapshot = 0; snapshot < options.snapshots; snapshot++) {
      const collectedAt = new Date(Date.parse(`${options.date}T03:00:00Z`) + snapshot * interval * 60_000);
      const snapshotId = snapshotIdFor(collectedAt);
      const key = bronzeKey(options.date, snapshotId);
      const path = store.pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await engine.copyToParquet(
        `WITH rows AS (
           SELECT i,
                  (CASE WHEN $snapshot % 8 = 0 AND i % 5000 = 4999 THEN i - 1 ELSE i END + $snapshot * 2000) % 200000 AS channel,
                  (hash(i, $snapshot) % 1000000) / 1000000.0 AS u,
                  (hash($snapshot, i) % 1000000) / 1000000.0 AS u2,
                  $snapshot // 8 AS broadcast
             FROM range(CAST($streams AS BIGINT)) t(i)
         ),
         shaped AS (
           SELECT rows.*,
                  CAST($day_start AS TIMESTAMP) + to_minutes(CAST(broadcast * 8 * $interval AS BIGINT)) AS broadcast_start
             FROM rows
         )
         SELECT ${select}
           FROM shaped
           JOIN (VALUES ${categoryValues}) category(n, game_id, game_name) ON category.n = shaped.channel % ${categories.length}
          ORDER BY i`,
        {
          snapshot,
          streams: options.streamsPerSnapshot,
          snapshot_id: snapshotId,
          collected_at: collectedAt.toISOString(),
          day_start: `${options.date} 03:00:00`,
          interval,
        },
        path,
        // As the extract names it: the zone the snapshots' dt is computed in (see the options' date).
        { [BRONZE_TIME_ZONE_KEY]: 'America/Sao_Paulo' },
      );
      keys.push(key);
    }
  } finally {
    await engine.close();
  }
  return keys;
}
