import { collectionTimeFor } from '@twitch-pipeline/pipeline';
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { scheduleExpression } from '../src/schedule-expression';

const INTERVALS = Array.from({ length: 1440 }, (_, index) => index + 1);

/**
 * The first firings of an EventBridge Scheduler cron in UTC after `from`, read by cron-parser:
 * AWS's six fields end with the year, which cron-parser has no field for (every expression here
 * leaves it `*`).
 */
function firings(expression: string, from: Date, count: number): Date[] {
  const fields = /^cron\((.*)\)$/.exec(expression)?.[1]?.split(' ') ?? [];
  expect(fields, expression).toHaveLength(6);
  expect(fields[5], expression).toBe('*');
  const cron = CronExpressionParser.parse(fields.slice(0, 5).join(' '), { currentDate: from, tz: 'UTC' });
  return Array.from({ length: count }, () => cron.next().toDate());
}

describe('pipeline stack: the schedule fires at the slots the extract names snapshots by', () => {
  it('fires, for every interval it accepts, exactly at each slot of two days, one interval apart', () => {
    // prepare
    const from = new Date('2026-03-28T23:59:30Z');
    const accepted = INTERVALS.filter((minutes) => {
      try {
        scheduleExpression(minutes);
        return true;
      } catch {
        return false;
      }
    });

    // act
    const schedules = accepted.map((minutes) => ({ minutes, times: firings(scheduleExpression(minutes), from, Math.max(2, (2 * 1440) / minutes)) }));

    // assess
    expect(accepted).toEqual([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440]);
    for (const { minutes, times } of schedules) {
      for (const time of times) expect(collectionTimeFor(time, minutes).getTime(), `${minutes} min at ${time.toISOString()}`).toBe(time.getTime());
      const gaps = new Set(times.slice(1).map((time, index) => time.getTime() - times[index]!.getTime()));
      expect([...gaps], `${minutes} min`).toEqual([minutes * 60_000]);
      expect(times[0]!.getTime() - from.getTime(), `${minutes} min`).toBeLessThanOrEqual(minutes * 60_000);
    }
  });

  it('collects a daily snapshot at midnight UTC, the slot its extract names, whenever the stack was deployed', () => {
    // act
    const [first, second] = firings(scheduleExpression(1440), new Date('2026-12-07T15:37:00Z'), 2);
    // assess
    expect(first).toEqual(new Date('2026-12-08T00:00:00Z'));
    expect(second).toEqual(new Date('2026-12-09T00:00:00Z'));
  });

  it.each([7, 45, 90, 100, 1000])('refuses %i minutes, which no cron fires on every slot of, naming the intervals it takes', (minutes) => {
    // act + assess
    expect(() => scheduleExpression(minutes)).toThrow(
      `intervalMinutes=${minutes} cannot be scheduled on the snapshot times the extract names (every ${minutes} minutes from midnight UTC): ` +
        'set it to a divisor of an hour or whole hours dividing a day (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440)',
    );
  });
});
