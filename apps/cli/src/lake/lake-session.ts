import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LocalRealtimeTable, NewestSourceOptions } from '@twitch-pipeline/storage';
import type { UnreadableAlertRecord } from '@twitch-pipeline/alerts';
import type { ResultSet } from '../cli/table';
import { type BadLakeObject, describeBadObjects } from './lake-object-check';
import { describeOutdatedObjects, outdatedWithoutBronze } from './outdated-objects';
import { describeGoldPending, goldPendingDates } from './gold-pending-note';
import { LAKE_OBJECTS_VIEW } from './lake-objects-view';
import { LakeViews } from './lake-views';
import { assertDataDirectory } from './data-directory';
import { NotAQueryError } from './not-a-query-error';
import { openEngine } from './open-engine';
import { QUERY_ATTEMPTS, QueryRetries } from './query-retries';
import { createRealtimeView, queryNewestRealtime } from './realtime-source';
import type { ResultChunk } from './result-chunk';
import { StatementTurns } from './statement-turns';
import { holdsStatement, placeholderCount, type QueryColumn, subqueryColumns } from './statements';
import { ALERTS_VIEW, alertsViewStatement, describeUnreadableAlerts, LAKE_VIEWS, REALTIME_VIEW } from './views';
import { warnOnce } from './warn-once';

export type { QueryColumn } from './statements';

/** A view and a line about it, for `query --list` and error messages. */
export interface ViewInfo {
  name: string;
  description: string;
}

/** Options of {@link LakeSession.open}. */
export interface LakeSessionOptions {
  /** Where the session's warnings go (the command's stderr; by default the process's); each text is written once per process. */
  warn?: (text: string) => void;
  /** Told about unreadable lake objects left out of the views; by default they are named on stderr, once per process. */
  onBadObjects?: (bad: readonly BadLakeObject[]) => void;
  /** Told about silver and gold objects another version of the models wrote; by default a note on stderr (once per process) says how to rebuild them, or why nothing can. */
  onOutdatedObjects?: (keys: readonly string[]) => void;
  /** Told the dates whose gold waits for a rebuild; by default they are named on stderr, once per process. */
  onGoldPending?: (dates: readonly string[]) => void;
  /**
   * The SQL the session will run, when known: only the lake views it reads are created (listed
   * and checked) at open, and any other when a statement first reads it. By default every view.
   */
  reads?: readonly string[];
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
  private readonly lake: LakeViews;

  /** Runs the session's statements, again when the data directory changed under them. */
  private readonly retries: QueryRetries;

  /** The turns the session's statements take on its connection. */
  private readonly turns = new StatementTurns();

