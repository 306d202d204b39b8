import { randomUUID } from 'node:crypto';
import { bronzeKey, goldPendingKey, LAKE_PREFIXES, parseGoldPendingKey, parseLakeKey, parseSnapshotKey, silverKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';
import { datesToRebuildByKey, versionOf } from './silver-neighbours';

/** A silver object that no gold run has folded in yet, as its marker says. */
export interface GoldPendingMarker {
  /** The marker object as listed: a silver run that rewrites the object rewrites its marker too. */
  marker: ObjectInfo;
  silverKey: string;
  /** The dates whose gold the silver object changes (see `datesToRebuild`) and has not yet been folded into. */
  dates: string[];
  /** The dates a gold run already published with the object in the version named (see `versionOf`). */
  taken?: TakenDates;
}

/** The dates whose published gold read one version of a silver object, kept in its marker. */
interface TakenDates {
  version: string;
  dates: string[];
}

/** What a marker holds; `taken` only once a gold run published some of its dates and not all. */
interface MarkerContent {
  silverKey: string;
  markedAt: string;
  write: string;
  taken?: TakenDates;
}

/**
 * Marks a silver object as not yet in gold. The silver step writes the marker before the silver
 * object itself, so a run stopped at any point after (silver killed, gold failed or never
 * started) leaves it, and the next gold run that takes pending dates rebuilds them.
 *
 * @example
 * await markGoldPending(store, 'silver/streams/dt=2026-11-29/20261129T213000Z.parquet');
 * // writes pending/gold/dt=2026-11-29/20261129T213000Z.json
 */
export async function markGoldPending(store: ObjectStore, silverObjectKey: string): Promise<void> {
  const parsed = parseLakeKey(silverObjectKey);
  if (!parsed || !silverObjectKey.startsWith(LAKE_PREFIXES.silver)) throw new Error(`not a silver object key: ${silverObjectKey}`);
  // Bytes of its own on every write, so that S3 (times to the second, entity tags from the bytes)
  // tells a marker rewritten within the second gold listed it from the one gold listed.
  const marker: MarkerContent = { silverKey: silverObjectKey, markedAt: new Date().toISOString(), write: randomUUID() };
  await store.put(goldPendingKey(parsed.dt, parsed.snapshotId), `${JSON.stringify(marker)}\n`);
}

/** The dates a marker says were taken, or undefined (a marker of an earlier version, a torn or foreign file). */
async function takenDates(store: ObjectStore, marker: ObjectInfo): Promise<TakenDates | undefined> {
  try {
    const { taken } = JSON.parse(Buffer.from(await store.get(marker.key)).toString('utf8')) as Partial<MarkerContent>;
    return typeof taken?.version === 'string' && Array.isArray(taken.dates) ? { version: taken.version, dates: taken.dates.filter((date) => typeof date === 'string') } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every marker in the lake, with the dates its silver object changes and no gold run has
 * published with it yet: a date a run already published with the object as it is now (the
 * marker's `taken`) is left out. One listing of the markers and a read of each, and one listing
 * of each date they name and its neighbours.
 *
 * @example
 * const pending = await listGoldPending(store);
 * const dates = new Set(pending.flatMap((entry) => entry.dates));
 */
export async function listGoldPending(store: ObjectStore): Promise<GoldPendingMarker[]> {
  const markers: { marker: ObjectInfo; silverKey: string; dt: string }[] = [];
  for (const marker of await store.list(LAKE_PREFIXES.goldPending)) {
    const parsed = parseGoldPendingKey(marker.key);
    if (parsed) markers.push({ marker, silverKey: silverKey(parsed.dt, parsed.snapshotId), dt: parsed.dt });
  }
  const listedOnce = onceEachPrefix(store);
  const [dates, taken] = await Promise.all([
    datesToRebuildByKey(
      listedOnce,
      markers.map((entry) => entry.silverKey),
    ),
    Promise.all(markers.map((entry) => takenDates(store, entry.marker))),
  ]);
  const versionsUnder = versionListings(listedOnce);
  const versionNow = async (dt: string, key: string) => (await versionsUnder(`${LAKE_PREFIXES.silver}dt=${dt}/`)).get(key);
  return Promise.all(
    markers.map(async ({ marker, silverKey: key, dt }, index) => {
      const all = dates.get(key) ?? [];
      const done = taken[index];
      if (!done) return { marker, silverKey: key, dates: all };
      const current = done.version === (await versionNow(dt, key));
      return { marker, silverKey: key, dates: current ? all.filter((date) => !done.dates.includes(date)) : all, taken: done };
    }),
  );
}

/**
 * The dates that have silver objects but lack a partition of one of `tables` (deleted by hand,
 * lost with a restored backup, or never written because a run stopped before any marker): no
 * marker names them, so without this no later run would rebuild them. One listing of silver and
 * one of each table.
 *
 * @example
 * const missing = await datesMissingGold(store, ['streams_diario', 'streamers_diario']);
 */
export async function datesMissingGold(store: ObjectStore, tables: readonly string[]): Promise<string[]> {
  const silverDates = new Set((await store.list(LAKE_PREFIXES.silver)).flatMap((object) => parseSnapshotKey(object.key)?.dt ?? []));
  const missing = new Set<string>();
  for (const table of tables) {
    const published = new Set((await store.list(`${LAKE_PREFIXES.gold}${table}/`)).flatMap((object) => (object.key.endsWith('/part-0.parquet') ? (parseLakeKey(object.key)?.dt ?? []) : [])));
    for (const date of silverDates) if (!published.has(date)) missing.add(date);
  }
  return [...missing].sort();
}

/** The silver object versions (see `versionOf`) one date's published build took: its own objects and its neighbours. */
export interface SilverVersionsTaken {
  /** Read by the models: readable and of the current silver model. */
  read: ReadonlySet<string>;
  /** Read, or left out as another model's that could not be rebuilt. */
  seen: ReadonlySet<string>;
}

/**
 * Removes the markers this gold run has honoured. A marker goes when it is still the one listed
 * at the start (a silver run that rewrites an object rewrites its marker first; the delete is
 * conditional on the marker's version, so one rewritten at any moment stays), every date its silver
 * object changes now (worked out again here: an object that landed during the run may have become
 * the first or last of its date) was published by this run, and each of those dates' published
 * builds read the object in the very version that is there now: the day before reads the first
 * object of a date, the day after its last. An object left out as another model's counts as taken
 * once its bronze object is gone, since nothing can rebuild it any more. A marker whose silver
 * object is not there stays while its bronze object is (a silver run in flight, or one stopped
 * before publishing); one whose silver and bronze objects are both gone names nothing that can
 * land, and goes. A silver object rewritten after these checks (its marker was written before
 * gold listed the markers) gets its marker back. A marker some of whose dates were published
 * with the object as it is, and not all, stays and records those dates (`taken`), which later
 * listings leave out while the object keeps that version. Returns how many were removed.
 *
 * @example
 * const settled = await settleGoldPending(store, pending, new Map([['2026-11-29', { read, seen }]]));
 */
export async function settleGoldPending(
  store: ObjectStore,
  pending: readonly GoldPendingMarker[],
  published: ReadonlyMap<string, SilverVersionsTaken>,
): Promise<number> {
  if (pending.length === 0) return 0;
  // One listing per date answers for every marker of that date, and for its dates as for its version.
  const listedOnce = onceEachPrefix(store);
  const datesNow = await datesToRebuildByKey(
    listedOnce,
    pending.map((entry) => entry.silverKey),
  );
  const versionsUnder = versionListings(listedOnce);
  const removed: { silverKey: string; prefix: string; silverNow: string | undefined }[] = [];
  for (const entry of pending) {
    const dates = datesNow.get(entry.silverKey) ?? entry.dates;
    const { dt, snapshotId } = parseGoldPendingKey(entry.marker.key)!;
    const silverNow = (await versionsUnder(`${LAKE_PREFIXES.silver}dt=${dt}/`)).get(entry.silverKey);
    const bronzeGone = async () => !(await versionsUnder(`${LAKE_PREFIXES.bronze}dt=${dt}/`)).has(bronzeKey(dt, snapshotId));
    // A date an earlier run published with the object in this very version counts as this run's would.
    const earlier = silverNow !== undefined && entry.taken?.version === silverNow ? entry.taken.dates : [];
    const tookIt = (how: keyof SilverVersionsTaken) => (date: string) =>
      earlier.includes(date) || (silverNow !== undefined && (published.get(date)?.[how].has(silverNow) ?? false));
    const honoured =
      silverNow === undefined
        ? dates.every((date) => published.has(date)) && (await bronzeGone())
        : dates.every(tookIt('read')) || (dates.every(tookIt('seen')) && (await bronzeGone()));
    if (honoured) {
      // Only the marker listed at the start: a silver run that rewrote the object since rewrote it first.
      if (await store.deleteIfUnchanged(entry.marker)) removed.push({ silverKey: entry.silverKey, prefix: `${LAKE_PREFIXES.silver}dt=${dt}/`, silverNow });
      continue;
    }
    // Some of its dates were published with it and not all (another date failed or was not built:
    // the day before, whose last object gold rebuilt from bronze as this date's neighbour). The
    // marker keeps which, so that only the others are reported and rebuilt as pending. Tied to the
    // object's version, a record written just after a silver run rewrote the object counts for nothing.
    const taken = dates.filter(tookIt('read'));
    if (silverNow !== undefined && taken.some((date) => !earlier.includes(date))) await recordTaken(store, entry, { version: silverNow, dates: taken });
  }
  // A silver run marks an object before publishing it: one that marked before gold listed the
  // markers and published after the checks above would leave its object out of gold with no
  // marker. A fresh listing of each date finds such an object, and its marker is written again.
  const fresh = versionListings(store);
  let settled = removed.length;
  for (const { silverKey: key, prefix, silverNow } of removed) {
    if ((await fresh(prefix)).get(key) === silverNow) continue;
    await markGoldPending(store, key);
    settled -= 1;
  }
  return settled;
}

/** Rewrites a marker with the dates taken; its other fields as a silver run writes them. */
async function recordTaken(store: ObjectStore, entry: GoldPendingMarker, taken: TakenDates): Promise<void> {
  const marker: MarkerContent = { silverKey: entry.silverKey, markedAt: new Date().toISOString(), write: randomUUID(), taken };
  await store.put(entry.marker.key, `${JSON.stringify(marker)}\n`);
}

/** The versions (see `versionOf`) of the objects under a prefix, by key: each prefix listed once, on first use. */
function versionListings(store: Pick<ObjectStore, 'list'>): (prefix: string) => Promise<Map<string, string>> {
  const listed = onceEachPrefix(store);
  return async (prefix) => new Map((await listed.list(prefix)).map((object) => [object.key, versionOf(object)]));
}

/** The store's listings, each prefix listed once, on first use: one moment's view for every question asked of it. */
function onceEachPrefix(store: Pick<ObjectStore, 'list'>): Pick<ObjectStore, 'list'> {
  const listed = new Map<string, Promise<ObjectInfo[]>>();
  return {
    list: (prefix) => {
      if (!listed.has(prefix)) listed.set(prefix, store.list(prefix));
      return listed.get(prefix)!;
    },
  };
}
