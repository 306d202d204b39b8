import { type DuckDbEngine, parquetKeyValues } from '@twitch-pipeline/duckdb';
import { BRONZE_CRAWL_MINUTES_LATE_KEY } from '@twitch-pipeline/schemas';

/**
 * Whole minutes, rounded up, from the slot `collectedAt` to `crawlEndedAt`; 0 when the crawl
 * ended at or before it.
 *
 * @example
 * crawlMinutesLate(new Date('2026-12-06T00:00:00Z'), new Date('2026-12-06T00:20:59Z')); // 21
 */
export function crawlMinutesLate(collectedAt: Date, crawlEndedAt: Date): number {
  return Math.max(0, Math.ceil((crawlEndedAt.getTime() - collectedAt.getTime()) / 60_000));
}

/**
 * How late the crawl of a local bronze file ended, in minutes, as its footer records it; 0 for
 * an object written before the extract recorded it, or with a value that is not a whole number.
 *
 * @example
 * const late = await recordedCrawlMinutesLate(engine, '/tmp/bronze.parquet');
 */
export async function recordedCrawlMinutesLate(engine: DuckDbEngine, bronzePath: string): Promise<number> {
  const [recorded] = await parquetKeyValues(engine, [bronzePath], BRONZE_CRAWL_MINUTES_LATE_KEY);
  return recorded !== undefined && /^\d{1,6}$/.test(recorded) ? Number(recorded) : 0;
}
