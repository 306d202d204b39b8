import { savedQueryValues } from '@twitch-pipeline/features';
import type { DateRange } from '../cli/date-range';
import type { LakeSession } from '../lake/lake-session';
import { findSavedQuery } from '../lake/saved';
import { rowObjects } from '../cli/table';

/** A row of a profile query, keyed by column name. */
export type ProfileRow = Record<string, unknown>;

/**
 * Runs one saved query of `libs/features/queries` with its parameters bound by name (the dates
 * of the range, unset ends falling back to the query's defaults) and returns its rows.
 *
 * @example
 * const trend = await savedRows(session, 'channel_trend', { login: 'gaules' }, { from: '2026-11-01' });
 */
export async function savedRows(session: LakeSession, name: string, given: Record<string, string>, range: DateRange): Promise<ProfileRow[]> {
  // The one query it runs: another file being malformed must not stop a profile.
  const query = findSavedQuery(name);
  const dates: Record<string, string> = {};
  if (range.from) dates.first_date = range.from;
  if (range.to) dates.last_date = range.to;
  return rowObjects(await session.query(query.sql, savedQueryValues(query, { ...given, ...dates })));
}

/** Where closest-name suggestions are looked up: a gold table and its name column (constants, never input). */
export type NameSource = { table: 'gold_streamers_diario'; column: 'nome_streamer' } | { table: 'gold_categorias_diario'; column: 'nome_categoria' };

/**
 * The names in the lake closest to what was typed: names containing it first, then by
 * Jaro-Winkler similarity and edit distance (case-insensitive; the text is a bound parameter).
 *
 * @example
 * await closestNames(session, { table: 'gold_streamers_diario', column: 'nome_streamer' }, 'gaulez'); // ['gaules', …]
 */
export async function closestNames(session: LakeSession, source: NameSource, typed: string, limit = 5): Promise<string[]> {
  const result = await session.query(
    `SELECT nome FROM (SELECT DISTINCT ${source.column} AS nome FROM ${source.table})
     ORDER BY contains(lower(nome), lower($1)) DESC, jaro_winkler_similarity(lower(nome), lower($1)) DESC,
              levenshtein(lower(nome), lower($1)), nome
     LIMIT ${Math.trunc(limit)}`,
    [typed],
  );
  return result.rows.map((row) => String(row[0]));
}

/**
 * The range a profile covers: the dates given, and for an end left open the lake's first or last
 * day (of `gold_streamers_diario`). Every figure of the profile, its rank among all channels
 * included, covers that range, so the range printed, given again as --from/--to, gives the same
 * profile; the days the subject itself was live are a figure of their own.
 *
 * @example
 * await coveredRange(session, { from: '2026-11-27' }); // { from: '2026-11-27', to: '2026-11-30' }
 */
export async function coveredRange(session: LakeSession, range: DateRange): Promise<{ from: string; to: string }> {
  if (range.from && range.to) return { from: range.from, to: range.to };
  const [bounds] = rowObjects(await session.query('SELECT CAST(min(data) AS VARCHAR) AS first, CAST(max(data) AS VARCHAR) AS last FROM gold_streamers_diario'));
  return { from: range.from ?? String(bounds?.first), to: range.to ?? String(bounds?.last) };
}
