import { LAKE_PREFIXES, parseSnapshotKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/** Leading magic, footer length and trailing magic: a smaller object cannot be Parquet. */
const MIN_PARQUET_BYTES = 12;

/**
 * Bronze objects that have no silver object yet, sorted by key. The lake itself is the
 * manifest: the silver step publishes a snapshot's silver object last (after its quarantine
 * object), so a silver key exists only for a snapshot whose outputs are complete. A silver
 * object too small to be Parquet (an empty file a torn write left) does not count, so its
 * snapshot is rebuilt. A file not named by a snapshot id was put there by hand and is left
 * alone. Two key listings cost a few requests even with months of history, and no data is read.
 *
 * @example
 * const keys = await pendingBronzeKeys(store); // ['raw/streams/dt=2026-11-29/20261129T213000Z.parquet']
 */
export async function pendingBronzeKeys(store: ObjectStore): Promise<string[]> {
  const [bronze, silver] = await Promise.all([store.list(LAKE_PREFIXES.bronze), store.list(LAKE_PREFIXES.silver)]);
  const done = new Set<string>();
  for (const object of silver) {
    if (object.size < MIN_PARQUET_BYTES) continue;
    const parsed = parseSnapshotKey(object.key);
    if (parsed) done.add(`${parsed.dt}/${parsed.snapshotId}`);
  }
  return bronze
    .filter((object) => {
      const parsed = parseSnapshotKey(object.key);
      return parsed !== undefined && !done.has(`${parsed.dt}/${parsed.snapshotId}`);
    })
    .map((object) => object.key);
}
