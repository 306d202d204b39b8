import type { DayPeriod } from '@twitch-pipeline/schemas';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// Node's reading of local time (Intl, Node's own time-zone database). The lake never uses it:
// its partitions and columns come from DuckDB's (see localTimesOf); this is the independent
// reference the tests check the SQL macros against, in zones where the two databases agree.
function partsOf(instant: Date | string, timeZone: string): { date: string; hour: number } {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new Error(`invalid instant "${String(instant)}"`);
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(date).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * The calendar date (`YYYY-MM-DD`) of an instant in a time zone, by Node's time-zone data.
 *
 * @example
 * intlLocalDate('2026-11-30T02:00:00Z', 'America/Sao_Paulo'); // '2026-11-29'
 */
export function intlLocalDate(instant: Date | string, timeZone: string): string {
  return partsOf(instant, timeZone).date;
}

/**
 * The hour of day (0–23) of an instant in a time zone.
 *
 * @example
 * intlLocalHour('2026-11-29T12:00:00Z', 'America/Sao_Paulo'); // 9
 */
export function intlLocalHour(instant: Date | string, timeZone: string): number {
  return partsOf(instant, timeZone).hour;
}

/**
 * Period of the day in a time zone: Dawn 00–06, Morning 06–12, Afternoon 12–18, Night 18–24.
 *
 * @example
 * intlDayPeriod('2026-11-29T12:00:00Z', 'America/Sao_Paulo'); // 'Morning' (09:00 local)
 */
export function intlDayPeriod(instant: Date | string, timeZone: string): DayPeriod {
  const hour = intlLocalHour(instant, timeZone);
  if (hour < 6) return 'Dawn';
  if (hour < 12) return 'Morning';
  if (hour < 18) return 'Afternoon';
  return 'Night';
}
