import { PROGRAM } from '../cli/command';
import { CliError, EXIT } from '../cli/errors';
import { terminalSafe } from '../cli/table';
import type { LakeSession } from '../lake/lake-session';
import type { DateRange } from '../cli/date-range';
import { closestNames, coveredRange, type ProfileRow, savedRows } from './profile-inputs';

/** Everything the category profile shows; each list is the rows of one saved query. */
export interface CategoryProfile {
  kind: 'category';
  /** The category's name as the lake spells it. */
  name: string;
  range: { from: string; to: string };
  /** `category_summary`: hours watched and streamed, average and peak viewers, channels, days. */
  summary: ProfileRow;
  /** `category_hours`: channels live, viewers and viewers per channel by hour of the day. */
  hours: ProfileRow[];
  /** The five hours with the most viewers per live channel (the least crowded audience). */
  bestHours: ProfileRow[];
  /** `category_top_channels`: the 20 channels with the most hours watched. */
  topChannels: ProfileRow[];
  /** `category_languages`: audience by stream language. */
  languages: ProfileRow[];
  /** `category_trend`: one row per day. */
  trend: ProfileRow[];
}

const BEST_HOURS = 5;

/**
 * The lake's spelling of a category typed by name (any case) or by Helix id (digits, looked up
 * in silver over the range's partitions); undefined when neither matches.
 *
 * @example
 * await resolveCategory(session, 'just chatting', {}); // 'Just Chatting'
 * await resolveCategory(session, '509658', {});        // 'Just Chatting'
 */
export async function resolveCategory(session: LakeSession, typed: string, range: DateRange): Promise<string | undefined> {
  const text = typed.trim().normalize('NFC');
  // Both sides in one Unicode spelling: gold written before silver normalised names may hold one
  // Twitch sent decomposed (e + combining accent), which looks the same as the one typed.
  const byName = await session.query(
    'SELECT nome_categoria FROM gold_categorias_diario WHERE lower(nfc_normalize(nome_categoria)) = lower(?) GROUP BY nome_categoria ORDER BY sum(horas_assistidas) DESC, nome_categoria LIMIT 1',
    [text],
  );
  if (byName.rows[0]) return String(byName.rows[0][0]);
  if (!/^\d+$/.test(text)) return undefined;
  const byId = await session.query(
    'SELECT nome_categoria FROM silver_streams WHERE id_categoria = ? AND dt BETWEEN ? AND ? GROUP BY nome_categoria ORDER BY count(*) DESC, nome_categoria LIMIT 1',
    [text, range.from ?? '2000-01-01', range.to ?? '2100-12-31'],
  );
  return byId.rows[0] ? String(byId.rows[0][0]) : undefined;
}

async function unknown(session: LakeSession, typed: string): Promise<CliError> {
  const closest = await closestNames(session, { table: 'gold_categorias_diario', column: 'nome_categoria' }, typed.trim());
  return new CliError(`no category "${typed}" in the lake (by name or Helix id)`, {
    exitCode: EXIT.usage,
    hint: closest.length > 0 ? `closest names: ${closest.map(terminalSafe).join(', ')}` : `the lake has no gold data yet: run \`${PROGRAM} run\` or \`${PROGRAM} backfill\` first`,
  });
}

/**
 * Why a category the lake knows has no summary in the range: nobody streamed it then, or the
 * gold of those dates predates the table the profile reads (`gold_categorias_canais`, which an
 * earlier version did not write), which `rebuild` writes from bronze.
 */
async function noSummary(session: LakeSession, name: string, range: DateRange): Promise<CliError> {
  const daily = await session.query('SELECT min(dt) AS first, max(dt) AS last FROM gold_categorias_diario WHERE nome_categoria = ? AND dt BETWEEN ? AND ?', [
    name,
    range.from ?? '2000-01-01',
    range.to ?? '2100-12-31',
  ]);
  const [first, last] = daily.rows[0] ?? [];
  if (first !== null && first !== undefined) {
    return new CliError(`the gold of ${first === last ? first : `${first} to ${last}`} was written by an earlier version, without the category-channel table this profile reads`, {
      hint: `rewrite it from bronze: \`${PROGRAM} rebuild --from ${first} --to ${last}\``,
    });
  }
  return new CliError(`nobody streamed "${terminalSafe(name)}" between ${range.from ?? 'the first day'} and ${range.to ?? 'the last day'}`, { hint: 'widen --from/--to' });
}

/**
 * The category profile over a date range, from the saved queries `category_*` (gold only).
 * An unknown name or id is a {@link CliError} naming the closest categories (exit code 2).
 *
 * @example
 * const profile = await categoryProfile(session, 'Just Chatting', { from: '2026-11-01' });
 */
export async function categoryProfile(session: LakeSession, typed: string, range: DateRange): Promise<CategoryProfile> {
  const name = await resolveCategory(session, typed, range);
  if (name === undefined) throw await unknown(session, typed);
  const given = { category: name };
  const [summary] = await savedRows(session, 'category_summary', given, range);
  if (!summary) throw await noSummary(session, name, range);
  const hours = await savedRows(session, 'category_hours', given, range);
  const bestHours = [...hours]
    .sort((a, b) => Number(b.espectadores_por_canal ?? 0) - Number(a.espectadores_por_canal ?? 0) || Number(a.hora_dia) - Number(b.hora_dia))
    .slice(0, BEST_HOURS);
  const topChannels = await savedRows(session, 'category_top_channels', given, range);
  const languages = await savedRows(session, 'category_languages', given, range);
  const trend = await savedRows(session, 'category_trend', given, range);
  return { kind: 'category', name, range: await coveredRange(session, range), summary, hours, bestHours, topChannels, languages, trend };
}
