import { LAKE_PREFIXES, parseLakeKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/**
 * Bronze objects that have no silver object yet, sorted by key. The lake itself is the
 * manifest: the silver step publishes a snapshot's silver object last (after its quarantine
 * object), so a silver key exists only for a snapshot whose outputs are complete. Two key
 * listings cost a few requests even with months of history, and no data is read.
 *
 * @example
 * const keys = await pendingBronzeKeys(store); // ['raw/streams/dt=2026-11-29/20261129T213000Z.parquet']
 */
export async function pendingBronzeKeys(store: ObjectStore): Promise<string[]> {
  const [bronze, silver] = await Promise.all([store.list(LAKE_PREFIXES.bronze), store.list(LAKE_PREFIXES.silver)]);
  const done = new Set<string>();
  for (const object of silver) {
    const parsed = parseLakeKey(object.key);
    if (parsed) done.add(`${parsed.dt}/${parsed.snapshotId}`);
  }
  return bronze
    .filter((object) => {
      const parsed = parseLakeKey(object.key);
      return parsed !== undefined && !done.has(`${parsed.dt}/${parsed.snapshotId}`);
    })
    .map((object) => object.key);
}
