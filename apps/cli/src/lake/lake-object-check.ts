import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDbEngine, parquetDataProblem, parquetFileProblems, parquetKeyValues, parquetSchemas } from '@twitch-pipeline/duckdb';
import { MODEL_VERSION_KEY } from '@twitch-pipeline/pipeline';
import { LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { LocalObjectStore, ObjectInfo } from '@twitch-pipeline/storage';
import { PROGRAM } from '../cli/command';
import { terminalSafe } from '../cli/table';
import { columnTypeProblems, isColumnTypeProblem, type ViewColumn } from './column-type-problems';

/** A lake object a view leaves out, and why. */
export interface BadLakeObject {
  key: string;
  reason: string;
}

interface Verdict {
  size: number;
  /** The file's version as the store lists it (inode and time in nanoseconds): any rewrite changes it. */
  etag: string;
  problem?: string;
  /** The model version in a readable file's footer (null: none); absent in verdicts cached before it was read. */
  model?: string | null;
  /** Whether its columns' types were checked against its view's (absent in verdicts cached before). */
  typed?: boolean;
  /** Whether every value of it was read once (only after a query met a damaged page: see `readWhole`). */
  whole?: boolean;
  /** Its schema's signature (see `parquetSchemas`; absent in verdicts cached before it was read). */
  schema?: string;
}

/** Verdicts by file path, shared by the checks of one process (a served dashboard reloads often). */
const known = new Map<string, Verdict>();
const loadedFiles = new Set<string>();

/**
 * Checks lake objects before the views read them: readable Parquet files go into the views, bad
 * ones (empty, truncated, torn, not Parquet) are left out and named. A full check (footer bytes,
 * then DuckDB parses the footers, all those new to the check in one statement) costs about half a
 * millisecond a file, so each verdict is kept by path with the file's size and version (inode and
 * time in nanoseconds, which every atomic rewrite changes), in memory and in a cache file under
 * the data directory: a later command checks only new or changed objects.
 *
 * @example
 * const check = await LakeObjectCheck.open(store, './data/cache/lake-objects.json');
 * const { paths, bad, outdated } = await check.split(await store.list('silver/streams/'), silverModelVersion());
 * await check.close();
 */
export class LakeObjectCheck {
  private engine: DuckDbEngine | undefined;
  private changed = false;

  private constructor(
    private readonly store: LocalObjectStore,
    private readonly cacheFile: string,
    private readonly readWhole: ((path: string) => boolean) | undefined,
  ) {}

  /**
   * With `readWhole`, every readable object it takes (by local path) not read whole before is
   * read whole once (all its values decoded, about as long as a query of all its columns), and
   * one whose data does not decode is bad too: a damaged page behind a sound footer fails only
   * the queries that reach it, so a session asks for this only after a query failed so (see
   * `damagedDataOf`).
   */
  static async open(store: LocalObjectStore, cacheFile: string, options: { readWhole?: (path: string) => boolean } = {}): Promise<LakeObjectCheck> {
    if (!loadedFiles.has(cacheFile)) {
      loadedFiles.add(cacheFile);
      // A missing or unreadable cache only means checking again.
      const cached = await readFile(cacheFile, 'utf8')
        .then((text) => JSON.parse(text) as Record<string, Verdict>)
        .catch(() => ({}));
      for (const [path, verdict] of Object.entries(cached)) if (!known.has(path)) known.set(path, verdict);
    }
    return new LakeObjectCheck(store, cacheFile, options.readWhole);
  }

  /**
   * The readable objects' local paths (and the same grouped by schema, in `sameSchema`: files
   * DuckDB may read together by the first one's columns), the bad objects with their reasons, and
   * the keys of readable objects whose footer names another model version than `model` (when given). With
   * the view's `columns`, an object holding one of them in a type the view's cannot take
   * implicitly (a file another tool wrote under a pipeline key: text where the view sums
   * numbers) is bad too: read by name beside the others, it would turn the view's column into
   * text and fail every query of it.
   */
  async split(
    objects: readonly ObjectInfo[],
    model?: string,
    columns?: readonly ViewColumn[],
  ): Promise<{ paths: string[]; bad: BadLakeObject[]; outdated: string[]; sameSchema: string[][] }> {
    const verdicts: Verdict[] = [];
    const unversioned: { path: string; verdict: Verdict }[] = [];
    const unschemed: { path: string; verdict: Verdict }[] = [];
    const local = objects.map((object) => this.store.pathOf(object.key));
    const unchecked = objects.flatMap((object, index) => {
      const verdict = known.get(local[index]!);
      // A file this user could not open may be made readable again (chmod) with its size and version kept.
      const retry = verdict?.problem?.startsWith('cannot open:') === true;
      return !verdict || retry || verdict.size !== object.size || verdict.etag !== object.etag ? [index] : [];
    });
    if (unchecked.length > 0) {
      // All new or changed footers at once: a lake fresh from a backfill has thousands.
      const problems = await parquetFileProblems(unchecked.map((index) => local[index]!), await this.openEngine());
      for (const index of unchecked) {
        const problem = problems.get(local[index]!);
        known.set(local[index]!, { size: objects[index]!.size, etag: objects[index]!.etag, ...(problem ? { problem } : {}) });
      }
      this.changed = true;
    }
    for (const path of local) {
      const verdict = known.get(path)!;
      if (this.readWhole?.(resolve(path)) && !verdict.problem && !verdict.whole) {
        const problem = await parquetDataProblem(path, await this.openEngine());
        Object.assign(verdict, { whole: true }, problem ? { problem } : {});
        this.changed = true;
      }
      // One read of the footers' schemas gives the column types to check and the signature.
      if (!verdict.problem && ((columns !== undefined && !verdict.typed) || verdict.schema === undefined)) unschemed.push({ path, verdict });
      // Only layers written by a model (silver, gold) are asked for a version, all in one query.
      if (model !== undefined && !verdict.problem && verdict.model === undefined) unversioned.push({ path, verdict });
      verdicts.push(verdict);
    }
    if (unschemed.length > 0) {
      const engine = await this.openEngine();
      const schemas = await parquetSchemas(engine, unschemed.map(({ path }) => path));
      const untyped = columns === undefined ? [] : unschemed.flatMap(({ verdict }, index) => (verdict.typed ? [] : [{ verdict, leaves: schemas[index]?.leaves ?? [] }]));
      const problems = await columnTypeProblems(engine, untyped.map(({ leaves }) => leaves), columns ?? []);
      untyped.forEach(({ verdict }, index) => {
        Object.assign(verdict, { typed: true }, problems[index] ? { problem: problems[index] } : {});
      });
      unschemed.forEach(({ path, verdict }, index) => {
        // A schema not read back is no one else's: the file is read on its own, by name.
        verdict.schema = schemas[index]?.signature ?? `unknown:${path}`;
      });
      this.changed = true;
    }
    if (unversioned.length > 0) {
      const found = await parquetKeyValues(await this.openEngine(), unversioned.map(({ path }) => path), MODEL_VERSION_KEY);
      unversioned.forEach(({ verdict }, index) => {
        verdict.model = found[index] ?? null;
      });
      this.changed = true;
    }
    const paths: string[] = [];
    const bad: BadLakeObject[] = [];
    const outdated: string[] = [];
    const bySchema = new Map<string, string[]>();
    objects.forEach((object, index) => {
      const verdict = verdicts[index]!;
      if (verdict.problem) bad.push({ key: object.key, reason: verdict.problem });
      else {
        paths.push(local[index]!);
        const group = bySchema.get(verdict.schema!) ?? [];
        if (group.length === 0) bySchema.set(verdict.schema!, group);
        group.push(local[index]!);
        if (model !== undefined && verdict.model !== model) outdated.push(object.key);
      }
    });
    return { paths, bad, outdated, sameSchema: [...bySchema.values()] };
  }

  /**
   * Drops the verdict of the file at local `path`, so that the next `split` taking it checks it
   * again as a new file: for a file a query failed to open or frame though its size and version
   * are those its verdict was kept with.
   */
  forget(path: string): void {
    known.delete(path);
  }

  /** The check's engine: one thread for footers, every core to read objects whole. */
  private async openEngine(): Promise<DuckDbEngine> {
    this.engine ??= await DuckDbEngine.open(this.readWhole !== undefined ? {} : { threads: 1 });
    return this.engine;
  }

  /** Saves the verdicts when any changed, and releases DuckDB. */
  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
    if (!this.changed) return;
    // Lake objects are rewritten in place or set aside, rarely deleted: the cache stays about the lake's size.
    const entries = [...known.entries()];
    const temporary = `${this.cacheFile}.${randomUUID()}.tmp`;
    try {
      await mkdir(dirname(this.cacheFile), { recursive: true });
      await writeFile(temporary, JSON.stringify(Object.fromEntries(entries)));
      await rename(temporary, this.cacheFile);
    } catch {
      // Only a speed-up: a read-only data directory still gets correct views.
      await rm(temporary, { force: true });
    }
  }
}