  /** The real-time table `realtime_events` reads; set when the session opens. */
  private realtime!: LocalRealtimeTable;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly closeInstance: () => Promise<void>,
    private readonly dataDir: string,
    private readonly onBadObjects: (bad: readonly BadLakeObject[]) => void,
    private readonly onOutdatedObjects: (keys: readonly string[]) => void,
  ) {
    this.lake = new LakeViews(connection, dataDir, onBadObjects);
    this.retries = new QueryRetries(connection, dataDir, this.lake, onBadObjects, onOutdatedObjects, this.alertsDirectory, () => this.createAlertsView());
  }

  /** Lake objects the views left out because they are not readable Parquet. */
  get badObjects(): BadLakeObject[] {
    return this.lake.bad;
  }

  /** Keys of silver and gold objects another version of the models wrote (read as they are, by column name). */
  get outdatedObjects(): string[] {
    return this.lake.outdated;
  }

  /** Alert records the `alerts` view left out because they cannot be read back. */
  unreadableAlerts: UnreadableAlertRecord[] = [];

  /** Every view a query can use. */
  static readonly views: ViewInfo[] = [...LAKE_VIEWS, LAKE_OBJECTS_VIEW, REALTIME_VIEW, ALERTS_VIEW].map(({ name, description }) => ({ name, description }));

  static async open(dataDir: string, options: LakeSessionOptions = {}): Promise<LakeSession> {
    assertDataDirectory(dataDir);
    const { connection, close } = await openEngine();
    const warn = options.warn ?? ((text: string) => process.stderr.write(text));
    const session = new LakeSession(
      connection,
      close,
      dataDir,
      options.onBadObjects ?? ((bad) => warnOnce(describeBadObjects(bad), warn)),
      options.onOutdatedObjects ?? ((keys) => warnOnce(describeOutdatedObjects(keys, outdatedWithoutBronze(keys, join(dataDir, 'lake'))), warn)),
    );
    try {
      if (options.reads === undefined) await session.lake.create();
      else await session.lake.createFor(options.reads.join('\n;\n'));
      session.realtime = await createRealtimeView(connection, dataDir, warn);
      await session.createAlertsView();
    } catch (error) {
      await session.close();
      throw error;
    }
    if (session.badObjects.length > 0) session.onBadObjects(session.badObjects);
    if (session.unreadableAlerts.length > 0) warnOnce(describeUnreadableAlerts(session.unreadableAlerts, session.alertsDirectory), warn);
    if (session.outdatedObjects.length > 0) session.onOutdatedObjects(session.outdatedObjects);
    const pendingDates = await goldPendingDates(dataDir);
    if (pendingDates.length > 0) (options.onGoldPending ?? ((dates) => warnOnce(describeGoldPending(dates), warn)))(pendingDates);
    return session;
  }

  /**
   * Runs SQL; `params` bind positional `?` placeholders in order. The whole result, as rows of
   * JS values (see {@link queryChunks} for a caller that converts only some).
   *
   * @example
   * const { columns, rows } = await session.query('SELECT count(*) AS n FROM gold_streams_diario');
   */
  async query(sql: string, params?: unknown[]): Promise<ResultSet> {
    const whole: ResultSet = { columns: [], rows: [] };
    for await (const chunk of this.queryChunks(sql, params)) {
      whole.columns = chunk.columns;
      for (const row of chunk.rows()) whole.rows.push(row);
    }
    return whole;
  }

  /**
   * Runs SQL to its end, then yields its rows a DuckDB chunk (up to 2,048 rows) at a time, each
   * with the column names (an empty result yields them once, with no rows), so a caller that only
   * counts rows does not convert them. The result is held by DuckDB until the last chunk: a result
   * larger than memory is written to a file instead (`query --out`, or printing csv and json).
   * A query that failed throws, whichever row it failed on. A query that found a file gone which
   * another process removed after the query listed it runs again, up to {@link QUERY_ATTEMPTS}
   * times in all, as does one that met a lake object the views then leave out (see `recovered`).
   *
   * @example
   * for await (const chunk of session.queryChunks('SELECT * FROM gold_streams_diario')) write(chunk.rows());
   */
  async *queryChunks(sql: string, params?: unknown[]): AsyncGenerator<ResultChunk> {
    const release = await this.turns.takeTurn();
    try {
      await this.createViewsFor(sql);
      yield* this.retries.runWithRetries(sql, params);
    } finally {
      release();
    }
  }

  /**
   * Whether `sql` holds a statement at all, rather than only blanks, comments or semicolons.
   * DuckDB's bindings answer SQL of no statement with a bare "Error in native callback", as they
   * answer a syntax error; the same SQL with one statement after it tells the two apart. SQL
   * that does not parse counts as holding one: running it reports its own error.
   *
   * @example
   * await session.holdsStatement('-- nothing yet'); // false
   */
  async holdsStatement(sql: string): Promise<boolean> {
    const release = await this.turns.takeTurn();
    try {
      return await holdsStatement(this.connection, sql);
    } finally {
      release();
    }
  }

  /**
   * How many parameter placeholders (`?`, `$1`, `$name`) the statements of `sql` hold; a
   * statement that cannot be planned counts none (running it reports its own error).
   *
   * @example
   * await session.placeholderCount('SELECT * FROM silver_streams WHERE nome_streamer = ?'); // 1
   */
  async placeholderCount(sql: string): Promise<number> {
    const release = await this.turns.takeTurn();
    try {
      await this.createViewsFor(sql);
      return await placeholderCount(this.connection, sql);
    } finally {
      release();
    }
  }

  /**
   * The columns `sql` returns, planned without running it. Throws {@link NotAQueryError} unless
   * `sql` is exactly one statement that returns rows (SELECT, FROM, WITH, VALUES, DESCRIBE, SHOW,
   * SUMMARIZE) and can be read as a subquery.
   *
   * @example
   * const columns = await session.queryColumns('SELECT * FROM gold_streamers_diario');
   */
  async queryColumns(sql: string): Promise<QueryColumn[]> {
    const release = await this.turns.takeTurn();
    try {
      await this.createViewsFor(sql);
      const statements = await this.connection.extractStatements(sql);
      if (statements.count !== 1) throw new NotAQueryError(`expected one query, found ${statements.count} statements`);
      const prepared = await statements.prepare(0).catch(async (error: unknown) => {
        // A lake view reached without being named is created; the plan is then made again, once.
        if (!(await this.retries.recoveredFromUncreatedView(error))) throw error;
        return (await this.connection.extractStatements(sql)).prepare(0);
      });
      return await subqueryColumns(this.connection, sql, prepared);
    } finally {
      release();
    }
  }

  /**
   * Runs one statement whose result is a count (a `COPY … TO`, an export) and returns that
   * count; like {@link queryChunks}, it runs again when it found a file another process removed.
   *
   * @example
   * const rows = await session.runCount("COPY (SELECT 1) TO 'one.csv'");
   */
  async runCount(sql: string, params?: unknown[]): Promise<number> {
    const release = await this.turns.takeTurn();
    try {
      await this.createViewsFor(sql);
      return await this.retries.countWithRetries(sql, params);
    } finally {
      release();
    }
  }

  /**
   * Runs `sqlOf(source)`, where `source` stands for `realtime_events` read from only the
   * segments that can hold the newest item `newestSqlOf(source)` asks for: a query returning
   * its collection time in epoch milliseconds (NULL when there is none), with the same `params`.
   * The answer is the one over the whole table (see `LocalRealtimeTable.newestSource`), read
   * from an hour or two of segments when the answer lies there instead of from two days of them.
   * A segment removed meanwhile (its items expired) is listed again: the source names its files.
   * `options.channel` narrows the segments to those that may hold that channel's items.
   *
   * @example
   * const last = await session.queryNewestRealtime(
   *   (source) => `SELECT * FROM ${source} WHERE nome_streamer = ? ORDER BY "timestamp" DESC LIMIT 1`,
   *   (source) => `SELECT epoch_ms(max("timestamp")) FROM ${source} WHERE nome_streamer = ?`,
   *   ['gaules'],
   * );
   */
  async queryNewestRealtime(sqlOf: (source: string) => string, newestSqlOf: (source: string) => string, params?: unknown[], options?: NewestSourceOptions): Promise<ResultSet> {
    return queryNewestRealtime(this.realtime, (sql, queryParams) => this.query(sql, queryParams), sqlOf, newestSqlOf, params, options);
  }

  /**
   * `realtime_events` as a table expression with every live version of each key: the same keys,
   * so the same distinct channels and newest time, without ranking versions (a third of the cost
   * of a count over a full table).
   *
   * @example
   * await session.query(`SELECT count(DISTINCT nome_streamer) FROM ${session.realtimeEveryVersion()}`);
   */
  realtimeEveryVersion(): string {
    return this.realtime.duckdbSource({ everyVersion: true });
  }

  /** Creates the lake views `sql` reads that the session has not created yet, naming what they leave out. */
  private async createViewsFor(sql: string): Promise<void> {
    const { bad, outdated } = await this.lake.createFor(sql);
    if (bad.length > 0) this.onBadObjects(bad);
    if (outdated.length > 0) this.onOutdatedObjects(outdated);
  }

  private get alertsDirectory(): string {
    return join(this.dataDir, 'alerts');
  }

  /** (Re)creates the `alerts` view over the delivered alerts' files there now. */
  private async createAlertsView(): Promise<void> {
    const { sql, unreadable } = await alertsViewStatement(this.alertsDirectory);
    await this.connection.run(sql);
    this.unreadableAlerts = unreadable;
  }

  /**
   * Stops the statement running now (it fails with "Interrupted"), e.g. on Ctrl-C; the process
   * would otherwise wait for a long export to finish before it exits.
   *
   * @example
   * process.once('SIGINT', () => session.interrupt());
   */
  interrupt(): void {
    this.connection.interrupt();
  }

  async close(): Promise<void> {
    await this.closeInstance();
  }
}
