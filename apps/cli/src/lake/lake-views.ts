import { join, resolve, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { pathOfDuckdbLiteral } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { type BadLakeObject, LakeObjectCheck } from './lake-object-check';
import { LAKE_OBJECTS_VIEW, lakeObjectsStatement } from './lake-objects-view';
import { LAKE_VIEWS, type LakeView, viewStatement } from './views';

/**
 * Whether a query failed on a Parquet file whose footer reads but whose data does not, and which
 * file: a page that does not decompress, which DuckDB names (`Failed to read file "…"`), in the
 * lake under `lakeFolder` (a user's own file elsewhere is not the lake's to leave out), or a
 * damaged page header, a Thrift error of DuckDB's `Invalid` kind, which names no file (`path`
 * undefined) and which no query of sound files meets. Undefined for any other failure.
 *
 * @example
 * damagedDataOf(new Error('Invalid Error: TProtocolException: Invalid data'), './data/lake'); // {}
 */
export function damagedDataOf(error: unknown, lakeFolder: string): { path?: string } | undefined {
  const message = error instanceof Error ? error.message : '';
  const named = /Failed to read file "(.+?)": /.exec(message)?.[1];
  if (named !== undefined) {
    const path = lakePathOf(named, lakeFolder);
    return path === undefined ? undefined : { path };
  }
  return /^Invalid Error: |TProtocolException|decompression failure/m.test(message) ? {} : undefined;
}

/**
 * DuckDB's messages for a file it could not open, read or seek in, or whose Parquet framing (size,
 * trailing magic, footer length) is wrong, each naming the file. A file can turn so without its
 * size or time changing (read permission removed, same-size damage with its time restored), so
 * a cached verdict cannot see it.
 */
const UNREADABLE_FILE = [
  /Cannot open file "(.+?)": /,
  /Could not read from file "(.+?)": /,
  /Could not read enough bytes from file "(.+?)": /,
  /Could not seek to location \d+ for file "(.+?)": /,
  /No magic bytes found at end of file '(.+)'$/m,
  /Footer length error in file '(.+)'$/m,
  /Invalid footer length provided for file '(.+)'$/m,
  /File '(.+)' too small to be a Parquet file$/m,
];

/**
 * The local path of the lake file under `lakeFolder` a query failed to open or whose framing
 * was bad (see `UNREADABLE_FILE`), or undefined for any other failure, a user's own file
 * elsewhere included.
 *
 * @example
 * unreadableFileOf(new Error('IO Error: Cannot open file "/data/lake/raw/streams/dt=2026-11-29/a.parquet": Permission denied'), '/data/lake');
 * // '/data/lake/raw/streams/dt=2026-11-29/a.parquet'
 */
export function unreadableFileOf(error: unknown, lakeFolder: string): string | undefined {
  const message = error instanceof Error ? error.message : '';
  for (const pattern of UNREADABLE_FILE) {
    const named = pattern.exec(message)?.[1];
    if (named !== undefined) return lakePathOf(named, lakeFolder);
  }
  return undefined;
}

/** A file DuckDB named (as the views listed it, or as its literal pattern: see `duckdbLiteralPath`) when it is under `lakeFolder`. */
function lakePathOf(named: string, lakeFolder: string): string | undefined {
  return [named, pathOfDuckdbLiteral(named)].map((candidate) => resolve(candidate)).find((candidate) => candidate.startsWith(resolve(lakeFolder) + sep));
}

/** Statements that list or export the catalog, which must show every view. */
const CATALOG = /\b(information_schema|duckdb_\w+|pg_\w+|sqlite_\w+|show|show_tables\w*|describe|summarize|export\s+database)\b/i;

/**
 * Whether `sql` may read the view named `name`: it names it (in any case, quoted or not, even in a
 * comment or string: a view created for nothing only costs time), or lists the catalog.
 */
function readsView(sql: string, name: string): boolean {
  return CATALOG.test(sql) || new RegExp(`\\b${name}\\b`, 'i').test(sql);
}

/** What {@link LakeViews.create} checks beyond a plain check of new or changed objects. */
interface CreateOptions {
  /** Objects to read whole once (see `LakeObjectCheck.open`). */
  readWhole?: (path: string) => boolean;
  /** A lake file whose cached verdict is dropped and checked again. */
  recheck?: string;
}

/**
 * A session's views over the lake (one per layer and gold table), and the objects they left out.
 * They are recreated over the objects there now when a statement meets a bad file its cached
 * verdict called readable: a file whose size and version stayed as they were (read permission
 * removed, damage whose time was restored) is checked again only when DuckDB names it.
 *
 * @example
 * const views = new LakeViews(connection, './data', (bad) => process.stderr.write(describeBadObjects(bad)));
 * await views.create();
 * console.log(views.bad, views.outdated);
 */
export class LakeViews {
  /** What each view created so far left out (unreadable objects) and read from another model version, by view name. */
  private readonly found = new Map<string, { bad: BadLakeObject[]; outdated: string[] }>();

  /** Lake objects the views left out because they are not readable Parquet. */
  get bad(): BadLakeObject[] {
    return [...this.found.values()].flatMap((view) => view.bad);
  }

  /** Keys of silver and gold objects another version of the models wrote (read as they are, by column name). */
  get outdated(): string[] {
    return [...this.found.values()].flatMap((view) => view.outdated);
  }

  /** Whether `lake_objects` was created (from a listing, when a statement first read it). */
  private listedObjects = false;

  /** Lake files checked again after a failure named them: once each, so one that checks readable again fails as it did rather than loop. */
  private readonly rechecked = new Set<string>();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly dataDir: string,
    private readonly onBadObjects: (bad: readonly BadLakeObject[]) => void,
  ) {}

  /**
   * (Re)creates `views` (by default every one) over the objects there now. A view whose creation
   * fails on a lake file DuckDB could not open or frame is created again with that file checked
   * again (left out when it is bad), so that one bad file never fails the command.
   */
  async create(options: CreateOptions = {}, views: readonly LakeView[] = LAKE_VIEWS): Promise<void> {
    if (views.length === 0) return;
    const store = new LocalObjectStore(join(this.dataDir, 'lake'));
    const check = await LakeObjectCheck.open(store, join(this.dataDir, 'cache', 'lake-objects.json'), options);
    if (options.recheck !== undefined) check.forget(options.recheck);
    try {
      for (const view of views) {
        let statement = await viewStatement(view, store, check);
        for (;;) {
          try {
            await this.connection.run(statement.sql);
            break;
          } catch (error) {
            const path = this.claimUnreadable(error);
            if (path === undefined) throw error;
            check.forget(path);
            statement = await viewStatement(view, store, check);
          }
        }
        this.found.set(view.name, { bad: statement.bad, outdated: statement.outdated });
      }
    } finally {
      await check.close();
    }
  }

  /**
   * Creates the views `sql` reads that are not created yet, and returns what they left out and
   * read from another model version: a view is created when first read, so that a query of one
   * gold table does not list and check a year of bronze and silver.
   *
   * @example
   * const { bad, outdated } = await views.createFor('SELECT count(*) FROM gold_streamers_diario');
   */
  async createFor(sql: string): Promise<{ bad: BadLakeObject[]; outdated: string[] }> {
    const missing = LAKE_VIEWS.filter((view) => !this.found.has(view.name) && readsView(sql, view.name));
    await this.create({}, missing);
    if (!this.listedObjects && readsView(sql, LAKE_OBJECTS_VIEW.name)) await this.listObjects();
    const created = missing.map((view) => this.found.get(view.name)!);
    return { bad: created.flatMap((view) => view.bad), outdated: created.flatMap((view) => view.outdated) };
  }

  /**
   * Whether `error` says a statement read a lake view not created yet, one its text did not name
   * (`query_table('silver_' || 'streams')`): that view is created, and the statement may run again.
   */
  async recoveredFromUncreatedView(error: unknown): Promise<{ bad: BadLakeObject[]; outdated: string[] } | undefined> {
    const name = /Table with name (\S+) does not exist/.exec(error instanceof Error ? error.message : '')?.[1]?.replace(/!$/, '');
    const known = name !== undefined && [...LAKE_VIEWS.map((view) => view.name), LAKE_OBJECTS_VIEW.name].includes(name.toLowerCase());
    if (!known || this.found.has(name.toLowerCase()) || (name.toLowerCase() === LAKE_OBJECTS_VIEW.name && this.listedObjects)) return undefined;
    return this.createFor(name);
  }

  /** Recreates the views created so far (after a file they listed was removed or turned unreadable). */
  private async createAgain(options: CreateOptions): Promise<void> {
    await this.create(options, LAKE_VIEWS.filter((view) => this.found.has(view.name)));
    if (this.listedObjects) await this.listObjects();
  }

  /** (Re)creates `lake_objects` from a listing of the lake now. */
  private async listObjects(): Promise<void> {
    const { sql, params } = await lakeObjectsStatement(new LocalObjectStore(join(this.dataDir, 'lake')));
    await this.connection.run(sql, params);
    this.listedObjects = true;
  }

  /** Recreates the views created so far, after a file they listed was removed. */
  async refresh(): Promise<void> {
    await this.createAgain({});
  }

  /**
   * Whether `error` is a lake object whose footer reads but whose data does not (a damaged page),
   * now left out of the views: the object DuckDB named, or where it named none, every object of
   * the lake not read whole before, is read whole once, and one whose data does not decode is
   * named like any other unreadable object. The query may then run again; it fails as before
   * when no such object was found.
   */
  async recoveredFromDamagedData(error: unknown): Promise<boolean> {
    const damaged = damagedDataOf(error, join(this.dataDir, 'lake'));
    if (!damaged) return false;
    return (await this.recreate({ readWhole: damaged.path === undefined ? () => true : (path) => path === damaged.path })) > 0;
  }

  /**
   * Whether `error` names a lake file DuckDB could not open or frame, not named before: its
   * cached verdict is dropped and it is checked again (left out and named when bad), and the
   * query may run again, once for that file: one that checks readable again (a passing error)
   * gets that one run, then its error stands.
   */
  async recoveredFromUnreadableFile(error: unknown): Promise<boolean> {
    const path = this.claimUnreadable(error);
    if (path === undefined) return false;
    await this.recreate({ recheck: path });
    return true;
  }

  /** Recreates the views, names the objects they newly leave out, and returns how many there are. */
  private async recreate(options: CreateOptions): Promise<number> {
    const before = new Set(this.bad.map((object) => object.key));
    await this.createAgain(options);
    const found = this.bad.filter((object) => !before.has(object.key));
    if (found.length > 0) this.onBadObjects(found);
    return found.length;
  }

  /** The lake file `error` names as unopenable or badly framed, unless it was checked again before. */
  private claimUnreadable(error: unknown): string | undefined {
    const path = unreadableFileOf(error, join(this.dataDir, 'lake'));
    if (path === undefined || this.rechecked.has(path)) return undefined;
    this.rechecked.add(path);
    return path;
  }
}
