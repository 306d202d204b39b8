/** Days back from the run's slot whose partitions an ordinary run lists: any zone's local date of the last run's snapshot. */
const RECENT_DAYS = 2;

/**
 * The first partition date the transform functions list (`listFrom` of runSilver and runGold),
 * or undefined for a run that lists them all. Listing S3 costs a request per thousand keys, and
 * a year of half-hourly snapshots is 17,520 bronze and as many silver keys, listed by each run:
 * about $0.6 a month of LIST requests at that age for the original workload. Ordinary runs list
 * the last two days; the run whose slot (its snapshot's scheduled collection time) is the first of
 * the UTC day sweeps the whole history, so a snapshot or date left pending by a long outage is
 * still found within a day (two, when that run fails before its transforms or the overlap guard
 * skips it: no run of the day remembers that the sweep was missed). The slot, not the clock:
 * silver and gold start minutes after it, and later in the very run that sweeps, and every run of
 * one execution must agree. Whatever the interval and wherever its slots fall (the stack
 * schedules them from midnight UTC; a run started by hand may name any time), one slot a day
 * falls in the first interval after midnight UTC.
 *
 * @example
 * listingWindow(new Date('2026-12-07T15:30:00Z'), 30); // '2026-12-05'
 * listingWindow(new Date('2026-12-07T00:00:00Z'), 30); // undefined: the daily sweep
 */
export function listingWindow(slot: Date, intervalMinutes: number): string | undefined {
  const minutesIntoDay = slot.getUTCHours() * 60 + slot.getUTCMinutes() + slot.getUTCSeconds() / 60;
  if (minutesIntoDay < intervalMinutes) return undefined;
  return new Date(slot.getTime() - RECENT_DAYS * 86_400_000).toISOString().slice(0, 10);
}
