import type { HelixStream } from '@twitch-pipeline/schemas';
import { CATEGORIES } from './categories';
import { type CursorState, decodeCursor, encodeCursor } from './cursor';
import type { SimulatorFaults } from './faults';
import { LANGUAGES } from './languages';
import { malform, withExtraFields } from './malformations';
import type { LiveList } from './live-list';
import type { Population, StreamFilter } from './population';
import { hash32, unitHash } from './random';
import { helixError, type Reply } from './reply';
import { helixTime } from './stream-records';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const MAX_FILTER_VALUES = 100;

/** What a `/helix/streams` call needs besides its query string. */
export interface StreamsContext {
  readonly population: Population;
  readonly at: Date;
  readonly seed: number;
  readonly faults: SimulatorFaults;
  /** Uniform draw from the request-order fault stream. */
  readonly draw: () => number;
}

function parseFirst(raw: string | null): number | undefined {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(raw)) return undefined;
  const first = Number(raw);
  return first >= 1 && first <= MAX_PAGE_SIZE ? first : undefined;
}

/**
 * Streams that "go live" while a crawl pages: `count` records above everything else, new for
 * this minute and filter, so offset cursors repeat records at page boundaries.
 */
function driftRecords(list: LiveList, filter: StreamFilter, count: number, seed: number): HelixStream[] {
  const top = list.entries[0]?.viewers ?? 0;
  const records: HelixStream[] = [];
  for (let index = count - 1; index >= 0; index--) {
    const language = filter.languages[index % Math.max(1, filter.languages.length)] ?? 'en';
    const gameId = filter.gameIds[index % Math.max(1, filter.gameIds.length)] ?? '509658';
    const category = CATEGORIES.find((candidate) => candidate.id === gameId);
    const login = `risingstar_${list.minute.toString(36)}_${index}`;
    records.push({
      id: String(90_000_000_000 + ((list.minute * 1000 + index) % 9_000_000_000)),
      user_id: String(900_000_000 + (hash32(seed, list.minute, index) % 99_000_000)),
      user_login: login,
      user_name: login,
      game_id: category?.id ?? gameId,
      game_name: category?.name ?? '',
      type: 'live',
      title: `🚨 ${LANGUAGES.find((candidate) => candidate.code === language)?.openers[0] ?? 'LIVE'} — raid incoming`,
      viewer_count: top + 1_000 + index * 10,
      started_at: helixTime(list.minute * 60_000),
      language,
      thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
      tag_ids: [],
      tags: [],
      is_mature: false,
    });
  }
  return records;
}

/**
 * The record as served, broken or padded per the fault knobs. The draws hash the seed, the
 * stream id and the minute: a stream is served the same way on every page of a crawl at that
 * minute (and on every run), and differently from one snapshot to the next.
 */
function servedRecord(record: HelixStream, context: StreamsContext, minute: number): object {
  const id = Number(record.id);
  let served: object = record;
  if (unitHash(context.seed, id, minute, 60) < context.faults.malformedRate) {
    served = malform(served, hash32(context.seed, id, minute, 61));
  }
  if (unitHash(context.seed, id, minute, 62) < context.faults.extraFieldRate) served = withExtraFields(served);
  return served;
}

/**
 * `GET /helix/streams`: filters, `first`, `after`/`before` cursors and the paging quirks of
 * Helix (a last page whose cursor leads to an empty page; optional drift, loops and
 * intermittent `invalid cursor`).
 *
 * @example
 * const reply = streamsReply(new URLSearchParams('language=pt&first=100'), context);
 */
export function streamsReply(query: URLSearchParams, context: StreamsContext): Reply {
  const first = parseFirst(query.get('first'));
  if (first === undefined) return helixError(400, 'The parameter "first" must be an integer between 1 and 100');
  const type = query.get('type') ?? 'all';
  if (type !== 'all' && type !== 'live') return helixError(400, 'The parameter "type" must be "all" or "live"');
  const filter: StreamFilter = {
    languages: query.getAll('language'),
    gameIds: query.getAll('game_id'),
    userLogins: query.getAll('user_login'),
    userIds: query.getAll('user_id'),
  };
  const filterSizes = [filter.languages, filter.gameIds, filter.userLogins, filter.userIds].map((values) => values.length);
  if (Math.max(...filterSizes) > MAX_FILTER_VALUES) {
    return helixError(400, 'Too many values for a filter parameter (maximum 100)');
  }
  // An empty cursor parameter means no cursor, as clients often send `after=` on the first page.
  const after = query.get('after') || null;
  const before = query.get('before') || null;
  if (after !== null && before !== null) return helixError(400, 'Only one of "after" and "before" may be given');
  const cursorText = after ?? before;
  let cursor: CursorState | undefined;
  if (cursorText !== null) {
    cursor = decodeCursor(cursorText, context.seed);
    if (!cursor) return helixError(400, 'invalid cursor');
  }
  if (cursor && context.draw() < context.faults.invalidCursorRate) return helixError(400, 'invalid cursor');

  const list = context.population.matching(context.at, filter);
  const drift = driftRecords(list, filter, cursor?.drift ?? 0, context.seed);
  const total = drift.length + list.entries.length;
  let offset = 0;
  if (cursor && after !== null) offset = cursor.after;
  if (cursor && before !== null) offset = Math.max(0, cursor.before - first);
  const end = Math.min(total, offset + first);

  const data: object[] = [];
  for (let index = offset; index < end; index++) {
    const record = index < drift.length ? drift[index]! : list.recordOf(list.entries[index - drift.length]!);
    data.push(servedRecord(record, context, list.minute));
  }
  if (data.length === 0) return { status: 200, body: { data, pagination: {} } };
  const loopsBack = context.faults.cursorLoop && end >= total;
  // New streams keep appearing while the crawl still gets full pages, and stop once it is at
  // the tail, so that a drifting crawl still ends.
  const drifts = filter.userLogins.length + filter.userIds.length === 0 && data.length === first;
  const next: CursorState = {
    after: loopsBack ? 0 : end,
    before: offset,
    drift: drift.length + (drifts ? context.faults.listDrift : 0),
  };
  return { status: 200, body: { data, pagination: { cursor: encodeCursor(next, context.seed) } } };
}
