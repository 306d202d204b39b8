import { CATEGORIES, toHelixGame } from './categories';
import { decodeCursor, encodeCursor } from './cursor';
import type { LiveList } from './live-list';
import { helixError, type Reply } from './reply';

const MAX_LOOKUPS = 100;

/**
 * `GET /helix/games`: look categories up by `id`, `name` or `igdb_id` (repeatable, 100 in all).
 *
 * @example
 * gamesReply(new URLSearchParams('id=509658&name=VALORANT'));
 * // { status: 200, body: { data: [{ id: '509658', name: 'Just Chatting', … }, { id: '516575', … }] } }
 */
export function gamesReply(query: URLSearchParams): Reply {
  const ids = new Set(query.getAll('id'));
  const names = new Set(query.getAll('name'));
  const igdbIds = new Set(query.getAll('igdb_id').filter((value) => value !== ''));
  const lookups = ids.size + names.size + igdbIds.size;
  if (lookups === 0) return helixError(400, 'Missing required parameter "id", "name" or "igdb_id"');
  if (lookups > MAX_LOOKUPS) return helixError(400, 'Too many values: at most 100 ids, names and igdb ids in all');
  const data = CATEGORIES.filter(
    (category) => ids.has(category.id) || names.has(category.name) || igdbIds.has(category.igdbId),
  ).map(toHelixGame);
  return { status: 200, body: { data, pagination: {} } };
}

/**
 * `GET /helix/games/top`: categories by current viewers, `first` (1–100, default 20) and
 * `after`/`before` cursors.
 *
 * @example
 * topGamesReply(new URLSearchParams('first=10'), population.liveAt(now), seed);
 */
export function topGamesReply(query: URLSearchParams, live: LiveList, seed: number): Reply {
  const firstText = query.get('first') ?? '20';
  const first = /^\d+$/.test(firstText) ? Number(firstText) : 0;
  if (first < 1 || first > 100) return helixError(400, 'The parameter "first" must be an integer between 1 and 100');
  const cursorText = query.get('after') || query.get('before');
  const cursor = cursorText ? decodeCursor(cursorText, seed) : undefined;
  if (cursorText && !cursor) return helixError(400, 'invalid cursor');
  const viewers = new Map<number, number>();
  for (const entry of live.entries) {
    if (entry.category >= 0) viewers.set(entry.category, (viewers.get(entry.category) ?? 0) + entry.viewers);
  }
  const ranked = [...viewers].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([category]) => CATEGORIES[category]!);
  const offset = !cursor ? 0 : query.get('after') ? cursor.after : Math.max(0, cursor.before - first);
  const data = ranked.slice(offset, offset + first).map(toHelixGame);
  if (data.length === 0) return { status: 200, body: { data, pagination: {} } };
  const next = encodeCursor({ after: offset + data.length, before: offset, drift: 0 }, seed);
  return { status: 200, body: { data, pagination: { cursor: next } } };
}
