import { LAKE_PREFIXES, parseLakeKey, parseSnapshotKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';

/**
 * A date's silver objects (key, size, time) in key order, which is collection order (snapshot
 * ids are UTC instants).
 *
 * @example
 * const objects = await silverObjectsOf(store, '2026-11-29');
 */
export async function silverObjectsOf(store: Pick<ObjectStore, 'list'>, date: string): Promise<ObjectInfo[]> {
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
export async function silverKeysOf(store: Pick<ObjectStore, 'list'>, date: string): Promise<string[]> {
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

/** Snapshot ids are UTC instants written `YYYYMMDDTHHMMSSZ`: their text order is time order. */
const idOf = (key: string) => parseSnapshotKey(key)?.snapshotId ?? '';

/**
 * Of the silver keys of the day before (or after) a date, those the date's gold reads beside its
 * own keys `own`: the nearest snapshot on that side, and every one collected between the date's
 * first and last snapshot. Dates cover time end to end while the zone stays; after
 * `PIPELINE_TIMEZONE` moved west, the snapshots of the next hours land under the earlier local
 * date while the ones just before them stay under the later, so both dates' estimates need the
 * other's snapshots of those hours to join each broadcast whole.
 */
function neighboursOn(side: 'before' | 'after', own: readonly string[], keys: readonly string[]): string[] {
  if (own.length === 0) return side === 'before' ? keys.slice(-1) : keys.slice(0, 1);
  const [first, last] = [idOf(own[0]!), idOf(own.at(-1)!)];
  const between = keys.filter((key) => idOf(key) > first && idOf(key) < last);
  const outside = side === 'before' ? keys.filter((key) => idOf(key) < first).slice(-1) : keys.filter((key) => idOf(key) > last).slice(0, 1);
  return side === 'before' ? [...outside, ...between] : [...between, ...outside];
}

/**
 * The silver keys of the days before and after a date that its gold reads beside its own (all
 * three lists in key order): the last snapshot before the date's first and the first after its
 * last, so that a broadcast crossing midnight is joined whole, and any snapshot of those days
 * collected between the date's first and last (a change of `PIPELINE_TIMEZONE` to the west).
 *
 * @example
 * goldNeighbourKeys(
 *   ['silver/streams/dt=2026-11-30/20261130T030000Z.parquet', 'silver/streams/dt=2026-11-30/20261201T023000Z.parquet'],
 *   ['silver/streams/dt=2026-11-29/20261130T023000Z.parquet'],
 *   ['silver/streams/dt=2026-12-01/20261201T000000Z.parquet', 'silver/streams/dt=2026-12-01/20261201T030000Z.parquet'],
 * ); // the 02:30 of the 29th, the 00:00 and the 03:00 of December 1
 */
export function goldNeighbourKeys(own: readonly string[], before: readonly string[], after: readonly string[]): string[] {
  return [...neighboursOn('before', own, before), ...neighboursOn('after', own, after)];
}

/**
 * The dates whose gold a set of new silver objects changes. Hours watched join each snapshot
 * with the next one, so an object also changes the gold of the day before or after when that
 * day's gold reads it as a neighbour (see {@link goldNeighbourKeys}): a new first snapshot of a
 * date settles the previous snapshot's tails (in the day before), and a late last snapshot of a
 * date changes the lead-ins of the first snapshot of the day after. Those neighbouring dates are
 * rebuilt too when they have silver objects.
 *
 * @example
 * const dates = await datesToRebuild(store, ['silver/streams/dt=2026-11-30/20261130T030000Z.parquet']);
 * // ['2026-11-29', '2026-11-30'] when it is the first snapshot of 2026-11-30
 */
export async function datesToRebuild(store: Pick<ObjectStore, 'list'>, silverKeys: readonly string[]): Promise<string[]> {
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
export async function datesToRebuildByKey(store: Pick<ObjectStore, 'list'>, silverKeys: readonly string[]): Promise<Map<string, string[]>> {
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
    const [dayBefore, dayAfter] = [shiftDate(parsed.dt, -1), shiftDate(parsed.dt, 1)];
    const [keysBefore, keysAfter] = [await keysOf(dayBefore), await keysOf(dayAfter)];
    if (keysBefore.length > 0 && neighboursOn('after', keysBefore, keys).includes(key)) dates.unshift(dayBefore);
    if (keysAfter.length > 0 && neighboursOn('before', keysAfter, keys).includes(key)) dates.push(dayAfter);
    byKey.set(key, dates);
  }
  return byKey;
}
