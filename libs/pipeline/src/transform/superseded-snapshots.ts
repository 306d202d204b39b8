import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetKeyValues, withEngine } from '@twitch-pipeline/duckdb';
import { localTimesOf } from '@twitch-pipeline/features';
import { BRONZE_TIME_ZONE_KEY, LAKE_PREFIXES, parseSnapshotKey, quarantineKey, silverKey, snapshotTime } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';
import { type CorruptObject, quarantineCorruptObject } from './corrupt-objects';
import { markGoldPending } from './gold-pending';
import { datesToRebuildByKey } from './silver-neighbours';

/** What setting aside the older copies of re-collected snapshots did. */
export interface SupersededSnapshots {
  /** The older bronze copies, moved to `quarantine/corrupt/` with the reason, each naming the copy kept in `supersededBy`. */
  setAside: CorruptObject[];
  /** The dates whose gold counted an older copy (its date and the neighbours that read it). */
  dates: string[];
}

/**
 * Whether each copy is dated as the extract dates it: its `dt` is the snapshot's local date in
 * the zone its footer names, read with DuckDB's zone data as the extract reads it (a copy without a
 * zone cannot be told, and counts as dated right; one naming a zone DuckDB does not know does not). A
 * copy made by hand into another date's folder is not, and is left to silver's identity check,
 * which sets it aside as misplaced, rather than supersede the copy the extract wrote; so is a
 * copy that cannot be read, which silver sets aside as unreadable. `paths`: the local copies.
 */
async function datedRight(paths: ReadonlyMap<string, string>): Promise<Set<string>> {
  return withEngine({}, async (engine) => {
    const right = new Set<string>();
    for (const [key, path] of paths) {
      const { dt, snapshotId } = parseSnapshotKey(key)!;
      const zones = await parquetKeyValues(engine, [path], BRONZE_TIME_ZONE_KEY).catch(() => undefined);
      if (zones === undefined) continue;
      const [zone] = zones;
      if (zone === undefined) {
        right.add(key);
        continue;
      }
      // The extract dated it with DuckDB's zone data, so it is read back with the same (Node's
      // release can differ on a zone whose rules changed); a zone DuckDB does not know cannot be told.
      const local = await localTimesOf(engine, [new Date(snapshotTime(snapshotId)!)], zone).catch((error: unknown) => {
        if (error instanceof Error && /Unknown TimeZone/i.test(error.message)) return undefined;
        throw error;
      });
      if (local?.[0]?.date === dt) right.add(key);
    }
    return right;
  });
}

/** The bronze objects of each snapshot id listed under more than one date. */
function repeatedSnapshots(bronze: readonly ObjectInfo[]): ObjectInfo[][] {
  const bySnapshot = new Map<string, ObjectInfo[]>();
  for (const object of bronze) {
    const parsed = parseSnapshotKey(object.key);
    if (parsed) bySnapshot.set(parsed.snapshotId, [...(bySnapshot.get(parsed.snapshotId) ?? []), object]);
  }
  return [...bySnapshot.values()].filter((copies) => copies.length > 1);
}

/**
 * The copies of repeated snapshots that another copy of the same id supersedes: a slot collected
 * again after `PIPELINE_TIMEZONE` changed lands under another `dt`, and both copies would count
 * in gold. Of the copies dated right, the newest (by modification time, then by key) stays. Each
 * copy is downloaded into `folder` once: read there for its zone, and moved aside from there.
 */
async function supersededCopies(store: ObjectStore, repeated: readonly ObjectInfo[][], folder: string): Promise<{ key: string; keptKey: string; path: string }[]> {
  const paths = new Map<string, string>();
  for (const [index, copy] of repeated.flat().entries()) {
    const path = join(folder, `${index}.parquet`);
    await store.getFile(copy.key, path);
    paths.set(copy.key, path);
  }
  const right = await datedRight(paths);
  const newestFirst = (a: ObjectInfo, b: ObjectInfo) => b.lastModified.getTime() - a.lastModified.getTime() || b.key.localeCompare(a.key);
  return repeated.flatMap((copies) => {
    const [kept, ...older] = copies.filter((copy) => right.has(copy.key)).sort(newestFirst);
    return kept ? older.map((object) => ({ key: object.key, keptKey: kept.key, path: paths.get(object.key)! })) : [];
  });
}

/**
 * Sets aside the older bronze copies of every snapshot collected twice under different dates,
 * with their silver: the gold dates that counted them are marked pending first (so a run stopped
 * half-way still rebuilds them), then the older copy's silver and silver quarantine objects are
 * deleted (they are derived from it), and last its bronze bytes move to `quarantine/corrupt/`
 * with the reason, so nothing collected is lost and a run stopped before that finds the
 * duplicate again. `listed` is a listing of bronze and silver.
 *
 * @example
 * const { setAside, dates } = await setAsideSupersededSnapshots(store, await store.list('raw/'));
 */
export async function setAsideSupersededSnapshots(store: ObjectStore, listed: readonly ObjectInfo[]): Promise<SupersededSnapshots> {
  const result: SupersededSnapshots = { setAside: [], dates: [] };
  // Almost every run finds none, and then touches nothing but the listing it was given.
  const repeated = repeatedSnapshots(listed.filter((object) => object.key.startsWith(LAKE_PREFIXES.bronze)));
  if (repeated.length === 0) return result;
  const folder = await mkdtemp(join(tmpdir(), 'superseded-'));
  try {
    const copies = await supersededCopies(store, repeated, folder);
    if (copies.length === 0) return result;
    const silverOf = (key: string) => {
      const { dt, snapshotId } = parseSnapshotKey(key)!;
      return { silver: silverKey(dt, snapshotId), quarantine: quarantineKey(dt, snapshotId, 'silver'), dt, snapshotId };
    };
    const dates = await datesToRebuildByKey(
      store,
      copies.map((copy) => silverOf(copy.key).silver),
    );
    const all = new Set<string>();
    for (const copy of copies) {
      const { silver, quarantine, dt, snapshotId } = silverOf(copy.key);
      for (const date of dates.get(silver) ?? [dt]) {
        await markGoldPending(store, silverKey(date, snapshotId));
        all.add(date);
      }
      await store.delete(silver);
      await store.delete(quarantine);
      const reason = `superseded by ${copy.keptKey}, a later collection of the same slot under another date (the time zone changed)`;
      result.setAside.push({ ...(await quarantineCorruptObject(store, copy.key, copy.path, reason)), supersededBy: copy.keptKey });
    }
    result.dates = [...all].sort();
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
