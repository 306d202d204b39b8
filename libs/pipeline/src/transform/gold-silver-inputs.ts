import { type DuckDbEngine, parquetFileProblem, parquetKeyValues } from '@twitch-pipeline/duckdb';
import { bronzeKey, parseLakeKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo } from '@twitch-pipeline/storage';
import { type CorruptObject, quarantineCorruptObject } from './corrupt-objects';
import type { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY } from './model-version';
import { shiftDate, silverKeysOf, silverObjectsOf, versionOf } from './silver-neighbours';
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
   * Identities (key, size, time) of the date's objects read or deliberately left out, to tell
   * whether another run changed the date meanwhile.
   */
  listed: Set<string>;
  /** Identities of the date's objects the models read (current model version, readable). */
  read: Set<string>;
  /** The last silver object of the day before and the first of the day after, when readable and current. */
  neighbours: string[];
}

/**
 * Gathers the silver a date's gold reads, for the whole gold run (it remembers what it set
 * aside and rebuilt across dates and passes):
 * - an unreadable silver object of the date (empty, truncated, torn) is moved to
 *   `quarantine/corrupt/`, so the next silver run finds its bronze object pending and rebuilds
 *   it; an unreadable neighbour is left out here (its own date's rebuild reports it);
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
    private readonly engine: DuckDbEngine,
    private readonly workspace: LakeWorkspace,
    private readonly options: Pick<GoldOptions, 'store' | 'silver' | 'engineOptions' | 'logger'>,
  ) {}

  /** Every outdated silver object met so far, and what was done about it. */
  get outdated(): OutdatedSilverObject[] {
    return [...this.outdatedByKey.values()];
  }

  /**
   * Names an unreadable neighbouring object the date's estimate goes without (the broadcasts
   * crossing midnight lose their join there); its own date's rebuild sets it aside.
   */
  private skipNeighbour(key: string, reason: string): void {
    if (!this.corrupt.some((object) => object.key === key)) this.corrupt.push({ key, reason, action: 'skipped' });
  }

  /** The date's silver and its neighbours as local files, outdated objects rebuilt or left out. */
  async collect(date: string): Promise<SilverInputs> {
    const { store } = this.options;
    for (;;) {
      const objects = await silverObjectsOf(store, date);
      const neighbourKeys = [(await silverKeysOf(store, shiftDate(date, -1))).at(-1), (await silverKeysOf(store, shiftDate(date, 1)))[0]].filter(
        (key): key is string => key !== undefined,
      );
      const datePaths = await this.workspace.localPaths(objects.map((object) => object.key));
      const neighbourPaths = await this.workspace.localPaths(neighbourKeys);
      const downloaded = [...datePaths, ...neighbourPaths];

      const readable: { key: string; path: string; object?: ObjectInfo }[] = [];
      for (const [index, path] of datePaths.entries()) {
        const object = objects[index]!;
        const problem = await parquetFileProblem(path, this.engine);
        // Set aside with its bytes; the next silver run finds its bronze object pending and rebuilds it.
        if (problem) this.corrupt.push(await quarantineCorruptObject(store, object.key, path, problem));
        else readable.push({ key: object.key, path, object });
      }
      for (const [index, path] of neighbourPaths.entries()) {
        const problem = await parquetFileProblem(path, this.engine);
        if (problem) this.skipNeighbour(neighbourKeys[index]!, problem);
        else readable.push({ key: neighbourKeys[index]!, path });
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
        paths: current.filter((input) => input.object).map((input) => input.path),
        listed: new Set(readable.flatMap((input) => (input.object ? [versionOf(input.object)] : []))),
        read: new Set(current.flatMap((input) => (input.object ? [versionOf(input.object)] : []))),
        neighbours: current.filter((input) => !input.object).map((input) => input.path),
      };
    }
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
