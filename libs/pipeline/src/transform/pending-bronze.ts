import { LAKE_PREFIXES, parseSnapshotKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';

/** Leading magic, footer length and trailing magic: a smaller object cannot be Parquet. */
const MIN_PARQUET_BYTES = 12;

/**
 * Bronze objects whose silver object is missing or older than they are, sorted by key. The lake
 * itself is the manifest: the silver step publishes a snapshot's silver object last (after its
 * quarantine object), so a silver key exists only for a snapshot whose outputs are complete. A
 * silver object too small to be Parquet (an empty file a torn write left) does not count, so its
 * snapshot is rebuilt. A bronze object modified after its silver object is pending too: a run in
 * the same slot rewrites bronze, and one killed before its silver step would otherwise leave the
 * old silver beside the new bronze for good. Bronze is written before its silver and a `rebuild`
 * rewrites only silver, so in normal operation this rebuilds nothing needlessly. Equal times
 * count as done: S3 keeps times to the second, so a bronze rewritten within the same second as
 * its silver's write is not seen. A file not named by a snapshot id was put there by hand and is
 * left alone. A bronze object dated later than `now` (copied from a machine whose clock ran ahead,
 * or touched) cannot say whether it changed after its silver object, since every silver written
 * before that date is older: counted pending by its time, it was rebuilt every cycle until then.
 * It counts by the presence of its silver object only; a run rewriting it dates it again.
 * Two key listings cost a few requests even with months of history, and no data is read; `listed`,
 * a listing of the whole lake the caller already has, spares them.
 *
 * @example
 * const keys = await pendingBronzeKeys(store);
 * // ['raw/streams/dt=2026-11-29/20261129T213000Z.parquet']: no silver object yet, or one written before this bronze
 */
export async function pendingBronzeKeys(store: ObjectStore, listed?: readonly ObjectInfo[], now: Date = new Date()): Promise<string[]> {
  // A caller that has listed the whole lake already (`status`) passes it rather than have it listed again.
  const [bronze, silver] = listed
    ? [listed.filter((object) => object.key.startsWith(LAKE_PREFIXES.bronze)), listed.filter((object) => object.key.startsWith(LAKE_PREFIXES.silver))]
    : await Promise.all([store.list(LAKE_PREFIXES.bronze), store.list(LAKE_PREFIXES.silver)]);
  const silverWritten = new Map<string, number>();
  for (const object of silver) {
    if (object.size < MIN_PARQUET_BYTES) continue;
    const parsed = parseSnapshotKey(object.key);
    if (parsed) silverWritten.set(`${parsed.dt}/${parsed.snapshotId}`, object.lastModified.getTime());
  }
  return bronze
    .filter((object) => {
      const parsed = parseSnapshotKey(object.key);
      if (parsed === undefined) return false;
      const written = silverWritten.get(`${parsed.dt}/${parsed.snapshotId}`);
      const modified = object.lastModified.getTime();
      return written === undefined || (modified > written && modified <= now.getTime());
    })
    .map((object) => object.key);
}
