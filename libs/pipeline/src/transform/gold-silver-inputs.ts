import { type DuckDbEngine, parquetDataProblem, parquetFileProblems, parquetKeyValues } from '@twitch-pipeline/duckdb';
import { bronzeKey, parseLakeKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';
import { type CorruptObject, quarantineCorruptObject } from './corrupt-objects';
import type { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY } from './model-version';
import type { SilverVersionsTaken } from './gold-pending';
import { goldNeighbourKeys, shiftDate, silverObjectsOf, versionOf } from './silver-neighbours';
import { silverModelVersion } from './silver-object';
import { runSilver } from './silver-step';
import type { GoldOptions, OutdatedSilverObject } from './transform-types';

/** The local silver files one date's gold reads. */
export interface SilverInputs {
  /** Every local copy made, to discard once the date is written. */
  downloaded: string[];
  /** The date's readable silver objects of the current model. */
  paths: string[];
  /**
   * Versions (see `versionOf`) of the date's own objects read or deliberately left out, to tell
   * whether another run changed the date meanwhile.
   */
  listed: Set<string>;
  /** The versions of the date's objects and its neighbours the build took, for the markers. */
  taken: SilverVersionsTaken;
  /** The last silver object of the day before and the first of the day after, when readable and current. */
  neighbours: string[];
}

/**
 * Gathers the silver a date's gold reads, for the whole gold run (it remembers what it set
 * aside and rebuilt across dates and passes):
 * - an unreadable silver object of the date (empty, truncated, torn) is moved to
 *   `quarantine/corrupt/`, so the next silver run finds its bronze object pending and rebuilds
 *   it, a neighbour too (its rebuild marks the dates it changes, this one included);
 * - a silver object another version of the silver model wrote (its footer names another
 *   version, or none: a lake kept across an upgrade) is rebuilt from its bronze object first,
 *   when the run knows how silver runs (`GoldOptions.silver`), and otherwise, or when that
 *   fails, left out and reported, so the models never read columns they do not know.
 *
 * @example
 * const collector = new SilverInputCollector(engine, workspace, options);
 * const inputs = await collector.collect('2026-11-29');
 */
export class SilverInputCollector {
  readonly corrupt: CorruptObject[] = [];
  private readonly outdatedByKey = new Map<string, OutdatedSilverObject>();

  constructor(
    private engine: DuckDbEngine,
    private readonly workspace: LakeWorkspace,
    private readonly options: Pick<GoldOptions, 'store' | 'silver' | 'engineOptions' | 'logger'>,
  ) {}

  /** Checks the next dates' silver on `engine`, the gold step's fresh one (see `DATES_PER_ENGINE`). */
  useEngine(engine: DuckDbEngine): void {
    this.engine = engine;
  }

  /** Every outdated silver object met so far, and what was done about it. */
  get outdated(): OutdatedSilverObject[] {
    return [...this.outdatedByKey.values()];
  }

  /** The date's silver and its neighbours as local files, outdated objects rebuilt or left out. */
  async collect(date: string): Promise<SilverInputs> {
    const { store } = this.options;
    for (;;) {
      const { own, neighbours } = await objectsOfDate(store, date);
      const objects = [...own.map((object) => ({ object, neighbour: false })), ...neighbours.map((object) => ({ object, neighbour: true }))];
      const downloaded = await this.workspace.localPaths(objects.map(({ object }) => object.key));

      const readable: { key: string; path: string; object: ObjectInfo; neighbour: boolean }[] = [];
      const problems = await parquetFileProblems(downloaded, this.engine);
      for (const [index, path] of downloaded.entries()) {
        const { object, neighbour } = objects[index]!;
        const problem = problems.get(path);
        // Set aside with its bytes; the next silver run finds its bronze object pending, rebuilds it
        // and marks the dates it changes. A neighbour too: otherwise nothing would rebuild this date.
        if (problem) this.corrupt.push(await quarantineCorruptObject(store, object.key, path, problem));
        else readable.push({ key: object.key, path, object, neighbour });
      }

      const versions = await parquetKeyValues(this.engine, readable.map((input) => input.path), MODEL_VERSION_KEY);
      const outdated = readable.filter((_, index) => versions[index] !== silverModelVersion());
      const toRebuild = this.options.silver ? outdated.filter((input) => !this.outdatedByKey.has(input.key)) : [];
      if (toRebuild.length > 0) {
        await this.workspace.discard(downloaded);
        await this.rebuild(toRebuild.map((input) => ({ key: input.key, found: versions[readable.indexOf(input)] })));
        continue;
      }
      for (const input of outdated) {
        if (!this.outdatedByKey.has(input.key)) {
          this.outdatedByKey.set(input.key, {
            key: input.key,
            found: versions[readable.indexOf(input)] ?? null,
            action: 'left out',
            reason: 'the gold step was not told how silver runs here, so it cannot rebuild it; run `rebuild`',
          });
        }
      }
      const current = readable.filter((input) => !outdated.includes(input));
      return {
        downloaded,
        paths: current.filter((input) => !input.neighbour).map((input) => input.path),
        listed: new Set(readable.filter((input) => !input.neighbour).map((input) => versionOf(input.object))),
        taken: { read: new Set(current.map((input) => versionOf(input.object))), seen: new Set(readable.map((input) => versionOf(input.object))) },
        neighbours: current.filter((input) => input.neighbour).map((input) => input.path),
      };
    }
  }

  /**
   * After a date failed: reads every value of the date's silver objects and its neighbours, and
   * sets aside those whose data cannot be read (a damaged page behind a sound footer, which the
   * footer check before the build cannot see), as it does torn ones. Returns how many it set aside:
   * when any, the date can be built again without them.
   */
  async setAsideDamaged(date: string): Promise<number> {
    const { store } = this.options;
    const { own, neighbours } = await objectsOfDate(store, date);
    const objects = [...own, ...neighbours];
    const downloaded = await this.workspace.localPaths(objects.map((object) => object.key));
    let setAside = 0;
    try {
      for (const [index, path] of downloaded.entries()) {
        const problem = await parquetDataProblem(path, this.engine);
        if (!problem) continue;
        this.corrupt.push(await quarantineCorruptObject(store, objects[index]!.key, path, problem));
        setAside += 1;
      }
    } finally {
      await this.workspace.discard(downloaded);
    }
    return setAside;
  }

  /** Rewrites outdated silver objects from their bronze objects with the silver step itself. */
  private async rebuild(outdated: { key: string; found: string | undefined }[]): Promise<void> {
    const bronzeKeys = new Map<string, string>();
    for (const { key } of outdated) {
      const parsed = parseLakeKey(key);
      if (parsed) bronzeKeys.set(bronzeKey(parsed.dt, parsed.snapshotId), key);
    }
    const summary = await runSilver({
      ...this.options.silver!,
      store: this.options.store,
      bronzeKeys: [...bronzeKeys.keys()],
      engineOptions: this.options.engineOptions,
      logger: this.options.logger,
    });
    const problems = new Map<string, string>([
      ...summary.failed.map((failure) => [failure.bronzeKey, failure.error] as const),
      ...summary.corrupt.map((object) => [object.key, `its bronze object is unreadable (${object.reason}), moved to ${object.movedTo}`] as const),
    ]);
    const rebuilt = new Set(summary.processed.map((result) => result.silverKey));
    for (const { key, found } of outdated) {
      const bronze = [...bronzeKeys].find(([, silver]) => silver === key)?.[0];
      const problem = bronze ? problems.get(bronze) : 'not a silver object key';
      this.outdatedByKey.set(key, {
        key,
        found: found ?? null,
        ...(rebuilt.has(key) ? { action: 'rebuilt' as const } : { action: 'left out' as const, reason: `could not be rebuilt from bronze: ${problem ?? 'not processed'}` }),
      });
    }
    this.options.logger?.warn('silver objects written by another version of the silver model rebuilt from bronze', {
      outdated: outdated.length,
      rebuilt: rebuilt.size,
    });
  }
}

/** A date's silver objects and those of the days around it that its gold reads (see `goldNeighbourKeys`). */
async function objectsOfDate(store: ObjectStore, date: string): Promise<{ own: ObjectInfo[]; neighbours: ObjectInfo[] }> {
  const [own, before, after] = await Promise.all([silverObjectsOf(store, date), silverObjectsOf(store, shiftDate(date, -1)), silverObjectsOf(store, shiftDate(date, 1))]);
  const chosen = new Set(goldNeighbourKeys(own.map((object) => object.key), before.map((object) => object.key), after.map((object) => object.key)));
  return { own, neighbours: [...before, ...after].filter((object) => chosen.has(object.key)) };
}
