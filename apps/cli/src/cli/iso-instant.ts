const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?))?$/;

/**
 * An instant written in ISO 8601 as the commands take it: a date and a time (after `T` or a space)
 * with its zone (`Z`, `±hh:mm`, `±hhmm` or `±hh`), or a date alone, which means its midnight UTC. Stricter than `new Date(text)`, which
 * takes `05/12/2026` in US order, rolls `2026-02-30` over into March and reads a time without a
 * zone in the machine's own: each would collect or select another time than the one meant.
 * Returns undefined for anything else.
 *
 * @example
 * parseIsoInstant('2026-11-29T18:30:00-03:00'); // 2026-11-29T21:30:00.000Z
 * parseIsoInstant('2026-11-29T21:30'); // undefined: no zone
 */
export function parseIsoInstant(text: string): Date | undefined {
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const fields = [Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second)] as const;
  // setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(fields[0], fields[1] - 1, fields[2]);
  wallClock.setUTCHours(fields[3], fields[4], fields[5], Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Dates roll 2026-02-30 or 25:00 over into the next day; a field that changed was out of range.
  const kept = [wallClock.getUTCFullYear(), wallClock.getUTCMonth() + 1, wallClock.getUTCDate(), wallClock.getUTCHours(), wallClock.getUTCMinutes(), wallClock.getUTCSeconds()];
  if (kept.some((value, index) => value !== fields[index])) return undefined;
  if (zone === 'Z') return wallClock;
  const digits = zone.slice(1).replace(':', '');
  const [offsetHours, offsetMinutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || '0')];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = zone.startsWith('-') ? -1 : 1;
  return new Date(wallClock.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/**
 * Whether `text` has the form {@link parseIsoInstant} takes, whatever its fields: `2026-02-30` has
 * it and names no day, where `05/12/2026` has it not.
 *
 * @example
 * hasIsoInstantForm('2026-02-30'); // true
 */
export function hasIsoInstantForm(text: string): boolean {
  return INSTANT.test(text);
}
