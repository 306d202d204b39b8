import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { BadLakeObject } from './lake-object-check';
import type { LakeViews } from './lake-views';
import { missingFileOf } from './missing-file';
import { type ResultChunk, resultChunk } from './result-chunk';
import { runLastStatement } from './statements';

/** Runs of one query when each fails on a file removed meanwhile or on a lake object the views then leave out. */
export const QUERY_ATTEMPTS = 3;

/**
 * Runs a session's statements, and runs one again when it failed on the data directory changing
 * under it: a file removed meanwhile, a lake object the views then leave out, a lake view reached
 * without being named (see `recovered`), up to {@link QUERY_ATTEMPTS} times in all.
 *
 * @example
 * const retries = new QueryRetries(connection, './data', lake, onBadObjects, onOutdatedObjects, './data/alerts', createAlertsView);
 * for await (const chunk of retries.runWithRetries('SELECT * FROM silver_streams')) write(chunk.rows());
 */
export class QueryRetries {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly dataDir: string,
    private readonly lake: LakeViews,
    private readonly onBadObjects: (bad: readonly BadLakeObject[]) => void,
    private readonly onOutdatedObjects: (keys: readonly string[]) => void,
    /** The folder the `alerts` view reads. */
    private readonly alertsDirectory: string,
    /** (Re)creates the `alerts` view over the delivered alerts' files there now. */
    private readonly createAlertsView: () => Promise<void>,
  ) {}

  /** Runs one statement whose result is a count and returns that count (see `LakeSession.runCount`). */
  async countWithRetries(sql: string, params?: unknown[]): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.connection.run(sql, params as DuckDBValue[] | undefined);
        return result.rowsChanged;
      } catch (error) {
        if (attempt === QUERY_ATTEMPTS || !(await this.recovered(error))) throw error;
      }
    }
  }

  /** Runs SQL to its end, then yields its rows a DuckDB chunk at a time (see `LakeSession.queryChunks`). */
  async *runWithRetries(sql: string, params?: unknown[]): AsyncGenerator<ResultChunk> {
    // Materialized, not streamed: a streamed result of @duckdb/node-api (1.5.6) ends like a
    // finished one when its query fails midway (the error is never read), so a cast that fails
    // on row 1.4 M, a file removed mid-scan or memory running out would pass for a shorter result.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await runLastStatement(this.connection, sql, params);
        const columns = result.columnNames();
        const types = result.columnTypes();
        let yielded = false;
        for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
          yielded = true;
          yield resultChunk(columns, types, chunk);
        }
        if (!yielded) yield { columns, types, rowCount: 0, rows: () => [], blobs: () => [] };
        return;
      } catch (error) {
        if (attempt === QUERY_ATTEMPTS || !(await this.recovered(error))) throw error;
      }
    }
  }

  /**
   * Whether a query that failed with `error` may run again: a file removed meanwhile (below), a
   * lake object DuckDB could not open or frame, or one whose data is damaged (see `LakeViews`).
   */
  private async recovered(error: unknown): Promise<boolean> {
    return (
      (await this.recoveredFromUncreatedView(error)) ||
      (await this.recoveredFromRemovedFile(error)) ||
      (await this.lake.recoveredFromUnreadableFile(error)) ||
      (await this.lake.recoveredFromDamagedData(error))
    );
  }

  /** Whether `error` is a lake view the statement reached without naming it, now created (see `LakeViews`). */
  async recoveredFromUncreatedView(error: unknown): Promise<boolean> {
    const created = await this.lake.recoveredFromUncreatedView(error);
    if (!created) return false;
    if (created.bad.length > 0) this.onBadObjects(created.bad);
    if (created.outdated.length > 0) this.onOutdatedObjects(created.outdated);
    return true;
  }

  /**
   * Whether `error` is a file of the data directory that another process removed after the
   * query listed it (the view over the real-time segments lists them by glob when a query is
   * planned; the lake and alerts views name their files). Only housekeeping removes such files,
   * and never anything a view shows: a real-time segment whose items have all expired, an
   * earlier quarantine object a rerun replaced with nothing. So the query may run again; for a
   * lake object or an alert record, over the files listed again.
   */
  private async recoveredFromRemovedFile(error: unknown): Promise<boolean> {
    const missing = missingFileOf(error);
    if (missing === undefined || existsSync(missing) || !resolve(missing).startsWith(resolve(this.dataDir) + sep)) return false;
    if (resolve(missing).startsWith(resolve(this.dataDir, 'lake') + sep)) await this.lake.refresh();
    if (resolve(missing).startsWith(resolve(this.alertsDirectory) + sep)) await this.createAlertsView();
    return true;
  }
}
