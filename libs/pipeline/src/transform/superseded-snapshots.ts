import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetKeyValues, withEngine } from '@twitch-pipeline/duckdb';
import { intlLocalDate } from '@twitch-pipeline/features';
import { BRONZE_TIME_ZONE_KEY, LAKE_PREFIXES, parseSnapshotKey, quarantineKey, silverKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';
import { type CorruptObject, corruptObjectKey } from './corrupt-objects';
import { markGoldPending } from './gold-pending';
import { datesToRebuildByKey } from './silver-neighbours';

/** What setting aside the older copies of re-collected snapshots did. */
export interface SupersededSnapshots {
  /** The older bronze copies, moved to `quarantine/corrupt/` with the reason. */
  setAside: CorruptObject[];
  /** The dates whose gold counted an older copy (its date and the neighbours that read it). */
  dates: string[];
}

/** The collection instant a snapshot id names (`20261130T233000Z`). */
function instantOf(snapshotId: string): string {
  const part = (from: number, to: number) => snapshotId.slice(from, to);
  return `${part(0, 4)}-${part(4, 6)}-${part(6, 8)}T${part(9, 11)}:${part(11, 13)}:${part(13, 15)}Z`;
}

/**
 * Whether each copy is dated as the extract dates it: its `dt` is the snapshot's local date in
 * the zone its footer names (a copy without one cannot be told, and counts as dated right). A
 * copy made by hand into another date's folder is not, and is left to silver's identity check,
 * which sets it aside as misplaced, rather than supersede the copy the extract wrote; so is a
 * copy that cannot be read, which silver sets aside as unreadable.
 */
async function datedRight(store: ObjectStore, copies: readonly ObjectInfo[]): Promise<Set<string>> {
  const folder = await mkdtemp(join(tmpdir(), 'superseded-'));
  try {
    return await withEngine({}, async (engine) => {
      const right = new Set<string>();
      for (const [index, copy] of copies.entries()) {
        const { dt, snapshotId } = parseSnapshotKey(copy.key)!;
        const path = join(folder, `${index}.parquet`);
        await writeFile(path, await store.get(copy.key));
        // A copy whose footer cannot be read supersedes nothing: silver's own check sets it aside.
        const zones = await parquetKeyValues(engine, [path], BRONZE_TIME_ZONE_KEY).catch(() => undefined);
        if (zones === undefined) continue;
        const [zone] = zones;
        if (zone === undefined || intlLocalDate(instantOf(snapshotId), zone) === dt) right.add(copy.key);
      }
      return right;
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Bronze objects of a snapshot id that another bronze object of the same id supersedes: a slot
 * collected again after `PIPELINE_TIMEZONE` changed lands under another `dt`, and both copies
 * would count in gold. Of the copies dated right, the newest (by modification time, then by key)
 * stays.
 */
async function supersededCopies(store: ObjectStore, bronze: readonly ObjectInfo[]): Promise<{ key: string; keptKey: string }[]> {
  const bySnapshot = new Map<string, ObjectInfo[]>();
  for (const object of bronze) {
    const parsed = parseSnapshotKey(object.key);
    if (parsed) bySnapshot.set(parsed.snapshotId, [...(bySnapshot.get(parsed.snapshotId) ?? []), object]);
  }
  const repeated = [...bySnapshot.values()].filter((copies) => copies.length > 1);
  if (repeated.length === 0) return [];
  const right = await datedRight(store, repeated.flat());
  const newestFirst = (a: ObjectInfo, b: ObjectInfo) => b.lastModified.getTime() - a.lastModified.getTime() || b.key.localeCompare(a.key);
  return repeated.flatMap((copies) => {
    const [kept, ...older] = copies.filter((copy) => right.has(copy.key)).sort(newestFirst);
    return kept ? older.map((object) => ({ key: object.key, keptKey: kept.key })) : [];
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
  const copies = await supersededCopies(store, listed.filter((object) => object.key.startsWith(LAKE_PREFIXES.bronze)));
  const result: SupersededSnapshots = { setAside: [], dates: [] };
  if (copies.length === 0) return result;
  const silverOf = (key: string) => {
    const { dt, snapshotId } = parseSnapshotKey(key)!;
    return { silver: silverKey(dt, snapshotId), quarantine: quarantineKey(dt, snapshotId, 'silver'), dt };
  };
  const dates = await datesToRebuildByKey(
    store,
    copies.map((copy) => silverOf(copy.key).silver),
  );
  const all = new Set<string>();
  for (const copy of copies) {
    const { silver, quarantine, dt } = silverOf(copy.key);
    const { snapshotId } = parseSnapshotKey(copy.key)!;
    const affected = dates.get(silver) ?? [dt];
    for (const date of affected) {
      await markGoldPending(store, silverKey(date, snapshotId));
      all.add(date);
    }
    await store.delete(silver);
    await store.delete(quarantine);
    const reason = `superseded by ${copy.keptKey}, a later collection of the same slot under another date (the time zone changed)`;
    const movedTo = corruptObjectKey(copy.key);
    // A snapshot's bronze object is a few megabytes at most: it is moved through memory.
    await store.put(movedTo, await store.get(copy.key));
    await store.put(`${movedTo}.reason.json`, `${JSON.stringify({ key: copy.key, reason, movedAt: new Date().toISOString() })}\n`);
    await store.delete(copy.key);
    result.setAside.push({ key: copy.key, reason, action: 'quarantined', movedTo });
  }
  result.dates = [...all].sort();
  return result;
}