/**
 * What the pipeline does about an unreadable object under each prefix: a cycle sets aside
 * unreadable silver and gold and rebuilds them, but its silver step reads only bronze that has
 * no silver yet or changed after it (see `pendingBronzeKeys`), and only the extract writes a
 * bronze quarantine object.
 */
const FATE_BY_PREFIX = [
  [LAKE_PREFIXES.silver, 'silver: the next cycle moves it to quarantine/corrupt/ and rebuilds it from its bronze object, if there is one'],
  [LAKE_PREFIXES.gold, 'gold: the next cycle moves it to quarantine/corrupt/ and rebuilds its date from silver, if the date has any'],
  [
    LAKE_PREFIXES.bronze,
    'bronze: the next cycle moves it to quarantine/corrupt/, keeping its snapshot\'s silver and gold, when it changed after that silver ' +
      `was written (as damage does) or has none yet; one whose time was kept older, only \`${PROGRAM} rebuild\` moves`,
  ],
  [
    LAKE_PREFIXES.quarantine,
    `quarantine: \`${PROGRAM} rebuild\` rewrites a …-silver.parquet one from its bronze object (a cycle only with its snapshot's silver); ` +
      'nothing rewrites a …-bronze.parquet one: it is for you to remove',
  ],
] as const;

/**
 * A bronze object left out only for a column's type (another tool's TIMESTAMP start or DECIMAL
 * count) is not damaged, so no cycle sets it aside as such: the silver model casts bronze's
 * columns itself whenever silver takes the object (see `pendingBronzeKeys`), and silver sets aside
 * only what the model fails on.
 */
