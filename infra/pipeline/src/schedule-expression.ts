/** Intervals a cron fires on the extract's slots for: divisors of an hour, and whole hours dividing a day. */
const SCHEDULABLE_INTERVALS = Array.from({ length: 1440 }, (_, index) => index + 1).filter(
  (minutes) => (minutes < 60 && 60 % minutes === 0) || (minutes % 60 === 0 && 1440 % minutes === 0),
);

/**
 * Schedule expression of the collection interval: a cron on the clock, firing at the slots the
 * extract names snapshots by (multiples of the interval from midnight UTC: :00 and :30 for 30
 * minutes, 00:00 for a day). A `rate(…)` fires at the time of day the stack was deployed, and the
 * extract, rounding down to its slot, named each snapshot up to an interval early, and refused a
 * daily one deployed after 03:00 UTC as older than `PIPELINE_MAX_SNAPSHOT_AGE_MINUTES`; so an
 * interval no cron can fire on is refused at preview.
 *
 * @example
 * scheduleExpression(30); // 'cron(0/30 * * * ? *)'
 * scheduleExpression(1440); // 'cron(0 0 * * ? *)'
 * scheduleExpression(45); // throws: no cron fires every 45 minutes from midnight
 */
export function scheduleExpression(intervalMinutes: number): string {
  if (intervalMinutes < 60 && 60 % intervalMinutes === 0) return `cron(0/${intervalMinutes} * * * ? *)`;
  if (intervalMinutes === 1440) return 'cron(0 0 * * ? *)';
  if (intervalMinutes % 60 === 0 && 1440 % intervalMinutes === 0) return `cron(0 0/${intervalMinutes / 60} * * ? *)`;
  throw new Error(
    `intervalMinutes=${intervalMinutes} cannot be scheduled on the snapshot times the extract names (every ${intervalMinutes} minutes from midnight UTC): ` +
      `set it to a divisor of an hour or whole hours dividing a day (${SCHEDULABLE_INTERVALS.join(', ')})`,
  );
}
