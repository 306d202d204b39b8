import { snapshotTime } from '@twitch-pipeline/schemas';
import type { LocalObjectStore } from '@twitch-pipeline/storage';
import { lakeObjectOf } from './lake-keys';
import { LAKE_VIEWS } from './views';

/** The view of the lake's objects themselves: which partitions and snapshots there are, and their sizes. */
export const LAKE_OBJECTS_VIEW = {
  name: 'lake_objects',
  description: 'every object of the lake views: its view, dt, snapshot (collection time), bytes and modification time',
};

/** The view's columns and their types, in order: the JSON the listing is bound as is read by them. */
const COLUMNS = { view: 'VARCHAR', dt: 'DATE', snapshot: 'VARCHAR', collected_at: 'TIMESTAMP', bytes: 'BIGINT', modified: 'TIMESTAMP', key: 'VARCHAR' } as const;

/**
 * The statement that (re)creates `lake_objects` from a listing of the lake, and the one value it
 * binds: only the objects a lake view reads (see `lakeObjectOf`), each with the view that reads
 * it. Answers "which dates and snapshots are there, how large" from the listing alone, where a
 * query of the layers' own views opens every file (a year of half-hourly snapshots is 35,000).
 * An unreadable object is listed too; a folder this user may not list is not.
 *
 * @example
 * const { sql, params } = await lakeObjectsStatement(store);
 * await connection.run(sql, params);
 */
export async function lakeObjectsStatement(store: LocalObjectStore): Promise<{ sql: string; params: string[] }> {
  const viewOf = new Map(LAKE_VIEWS.map((view) => [view.prefix, view.name]));
  const { objects } = await store.listReadable('');
  const rows = objects.flatMap((object): Record<keyof typeof COLUMNS, string | number | null>[] => {
    const parsed = lakeObjectOf(object.key);
    const view = parsed && viewOf.get(parsed.prefix);
    if (!parsed || !view) return [];
    const snapshot = parsed.snapshotId === 'part-0' ? null : parsed.snapshotId.replace(/-(bronze|silver)$/, '');
    return [
      {
        view,
        dt: parsed.dt,
        snapshot,
        collected_at: (snapshot && snapshotTime(snapshot)) ?? null,
        bytes: object.size,
        modified: object.lastModified.toISOString(),
        key: object.key,
      },
    ];
  });
  const sql =
    `CREATE OR REPLACE TEMP TABLE ${LAKE_OBJECTS_VIEW.name} AS ` +
    `SELECT ${Object.keys(COLUMNS)
      .map((column) => `row.${column}`)
      .join(', ')} FROM (SELECT unnest(from_json($1, '${JSON.stringify([COLUMNS])}')) AS row) ORDER BY row.key`;
  return { sql, params: [JSON.stringify(rows)] };
}