const BRONZE_TYPE_FATE =
  'bronze of a column type the bronze view cannot read: only that view leaves it out; silver takes it as any bronze object ' +
  `(the next cycle when its snapshot has no silver yet or it changed after that silver was written, \`${PROGRAM} rebuild\` always) ` +
  'and transforms it when the silver model reads that type (a DECIMAL count, a TIMESTAMP start), or moves it to quarantine/corrupt/ when the model fails on it';

const isTypedBronze = (object: BadLakeObject) => object.key.startsWith(LAKE_PREFIXES.bronze) && isColumnTypeProblem(object.reason);

/** A folder the lake's listing could not read is named by its key with a trailing `/`. */
const isFolderKey = (key: string) => key.endsWith('/');

/**
 * Nothing moves a folder: what reads the lake answers without its objects, while a cycle, which
 * must not build silver or gold from part of a date, stops on it and names it.
 */
const FOLDER_FATE =
  'a folder: nothing moves it; its objects stay out of every answer until this user may read it (ls -ld it and the folders above), ' +
  'and a cycle that needs it stops, naming it';

/**
 * One line per bad object, for stderr and `status`, then what will happen to each kind named.
 * Keys and reasons are made terminal-safe: a file name in the lake is anyone's.
 *
 * @example
 * process.stderr.write(describeBadObjects(session.badObjects));
 */
export function describeBadObjects(bad: readonly BadLakeObject[]): string {
  if (bad.length === 0) return '';
  const lines = bad.map((object) => `  ${terminalSafe(object.key)}: ${terminalSafe(object.reason)}`);
  const objects = bad.filter((object) => !isFolderKey(object.key));
  const damaged = objects.filter((object) => !isTypedBronze(object));
  const fates = FATE_BY_PREFIX.filter(([prefix]) => damaged.some((object) => object.key.startsWith(prefix))).map(([, fate]) => `  ${fate}\n`);
  if (damaged.length < objects.length) fates.push(`  ${BRONZE_TYPE_FATE}\n`);
  if (objects.length < bad.length) fates.push(`  ${FOLDER_FATE}\n`);
  const what = objects.length < bad.length ? 'lake object(s) or folder(s)' : 'lake object(s)';
  return `warning: ${bad.length} unreadable ${what} left out of the views:\n${lines.join('\n')}\nwhat happens to them:\n${fates.join('')}`;
}
