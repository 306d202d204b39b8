import { PROGRAM } from '../cli/command';
import { CliError, EXIT } from '../cli/errors';
import { terminalSafe } from '../cli/table';
import type { LakeSession } from '../lake/lake-session';
import type { DateRange } from '../cli/date-range';
import { closestNames, coveredRange, type ProfileRow, savedRows } from './profile-inputs';

/** Everything the channel profile shows; each list is the rows of one saved query. */
export interface ChannelProfile {
  kind: 'channel';
  login: string;
  /** The dates covered: as given, or the first and last day live when an end was left open. */
  range: { from: string; to: string };
  /** `channel_summary`: hours streamed and watched, average and peak viewers, broadcasts, days live. */
  summary: ProfileRow;
  /** `channel_categories`: categories with their share of airtime and of hours watched. */
  categories: ProfileRow[];
  /** `channel_heatmap`: weekday (1 = Monday) × hour of the day, hours streamed and average viewers. */
  heatmap: ProfileRow[];
  /** `channel_trend`: one row per day live. */
  trend: ProfileRow[];
  /** `channel_languages`: the languages it streamed in, its main language first. */
  languages: ProfileRow[];
  /** `channel_rank` in its main language (`idioma` added), or null when it has none. */
  rank: ProfileRow | null;
  /** The newest item of the real-time table for the channel, if one has not expired. */
  lastSample: ProfileRow | null;
}

// The real-time table reaches Athena through the DynamoDB connector, not the Glue catalog, so
// this lookup is local only (in AWS: a Query on the table's partition key). Read from the
// segments that can hold the channel's newest item, not all of them: de-duplicating two days of
// the whole platform for one login took 2 s. Only the segments that may hold the login take part,
// so a channel offline for a day, or one the table no longer holds, is not a read of every segment.
const lastSampleSql = (source: string) => `
  SELECT "timestamp" AS coletado_em, espectadores, nome_categoria, titulo, idioma, iniciado_em
  FROM ${source} WHERE nome_streamer = ? ORDER BY "timestamp" DESC LIMIT 1`;
const newestSampleSql = (source: string) => `SELECT epoch_ms(max("timestamp")) FROM ${source} WHERE nome_streamer = ?`;

/** A channel's address as a browser or chat gives it: `https://www.twitch.tv/gaules`, `@gaules`, `#gaules`. */
const PASTED_LOGIN = /^(?:(?:https?:\/\/)?(?:www\.|m\.)?twitch\.tv\/([^/?#\s]+)\/?(?:[?#].*)?|[@#](\S+))$/;

/**
 * Normalises a typed login the way silver does (trimmed, lower-case), taking the login out of a
 * channel's address pasted whole (`twitch.tv/…`) or of a chat mention (`@…`, IRC's `#…`): no
 * login holds those characters.
 *
 * @example
 * loginOf('  Gaules '); // 'gaules'
 * loginOf('https://www.twitch.tv/Gaules'); // 'gaules'
 */
export function loginOf(typed: string): string {
  const trimmed = typed.trim();
  const pasted = PASTED_LOGIN.exec(trimmed);
  return (pasted ? (pasted[1] ?? pasted[2])! : trimmed).toLowerCase();
}

async function notFound(session: LakeSession, login: string, range: DateRange): Promise<CliError> {
  const everLive = await session.query('SELECT min(data) AS primeiro, max(data) AS ultimo FROM gold_streamers_diario WHERE nome_streamer = ?', [login]);
  const [first, last] = everLive.rows[0] ?? [];
  if (first !== null && first !== undefined) {
    return new CliError(`channel "${login}" was not live between ${range.from ?? 'the first day'} and ${range.to ?? 'the last day'}`, {
      hint: `it was live between ${first} and ${last}: widen --from/--to`,
    });
  }
  const closest = await closestNames(session, { table: 'gold_streamers_diario', column: 'nome_streamer' }, login);
  return new CliError(`no channel "${login}" in the lake`, {
    exitCode: EXIT.usage,
    hint: closest.length > 0 ? `closest logins: ${closest.map(terminalSafe).join(', ')}` : `the lake has no gold data yet: run \`${PROGRAM} run\` or \`${PROGRAM} backfill\` first`,
  });
}

/**
 * The channel profile over a date range, from the saved queries `channel_*` (gold only: the
 * weekday × hour grain comes from `gold_canais_hora`) and the real-time table; the rank is in its main language. An unknown login is a {@link CliError}
 * naming the closest logins (exit code 2); a known one not live in the range says when it was.
 *
 * @example
 * const profile = await channelProfile(session, 'gaules', { from: '2026-11-01', to: '2026-11-30' });
 */
export async function channelProfile(session: LakeSession, typed: string, range: DateRange): Promise<ChannelProfile> {
  const login = loginOf(typed);
  const given = { login };
  const [summary] = await savedRows(session, 'channel_summary', given, range);
  if (!summary) throw await notFound(session, login, range);
  const categories = await savedRows(session, 'channel_categories', given, range);
  const heatmap = await savedRows(session, 'channel_heatmap', given, range);
  const trend = await savedRows(session, 'channel_trend', given, range);
  const languages = await savedRows(session, 'channel_languages', given, range);
  const main = languages[0]?.idioma;
  const [ranked] = main === undefined ? [] : await savedRows(session, 'channel_rank', { ...given, language: String(main) }, range);
  const rank = ranked ? { idioma: main, ...ranked } : null;
  const latest = await session.queryNewestRealtime(lastSampleSql, newestSampleSql, [login], { channel: login });
  const lastSample = latest.rows[0] ? Object.fromEntries(latest.columns.map((name, index) => [name, latest.rows[0]![index]])) : null;
  return { kind: 'channel', login, range: await coveredRange(session, range), summary, categories, heatmap, trend, languages, rank, lastSample };
}
