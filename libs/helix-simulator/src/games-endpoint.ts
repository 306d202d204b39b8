import { CATEGORIES, toHelixGame } from './categories';
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
