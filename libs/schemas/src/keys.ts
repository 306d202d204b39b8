import type { GoldTableName } from './lake';

/** Lake prefixes; identical in S3 and under the local data directory. */
export const LAKE_PREFIXES = {
  bronze: 'raw/streams/',
  silver: 'silver/streams/',
  quarantine: 'quarantine/streams/',
  /** Unreadable objects (empty, truncated, torn) set aside whole, under their original key, with a reason record. */
  corrupt: 'quarantine/corrupt/',
  gold: 'gold/',
  /**
   * One small marker per silver object whose gold is not rebuilt yet: silver writes it before
   * the silver object, gold removes it once every date that object changes is published.
   */
  goldPending: 'pending/gold/',
} as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SNAPSHOT_ID = /^[A-Za-z0-9_-]+$/;

function check(dt: string, snapshotId?: string): void {
  if (!isCalendarDate(dt)) throw new Error(`invalid partition date "${dt}": expected YYYY-MM-DD`);
  if (snapshotId !== undefined && !SNAPSHOT_ID.test(snapshotId)) {
    throw new Error(`invalid snapshot id "${snapshotId}": letters, digits, "-" and "_" only`);
  }
}

/**
 * The earliest date a snapshot may be dated: long before any Twitch data, and it keeps a day
 * before it (a neighbour date) a valid date; the commands and the gold function refuse earlier
 * times, naming them.
 */
export const EARLIEST_SNAPSHOT_DATE = '2000-01-01';

/**
 * Snapshot id of a collection time: `YYYYMMDDTHHMMSSZ` in UTC, sortable and deterministic,
 * so re-running the extract of one scheduled time rewrites the same objects.
 *
 * @example
 * snapshotIdFor(new Date('2026-11-29T21:30:00Z')); // '20261129T213000Z'
 */
