import type { Logger } from '@twitch-pipeline/observability';
import { goldKey, LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/** Stray keys named in the log, the first of them. */
const STRAYS_LOGGED = 20;

/**
 * The gold step writes one `part-0.parquet` per table and date, and leaves other files where they
 * are (a backup beside a partition), but Athena's gold tables read every file under a partition
 * (the CLI's views only `part-0.parquet`): a copy there doubles rows, another format fails queries.
 */
export const GOLD_STRAYS_WARNING =
  'files in gold partitions this run rewrote that no gold step wrote, left alone: Athena reads every file of a partition, so move them out of the lake';

/**
 * Names in the log the files under the given dates' partitions of `tables` other than the
 * tables' own objects, where no `status` lists the lake (the Lambda's log). One listing of `gold/`.
 *
 * @example
 * await warnOfStraysInPartitions(store, ['streams_diario'], ['2026-11-29'], logger);
 */
export async function warnOfStraysInPartitions(store: ObjectStore, tables: readonly string[], dates: readonly string[], logger: Logger | undefined): Promise<void> {
  if (dates.length === 0 || !logger) return;
  const written = new Set(dates.flatMap((date) => tables.map((table) => goldKey(table, date))));
  const partitions = dates.map((date) => `/dt=${date}/`);
  const strays = (await store.list(LAKE_PREFIXES.gold)).map((object) => object.key).filter((key) => !written.has(key) && partitions.some((partition) => key.includes(partition)));
  if (strays.length > 0) logger.warn(GOLD_STRAYS_WARNING, { count: strays.length, keys: strays.slice(0, STRAYS_LOGGED) });
}
