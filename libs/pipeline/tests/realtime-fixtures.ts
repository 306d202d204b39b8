import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { type RealtimeEvent, snapshotIdFor } from '@twitch-pipeline/schemas';
import { LocalEventQueue, LocalObjectStore, LocalRealtimeTable } from '@twitch-pipeline/storage';
import { bronzeRow, type LooseBronzeRow } from './support/transform-lake';

const HALF_HOUR_MS = 30 * 60_000;

/**
 * A collection time on the half hour before the tests started, and its snapshot id. The table
 * hides items whose TTL (48 h after collection in these tests) has passed, so what a test writes
 * and reads back must be recent on whatever day the suite runs.
 */
export const RECENT_COLLECTED_AT = new Date(Math.floor(Date.now() / HALF_HOUR_MS) * HALF_HOUR_MS - HALF_HOUR_MS).toISOString();
export const RECENT_SNAPSHOT_ID = snapshotIdFor(new Date(RECENT_COLLECTED_AT));

/** A lake, queue and real-time table in one fresh temporary directory. */
export interface RealtimeWorkspace {
  directory: string;
  store: LocalObjectStore;
  queue: LocalEventQueue;
  table: LocalRealtimeTable;
  dispose(): Promise<void>;
}

/**
 * Creates a throwaway data directory laid out as the CLI lays it out.
 *
 * @example
 * const workspace = await createRealtimeWorkspace({ visibilityTimeoutSeconds: 0 });
 */
export async function createRealtimeWorkspace(queueOptions: { visibilityTimeoutSeconds?: number; maxReceives?: number } = {}) {
  const directory = await mkdtemp(join(tmpdir(), 'realtime-pipeline-'));
  return {
    directory,
    store: new LocalObjectStore(join(directory, 'lake')),
    queue: new LocalEventQueue(join(directory, 'queue'), queueOptions),
    table: new LocalRealtimeTable(join(directory, 'realtime')),
    dispose: () => rm(directory, { recursive: true, force: true }),
  } satisfies RealtimeWorkspace;
}

/**
 * `count` valid bronze rows of one snapshot, one channel each.
 *
 * @example
 * const rows = liveStreams(100, RECENT_COLLECTED_AT);
 */
export function liveStreams(count: number, collectedAt: string): LooseBronzeRow[] {
  return Array.from({ length: count }, (_, index) =>
    bronzeRow({
      collected_at: collectedAt,
      id: String(40_000_000 + index),
      user_id: String(90_000 + index),
      user_login: `canal_${index}`,
      user_name: `Canal ${index}`,
      viewer_count: (index * 37) % 5_000,
      game_id: index % 3 === 0 ? '509658' : '32399',
      game_name: index % 3 === 0 ? 'Just Chatting' : 'Counter-Strike',
      title: `ao vivo #${index} ✨`,
    }),
  );
}

/**
 * Valid events of one snapshot, for messages built without a bronze object.
 *
 * @example
 * const events = sampleEvents(25, 'a');
 */
export function sampleEvents(count: number, prefix: string, timestamp = RECENT_COLLECTED_AT): RealtimeEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    nome_streamer: `${prefix}_${index}`,
    timestamp,
    id_stream: String(5_000 + index),
    espectadores: index,
    nome_categoria: 'Just Chatting',
    tipo_conteudo: 'Non-Game',
    periodo_dia: 'Night',
    titulo: 'ao vivo',
    idioma: 'pt',
    iniciado_em: new Date(Date.parse(timestamp) - 3 * 60 * 60_000).toISOString(),
  }));
}

/**
 * Rows and distinct keys of the local table, read through the `realtime_events` view.
 *
 * @example
 * const { rows, keys } = await countRealtimeRows(table);
 */
export async function countRealtimeRows(table: LocalRealtimeTable): Promise<{ rows: number; keys: number }> {
  return withEngine({}, async (engine) => {
    await engine.run(`CREATE VIEW realtime_events AS SELECT * FROM ${table.duckdbSource()}`);
    const [row] = await engine.all<{ rows: number; keys: number }>(
      'SELECT count(*) AS rows, count(DISTINCT (nome_streamer, "timestamp")) AS keys FROM realtime_events',
    );
    return row!;
  });
}
