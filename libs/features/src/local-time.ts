import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import type { DayPeriod } from '@twitch-pipeline/schemas';
import { installFeatureMacros } from './feature-macros';

/** An instant's calendar facts in the pipeline's time zone. */
export interface LocalTime {
  /** `YYYY-MM-DD`: the lake's `dt` partition and silver's `data`. */
  date: string;
  /** 0–23. */
  hour: number;
  period: DayPeriod;
}

// Engines that already have the feature macros: installing them is a few statements, but the
// extract asks once per snapshot on a lane's long-lived engine.
const withMacros = new WeakSet<DuckDbEngine>();

/**
 * The local date, hour and period of the day of instants, computed by the SQL macros the models
 * use (`data_local`, `hora_local`, `periodo_dia`) with DuckDB's time-zone data. Never with Node's:
 * the two ship different releases of the time-zone database, which disagree on zones whose rules
 * changed lately (Node 20 and DuckDB on America/Vancouver in December 2026, Node 24 and DuckDB on
 * America/Winnipeg), and a bronze object partitioned by one while silver dates its rows by the
 * other lands rows in a `dt` that is not their `data`, where gold loses them. DuckDB's release is
 * the one the package lock pins; Node's is whatever Node the user runs.
 *
 * @example
 * const [local] = await localTimesOf(engine, [new Date('2026-11-30T02:00:00Z')], 'America/Sao_Paulo');
 * // { date: '2026-11-29', hour: 23, period: 'Night' }
 */
export async function localTimesOf(engine: DuckDbEngine, instants: readonly Date[], timeZone: string): Promise<LocalTime[]> {
  if (instants.length === 0) return [];
  for (const instant of instants) if (Number.isNaN(instant.getTime())) throw new Error(`invalid instant "${String(instant)}"`);
  if (!withMacros.has(engine)) {
    await installFeatureMacros(engine);
    withMacros.add(engine);
  }
  const rows = await engine.all<{ date: string; hour: number; period: DayPeriod }>(
    `WITH given AS (SELECT from_json(CAST($epochMs AS JSON), '["BIGINT"]') AS epochs),
     instants AS (
       SELECT ordinal, make_timestamp(epoch_ms * 1000) AS instant
         FROM (SELECT unnest(epochs) AS epoch_ms, generate_subscripts(epochs, 1) AS ordinal FROM given)
     )
     SELECT CAST(data_local(instant, $timeZone) AS VARCHAR) AS date,
            hora_local(instant, $timeZone) AS hour,
            periodo_dia(instant, $timeZone) AS period
       FROM instants
      ORDER BY ordinal`,
    { epochMs: JSON.stringify(instants.map((instant) => instant.getTime())), timeZone },
  );
  return rows;
}
