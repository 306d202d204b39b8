import { isCalendarDate, TREND_MIN_HOURS_WATCHED, TREND_WINDOW_DAYS } from '@twitch-pipeline/schemas';

/** The analytics gold models: built by the gold step after the daily aggregates they read. */
const ANALYTICS_MODEL_NAMES = ['gold_tendencias_diario', 'gold_melhores_horarios'] as const;
export type AnalyticsModelName = (typeof ANALYTICS_MODEL_NAMES)[number];


function shiftDays(date: string, days: number): string {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

/**
 * The gold dates the trends model of `date` reads: the 7 days before it, then the day itself.
 * A gold cycle for a date must make these partitions of `categorias_diario` and
 * `streamers_diario` visible to the model (the day's own ones are written first).
 *
 * @example
 * trendWindowDates('2026-11-29'); // ['2026-11-22', …, '2026-11-28', '2026-11-29']
 */
export function trendWindowDates(date: string): string[] {
  if (!isCalendarDate(date)) throw new Error(`invalid date "${date}": expected YYYY-MM-DD`);
  return Array.from({ length: TREND_WINDOW_DAYS + 1 }, (_, index) => shiftDays(date, index - TREND_WINDOW_DAYS));
}

/**
 * The bound parameters an analytics model takes for one date (`undefined` for models that
 * take none), so that thresholds live in one place (`TREND_MIN_HOURS_WATCHED`).
 *
 * @example
 * await engine.copyToParquet(select, analyticsModelParameters('gold_tendencias_diario', date), path);
 */
export function analyticsModelParameters(
  model: AnalyticsModelName,
  date: string,
): Record<string, string | number> | undefined {
  if (model !== 'gold_tendencias_diario') return undefined;
  if (!isCalendarDate(date)) throw new Error(`invalid date "${date}": expected YYYY-MM-DD`);
  return {
    data: date,
    volume_minimo_categoria: TREND_MIN_HOURS_WATCHED.categoria,
    volume_minimo_streamer: TREND_MIN_HOURS_WATCHED.streamer,
  };
}
