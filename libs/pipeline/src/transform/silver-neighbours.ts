import { LAKE_PREFIXES, parseLakeKey, parseSnapshotKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';

/**
 * A date's silver objects (key, size, time) in key order, which is collection order (snapshot
 * ids are UTC instants).
 *
 * @example
 * const objects = await silverObjectsOf(store, '2026-11-29');
 */
export async function silverObjectsOf(store: ObjectStore, date: string): Promise<ObjectInfo[]> {
  return (await store.list(`${LAKE_PREFIXES.silver}dt=${date}/`))
    .filter((object) => parseSnapshotKey(object.key) !== undefined)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Identity of an object version: a rewrite under the same key with other bytes changes its entity
 * tag, even one of the same size within the same second.
 *
 * @example
 * const before = new Set(objects.map(versionOf)); // later: (await store.list(prefix)).some((o) => !before.has(versionOf(o)))
 */
export const versionOf = (object: ObjectInfo) => `${object.key}|${object.size}|${object.lastModified.getTime()}|${object.etag}`;

/**
 * A date's silver object keys in key order (see {@link silverObjectsOf}).
 *
 * @example
 * const keys = await silverKeysOf(store, '2026-11-29');
 */
export async function silverKeysOf(store: ObjectStore, date: string): Promise<string[]> {
  return (await silverObjectsOf(store, date)).map((object) => object.key);
}

/**
 * The calendar date `days` after `date` (both YYYY-MM-DD).
 *
 * @example
 * shiftDate('2026-12-31', 1); // '2027-01-01'
 */
export function shiftDate(date: string, days: number): string {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

/**
 * The dates whose gold a set of new silver objects changes. Hours watched join each snapshot
 * with the next one, so a new first snapshot of a date also settles the previous snapshot's
 * tails (in the day before), and a late last snapshot of a date changes the lead-ins of the
 * first snapshot of the day after: those neighbouring dates are rebuilt too when they have
 * silver objects.
 *
 * @example
 * const dates = await datesToRebuild(store, ['silver/streams/dt=2026-11-30/20261130T030000Z.parquet']);
 * // ['2026-11-29', '2026-11-30'] when it is the first snapshot of 2026-11-30
 */
export async function datesToRebuild(store: ObjectStore, silverKeys: readonly string[]): Promise<string[]> {
  const byKey = await datesToRebuildByKey(store, silverKeys);
  return [...new Set([...byKey.values()].flat())].sort();
}

/**
 * {@link datesToRebuild} for each silver key on its own (keys that are not silver keys have none),
 * listing each date once.
 *
 * @example
 * const byKey = await datesToRebuildByKey(store, keys);
 * byKey.get('silver/streams/dt=2026-11-30/20261130T030000Z.parquet'); // ['2026-11-29', '2026-11-30']
 */
export async function datesToRebuildByKey(store: ObjectStore, silverKeys: readonly string[]): Promise<Map<string, string[]>> {
  const listed = new Map<string, Promise<string[]>>();
  const keysOf = (date: string) => {
    if (!listed.has(date)) listed.set(date, silverKeysOf(store, date));
    return listed.get(date)!;
  };
  const byKey = new Map<string, string[]>();
  for (const key of silverKeys) {
    const parsed = parseLakeKey(key);
    if (!parsed) continue;
    const dates = [parsed.dt];
    const keys = await keysOf(parsed.dt);
    if (keys[0] === key && (await keysOf(shiftDate(parsed.dt, -1))).length > 0) dates.unshift(shiftDate(parsed.dt, -1));
    if (keys.at(-1) === key && (await keysOf(shiftDate(parsed.dt, 1))).length > 0) dates.push(shiftDate(parsed.dt, 1));
    byKey.set(key, dates);
  }
  return byKey;
}
