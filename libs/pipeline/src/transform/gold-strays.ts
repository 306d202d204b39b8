import type { Logger } from '@twitch-pipeline/observability';
import { goldKey, LAKE_PREFIXES, parseLakeKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/** Stray keys named in the log, the first of them. */
const STRAYS_LOGGED = 20;

/**
 * The gold step writes one `part-0.parquet` per table and date, and leaves other files where they
 * are (a backup beside a partition), but Athena's gold tables read every file under a partition
 * (the CLI's views only `part-0.parquet`): a copy there doubles rows, another format fails queries.
 */
export const GOLD_STRAYS_WARNING =
  'files in gold that no gold step wrote, left alone: Athena reads every file of a partition, so move them out of the lake';

/**
 * Names in the log every file under `gold/` other than the tables' own partition objects, where no
 * `status` lists the lake (the Lambda's log). One listing of `gold/`, which grows with the
 * history (a page per thousand files): the gold Lambda runs it in its daily sweep only.
 *
 * @example
 * await warnOfGoldStrays(store, ['streams_diario'], logger);
 */
export async function warnOfGoldStrays(store: ObjectStore, tables: readonly string[], logger: Logger): Promise<void> {
  const isTableObject = (key: string) => {
    const dt = parseLakeKey(key)?.dt;
    return dt !== undefined && tables.some((table) => goldKey(table, dt) === key);
  };
  const strays = (await store.list(LAKE_PREFIXES.gold)).map((object) => object.key).filter((key) => !isTableObject(key));
  if (strays.length > 0) logger.warn(GOLD_STRAYS_WARNING, { count: strays.length, keys: strays.slice(0, STRAYS_LOGGED) });
}