export function snapshotIdFor(collectedAt: Date): string {
  return collectedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Whether a name is a snapshot id as {@link snapshotIdFor} writes it (`YYYYMMDDTHHMMSSZ`): a
 * file under `raw/` or `silver/` named otherwise was put there by hand, and no step takes it for
 * a snapshot.
 *
 * @example
 * isSnapshotId('20261129T213000Z'); // true
 * isSnapshotId('20261129T213000Z-copy'); // false
 */
export function isSnapshotId(name: string): boolean {
  return /^\d{8}T\d{6}Z$/.test(name);
}

/**
 * The collection time of a snapshot id as an ISO instant, or undefined when the id is not one
 * (`snapshotIdFor` is the only writer of snapshot ids).
 *
 * @example
 * snapshotTime('20261129T213000Z'); // '2026-11-29T21:30:00Z'
 * snapshotTime('my_export'); // undefined
 */
export function snapshotTime(snapshotId: string): string | undefined {
  if (!isSnapshotId(snapshotId)) return undefined;
  const part = (from: number, to: number) => snapshotId.slice(from, to);
  return `${part(0, 4)}-${part(4, 6)}-${part(6, 8)}T${part(9, 11)}:${part(11, 13)}:${part(13, 15)}Z`;
}

/**
 * The date and snapshot id of a bronze or silver snapshot object's key, or undefined for any
 * other file ({@link parseLakeKey} with a {@link isSnapshotId} name).
 *
 * @example
 * parseSnapshotKey('raw/streams/dt=2026-11-29/20261129T213000Z.parquet'); // { dt: '2026-11-29', snapshotId: '20261129T213000Z' }
 * parseSnapshotKey('raw/streams/dt=2026-11-29/notes.parquet'); // undefined
 */
export function parseSnapshotKey(key: string): { dt: string; snapshotId: string } | undefined {
  const parsed = parseLakeKey(key);
  return parsed && isSnapshotId(parsed.snapshotId) ? parsed : undefined;
}

/**
 * Key of a bronze snapshot object.
 *
 * @example
 * bronzeKey('2026-11-29', '20261129T213000Z'); // 'raw/streams/dt=2026-11-29/20261129T213000Z.parquet'
 */
export function bronzeKey(dt: string, snapshotId: string): string {
  check(dt, snapshotId);
  return `${LAKE_PREFIXES.bronze}dt=${dt}/${snapshotId}.parquet`;
}

/**
 * Key of the silver object made from one bronze object.
 *
 * @example
 * silverKey('2026-11-29', '20261129T213000Z'); // 'silver/streams/dt=2026-11-29/20261129T213000Z.parquet'
 */
export function silverKey(dt: string, snapshotId: string): string {
  check(dt, snapshotId);
  return `${LAKE_PREFIXES.silver}dt=${dt}/${snapshotId}.parquet`;
}

/**
 * Key of the quarantine object of one snapshot at one layer.
 *
 * @example
 * quarantineKey('2026-11-29', '20261129T213000Z', 'silver');
 * // 'quarantine/streams/dt=2026-11-29/20261129T213000Z-silver.parquet'
 */
export function quarantineKey(dt: string, snapshotId: string, layer: 'bronze' | 'silver'): string {
  check(dt, snapshotId);
  return `${LAKE_PREFIXES.quarantine}dt=${dt}/${snapshotId}-${layer}.parquet`;
}

/**
 * Key of the records rejected by a re-crawl of a slot that put none in bronze while the slot
 * already held a snapshot with rows: that snapshot and its quarantine object are kept as they
 * were, and this crawl's records go under a key of their own, named by the second the crawl was
 * refused, which no later run of the slot writes. It ends in `-bronze.parquet` as the extract's
 * other quarantine objects do, so the extract's role may write it and the quarantine view reads it.
 *
 * @example
 * refusedCrawlQuarantineKey('2026-11-29', '20261129T213000Z', new Date('2026-11-29T22:05:12Z'));
 * // 'quarantine/streams/dt=2026-11-29/20261129T213000Z-refused-20261129T220512Z-bronze.parquet'
 */
export function refusedCrawlQuarantineKey(dt: string, snapshotId: string, refusedAt: Date): string {
  check(dt, snapshotId);
  return `${LAKE_PREFIXES.quarantine}dt=${dt}/${snapshotId}-refused-${snapshotIdFor(refusedAt)}-bronze.parquet`;
}

/**
 * Key of a gold table's partition; each partition is rewritten whole.
 *
 * @example
 * goldKey('streams_diario', '2026-11-29'); // 'gold/streams_diario/dt=2026-11-29/part-0.parquet'
 */
export function goldKey(table: GoldTableName | (string & {}), dt: string): string {
  check(dt);
  if (!/^[a-z_]+$/.test(table)) throw new Error(`invalid gold table name "${table}"`);
  return `${LAKE_PREFIXES.gold}${table}/dt=${dt}/part-0.parquet`;
}

/**
 * Key of the marker saying that gold has not yet folded in one silver object.
 *
 * @example
 * goldPendingKey('2026-11-29', '20261129T213000Z'); // 'pending/gold/dt=2026-11-29/20261129T213000Z.json'
 */
export function goldPendingKey(dt: string, snapshotId: string): string {
  check(dt, snapshotId);
  return `${LAKE_PREFIXES.goldPending}dt=${dt}/${snapshotId}.json`;
}

/**
 * Splits a marker key (see {@link goldPendingKey}) into its partition date and snapshot id, or returns undefined.
 *
 * @example
 * parseGoldPendingKey('pending/gold/dt=2026-11-29/20261129T213000Z.json');
 * // { dt: '2026-11-29', snapshotId: '20261129T213000Z' }
 */
export function parseGoldPendingKey(key: string): { dt: string; snapshotId: string } | undefined {
  if (!key.startsWith(LAKE_PREFIXES.goldPending) || !key.endsWith('.json')) return undefined;
  const match = /^dt=(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9_-]+)\.json$/.exec(key.slice(LAKE_PREFIXES.goldPending.length));
  return match && isCalendarDate(match[1]!) ? { dt: match[1]!, snapshotId: match[2]! } : undefined;
}

/**
 * Whether `date` is written YYYY-MM-DD and names a day of the calendar: a stray `dt=2026-13-01`
 * is no partition of the lake, and `2026-02-30` no date to rebuild.
 *
 * @example
 * isCalendarDate('2026-02-28'); // true
 * isCalendarDate('2026-02-30'); // false
 */
export function isCalendarDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  const day = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === date;
}

/**
 * Splits a lake key into its partition date and snapshot id, or returns undefined.
 *
 * @example
 * parseLakeKey('raw/streams/dt=2026-11-29/20261129T213000Z.parquet');
 * // { dt: '2026-11-29', snapshotId: '20261129T213000Z' }
 */
export function parseLakeKey(key: string): { dt: string; snapshotId: string } | undefined {
  const match = /\/dt=(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9_-]+)\.parquet$/.exec(key);
  if (!match || !isCalendarDate(match[1]!)) return undefined;
  return { dt: match[1]!, snapshotId: match[2]! };
}
