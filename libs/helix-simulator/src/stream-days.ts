/**
 * "Stream days" of a language's region: 24-hour windows that start at 05:00 local time, the
 * quietest hour. Each channel starts at most one session per stream day; a session starts
 * inside its window and may run past its end, so at any instant a channel's state depends on
 * the current window and the one before.
 */

export const MINUTES_PER_DAY = 1440;
const DAY_START_MINUTE = 5 * 60;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * UTC offset of `timeZone` in minutes at the UTC minute `minute` (minutes since the epoch),
 * cached per hour because offsets only change on the hour.
 *
 * @example
 * utcOffsetMinutes('America/Sao_Paulo', Date.UTC(2026, 0, 1) / 60_000); // -180
 */
function utcOffsetMinutes(timeZone: string, minute: number): number {
  const hour = Math.floor(minute / 60);
  const key = `${timeZone}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(hour * 3_600_000))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const localAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  const offset = Math.round((localAsUtc - hour * 3_600_000) / 60_000);
  offsets.set(key, offset);
  return offset;
}

/**
 * The stream day (days since the epoch, local calendar) that contains the UTC minute `minute`.
 *
 * @example
 * streamDayOf('UTC', Date.UTC(2026, 0, 2, 4) / 60_000); // day of 2026-01-01 (before 05:00)
 */
export function streamDayOf(timeZone: string, minute: number): number {
  const local = minute + utcOffsetMinutes(timeZone, minute);
  const estimate = Math.floor((local - DAY_START_MINUTE) / MINUTES_PER_DAY);
  // Align with the window bounds of streamDayStart so that windows partition time exactly.
  if (minute < streamDayStart(timeZone, estimate)) return estimate - 1;
  if (minute >= streamDayStart(timeZone, estimate + 1)) return estimate + 1;
  return estimate;
}

/**
 * First UTC minute of stream day `day` in `timeZone`.
 *
 * @example
 * streamDayStart('UTC', 20_454); // minutes since the epoch of that day at 05:00 UTC
 */
export function streamDayStart(timeZone: string, day: number): number {
  const localStart = day * MINUTES_PER_DAY + DAY_START_MINUTE;
  const offset = utcOffsetMinutes(timeZone, localStart);
  return localStart - utcOffsetMinutes(timeZone, localStart - offset);
}
