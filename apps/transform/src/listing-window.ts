/** Days back from the run's clock whose partitions an ordinary run lists: any zone's local date of the last run's snapshot. */
const RECENT_DAYS = 2;

/**
 * How long after midnight UTC the runs list every partition, at least: one interval, so that one
 * scheduled run falls in it, and a quarter of an hour, so that a slow extract does not push the
 * transforms of a short interval's midnight run past it.
 */
const MIN_SWEEP_MINUTES = 15;

/**
 * The first partition date the transform functions list (`listFrom` of runSilver and runGold),
 * or undefined for a run that lists them all. Listing S3 costs a request per thousand keys, and
 * a year of half-hourly snapshots is 17,520 bronze and as many silver keys, listed by each run:
 * about $0.6 a month of LIST requests at that age for the original workload. Ordinary runs list
 * the last two days; the run of the first interval after midnight UTC (at least its first quarter
 * hour) sweeps the whole history, so a snapshot or date left pending by a long outage is still
 * found within a day.
 *
 * @example
 * listingWindow(new Date('2026-12-07T15:30:00Z'), 30); // '2026-12-05'
 * listingWindow(new Date('2026-12-07T00:10:00Z'), 30); // undefined: the daily sweep
 */
export function listingWindow(now: Date, intervalMinutes: number): string | undefined {
  const minutesIntoDay = now.getUTCHours() * 60 + now.getUTCMinutes();
  if (minutesIntoDay < Math.max(intervalMinutes, MIN_SWEEP_MINUTES)) return undefined;
  return new Date(now.getTime() - RECENT_DAYS * 86_400_000).toISOString().slice(0, 10);
}
