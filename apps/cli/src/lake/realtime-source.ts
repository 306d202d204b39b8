import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LocalRealtimeTable, type NewestSourceOptions } from '@twitch-pipeline/storage';
import type { ResultSet } from '../cli/table';
import { missingFileOf } from './missing-file';
import { QUERY_ATTEMPTS } from './query-retries';
import { REALTIME_VIEW } from './views';
import { warnOnce } from './warn-once';

/**
 * Creates the `realtime_events` view over the real-time table of `dataDir` and returns that
 * table. A table this user cannot read is read as empty, and said with `warn` (once per process).
 *
 * @example
 * const realtime = await createRealtimeView(connection, './data', (text) => process.stderr.write(text));
 */
export async function createRealtimeView(connection: DuckDBConnection, dataDir: string, warn: (text: string) => void): Promise<LocalRealtimeTable> {
  const realtime = new LocalRealtimeTable(join(dataDir, 'realtime'));
  await connection.run(`CREATE OR REPLACE VIEW ${REALTIME_VIEW.name} AS SELECT * FROM ${realtime.duckdbSource()}`);
  // Read as empty, as with no table at all: said, so that empty is not taken for "no events".
  const unreadable = realtime.unreadableReason();
  if (unreadable) {
    warnOnce(
      `warning: the real-time table cannot be read (${unreadable}): ${REALTIME_VIEW.name} is empty here; ` +
        `give this user read access to ${join(dataDir, 'realtime')}, or run as the user who owns it\n`,
      warn,
    );
  }
  return realtime;
}

/**
 * Runs `sqlOf(source)` with `query`, where `source` stands for the segments of `realtime` that can
 * hold the newest item `newestSqlOf(source)` asks for (see `LakeSession.queryNewestRealtime`).
 *
 * @example
 * const last = await queryNewestRealtime(
 *   realtime,
 *   (sql, params) => session.query(sql, params),
 *   (source) => `SELECT * FROM ${source} WHERE nome_streamer = ? ORDER BY "timestamp" DESC LIMIT 1`,
 *   (source) => `SELECT epoch_ms(max("timestamp")) FROM ${source} WHERE nome_streamer = ?`,
 *   ['gaules'],
 * );
 */
export async function queryNewestRealtime(
  realtime: LocalRealtimeTable,
  query: (sql: string, params?: unknown[]) => Promise<ResultSet>,
  sqlOf: (source: string) => string,
  newestSqlOf: (source: string) => string,
  params?: unknown[],
  options?: NewestSourceOptions,
): Promise<ResultSet> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const source = await realtime.newestSource(async (candidates) => {
        const at = (await query(newestSqlOf(candidates), params)).rows[0]?.[0];
        return at === null || at === undefined ? undefined : Number(at);
      }, options);
      return await query(sqlOf(source), params);
    } catch (error) {
      const missing = missingFileOf(error);
      if (attempt === QUERY_ATTEMPTS || missing === undefined || existsSync(missing)) throw error;
    }
  }
}
