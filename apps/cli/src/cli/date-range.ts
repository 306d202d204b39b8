import { isCalendarDate } from '@twitch-pipeline/schemas';
import { PROGRAM } from './command';
import { usageError } from './errors';

/** Dates a command covers, inclusive; unset ends mean "as far as the lake goes". */
export interface DateRange {
  from?: string;
  to?: string;
}

function calendarDate(value: unknown, flag: string, command: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !isCalendarDate(text)) {
    throw usageError(`--${flag} ${text} is no day of the calendar: its month or day is out of range`, `${PROGRAM} ${command} --help`);
  }
  if (!isCalendarDate(text)) {
    throw usageError(`--${flag} must be a date as YYYY-MM-DD such as 2026-11-29 (got "${text}")`, `${PROGRAM} ${command} --help`);
  }
  return text;
}

/**
 * The `--from` / `--to` flags of a command, checked: real calendar dates, in order.
 *
 * @example
 * dateRangeOf({ from: '2026-11-01', to: '2026-11-30' }, 'channel'); // { from: '2026-11-01', to: '2026-11-30' }
 */
export function dateRangeOf(values: Record<string, unknown>, command: string): DateRange {
  const from = calendarDate(values.from, 'from', command);
  const to = calendarDate(values.to, 'to', command);
  if (from && to && from > to) throw usageError(`--from ${from} is after --to ${to}`, `${PROGRAM} ${command} --help`);
  return { from, to };
}
