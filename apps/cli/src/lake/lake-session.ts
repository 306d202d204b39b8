import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { LocalObjectStore, LocalRealtimeTable } from '@twitch-pipeline/storage';
import type { ResultSet } from '../cli/table';
import { type BadLakeObject, describeBadObjects, LakeObjectCheck } from './lake-object-check';
import { missingFileOf } from './missing-file';
import { ALERTS_VIEW, alertsViewStatement, LAKE_VIEWS, REALTIME_VIEW, viewStatement } from './views';

/** Runs of one query when each finds a file another process removed meanwhile. */
const QUERY_ATTEMPTS = 3;

/** A view and a line about it, for `query --list` and error messages. */
export interface ViewInfo {
  name: string;
  description: string;
}

function plainValue(js: unknown, json: unknown): unknown {
  if (js === null || typeof js === 'number' || typeof js === 'string' || typeof js === 'boolean') return js;
  if (typeof js === 'bigint') return js <= BigInt(Number.MAX_SAFE_INTEGER) && js >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(js) : String(js);
  // Dates, timestamps, lists and structs: DuckDB's JSON form is already readable ("2026-11-29 21:30:00").
  return json;
}

/** Options of {@link LakeSession.open}. */
export interface LakeSessionOptions {
  /** Told about unreadable lake objects left out of the views; by default they are named on stderr. */
  onBadObjects?: (bad: readonly BadLakeObject[]) => void;
}

/**
 * DuckDB over the local lake: one view per layer and gold table, plus `realtime_events` and `alerts`.
 * Opened read-only in spirit: it only creates views in an in-memory database. Unreadable objects
 * (empty, truncated, torn Parquet) are left out of the views and listed in `badObjects`.
 *
 * @example
 * const session = await LakeSession.open('./data');
 * const result = await session.query('SELECT count(*) AS n FROM silver_streams');
 * await session.close();
 */
export class LakeSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly dataDir: string,
    private readonly realtime: LocalRealtimeTable,
  ) {}

  /** Lake objects the views left out because they are not readable Parquet. */
  badObjects: BadLakeObject[] = [];

  /** Every view a query can use. */
  static readonly views: ViewInfo[] = [...LAKE_VIEWS, REALTIME_VIEW, ALERTS_VIEW].map(({ name, description }) => ({ name, description }));

  static async open(dataDir: string, options: LakeSessionOptions = {}): Promise<LakeSession> {
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    const session = new LakeSession(instance, connection, dataDir, new LocalRealtimeTable(join(dataDir, 'realtime')));
    try {
      await connection.run("SET TimeZone = 'UTC'");
      await session.createLakeViews();
      await connection.run(`CREATE OR REPLACE VIEW ${REALTIME_VIEW.name} AS SELECT * FROM ${session.realtime.duckdbSource()}`);
      await connection.run(await alertsViewStatement(join(dataDir, 'alerts')));
    } catch (error) {
      await session.close();
      throw error;
    }
    if (session.badObjects.length > 0) {
      (options.onBadObjects ?? ((bad) => process.stderr.write(describeBadObjects(bad))))(session.badObjects);
    }
    return session;
  }

  /**
   * Runs SQL; `params` bind positional `?` placeholders in order. A query that found a file gone
   * which another process removed while it was planned or read is run again (up to
   * {@link QUERY_ATTEMPTS} times in all): a real-time segment a collector removed held only
   * expired items, and a lake object a rerun removed (an earlier quarantine object) is left out
   * once the lake views are listed again.
   */
  async query(sql: string, params?: unknown[]): Promise<ResultSet> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.read(sql, params);
      } catch (error) {
        const missing = missingFileOf(error);
        if (attempt === QUERY_ATTEMPTS || missing === undefined || existsSync(missing)) throw error;
        if (!this.realtime.isRemovedSegment(missing)) {
          if (!resolve(missing).startsWith(resolve(this.dataDir, 'lake') + sep)) throw error;
          await this.createLakeViews();
        }
      }
    }
  }

  /** (Re)creates one view per lake layer and gold table over the objects there now. */
  private async createLakeViews(): Promise<void> {
    const store = new LocalObjectStore(join(this.dataDir, 'lake'));
    const check = await LakeObjectCheck.open(store, join(this.dataDir, 'cache', 'lake-objects.json'));
    const bad: BadLakeObject[] = [];
    try {
      for (const view of LAKE_VIEWS) {
        const statement = await viewStatement(view, store, check);
        await this.connection.run(statement.sql);
        bad.push(...statement.bad);
      }
    } finally {
      await check.close();
    }
    this.badObjects = bad;
  }

  private async read(sql: string, params?: unknown[]): Promise<ResultSet> {
    const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
    const js = reader.getRowsJS();
    const json = reader.getRowsJson();
    return {
      columns: reader.columnNames(),
      rows: js.map((row, r) => row.map((value, c) => plainValue(value, json[r]![c]))),
    };
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
