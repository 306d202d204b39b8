import { CATEGORIES } from './categories';
import type { ChannelPool } from './channel-pool';
import { LANGUAGES } from './languages';
import { streamDayOf } from './stream-days';

/** Watch hours (the integral of viewers over time) and minutes on air. */
export interface Exposure {
  watchHours: number;
  airtimeMinutes: number;
}

/** The true totals of an interval, overall, per category name and per stream id. */
export interface GroundTruth extends Exposure {
  /** Keyed by Helix `game_name`; streams without a category count under `""`. */
  byCategory: Record<string, Exposure>;
  byStream: Record<string, Exposure>;
}

/** The interval and languages of a ground-truth question. */
export interface GroundTruthQuery {
  from: Date;
  to: Date;
  /** Helix language codes; all languages when absent or empty. */
  languages?: string[];
}

function add(totals: Record<string, Exposure>, key: string, watchMinutes: number, airtime: number): void {
  const entry = totals[key] ?? { watchHours: 0, airtimeMinutes: 0 };
  entry.watchHours += watchMinutes / 60;
  entry.airtimeMinutes += airtime;
  totals[key] = entry;
}

/**
 * Integrates the population over [from, to): viewer counts are constant within each UTC
 * minute, so summing viewers × overlap per minute is the exact integral.
 *
 * @example
 * const truth = computeGroundTruth(pool, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T01:00:00Z') });
 * truth.watchHours;
 */
export function computeGroundTruth(pool: ChannelPool, query: GroundTruthQuery): GroundTruth {
  const from = query.from.getTime() / 60_000;
  const to = query.to.getTime() / 60_000;
  const wanted = new Set(query.languages ?? []);
  const truth: GroundTruth = { watchHours: 0, airtimeMinutes: 0, byCategory: {}, byStream: {} };
  if (!(to > from)) return truth;
  const included = LANGUAGES.map((language) => wanted.size === 0 || wanted.has(language.code));
  // A session that started the stream day before may still run into the interval.
  const firstDay = Math.min(...LANGUAGES.map((language) => streamDayOf(language.timeZone, Math.floor(from)))) - 1;
  const lastDay = Math.max(...LANGUAGES.map((language) => streamDayOf(language.timeZone, Math.ceil(to) - 1)));
  let totalWatchMinutes = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    for (const session of pool.sessionsOverlapping(day, from, to)) {
      if (!included[pool.language[session.channel]!]) continue;
      const low = Math.max(session.start, from);
      const high = Math.min(session.end, to);
      const viewers = pool.viewerCurve(session);
      let watchMinutes = 0;
      for (let minute = Math.floor(low); minute < high; minute++) {
        watchMinutes += viewers(minute) * (Math.min(minute + 1, high) - Math.max(minute, low));
      }
      const airtime = high - low;
      totalWatchMinutes += watchMinutes;
      truth.airtimeMinutes += airtime;
      add(truth.byStream, String(pool.streamIdOf(session)), watchMinutes, airtime);
      add(truth.byCategory, CATEGORIES[pool.categoryOf(session)]?.name ?? '', watchMinutes, airtime);
    }
  }
  truth.watchHours = totalWatchMinutes / 60;
  return truth;
}
