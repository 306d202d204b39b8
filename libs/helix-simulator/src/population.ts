import type { PopulationShape } from './audience-shapes';
import { rememberBounded } from './bounded-map';
import { CATEGORIES } from './categories';
import { ChannelPool, type Session } from './channel-pool';
import { LANGUAGES } from './languages';
import { type LiveEntry, LiveList } from './live-list';
import { loginOf, StreamRecords, userIdOf } from './stream-records';

/** The `GET /helix/streams` filters that narrow the live list. */
export interface StreamFilter {
  readonly languages: readonly string[];
  readonly gameIds: readonly string[];
  readonly userLogins: readonly string[];
  readonly userIds: readonly string[];
}

/** Minutes whose lists stay cached: a crawl that crosses a minute boundary needs two. */
const CACHED_MINUTES = 2;

/** Helix order: viewers descending, ties by stream id ascending. */
function helixOrder(a: LiveEntry, b: LiveEntry): number {
  return b.viewers - a.viewers || a.streamId - b.streamId;
}

/**
 * The simulated platform: the channel pool plus cached live lists per minute and filter.
 * Live status and viewer counts change on whole minutes, so a minute is the cache key and
 * every page of a crawl at one virtual instant sorts nothing.
 *
 * @example
 * const population = new Population(42, 95_000);
 * const live = population.liveAt(new Date()).entries.length;
 * const portuguese = population.matching(new Date(), { languages: ['pt'], gameIds: [], userLogins: [], userIds: [] });
 */
export class Population {
  readonly pool: ChannelPool;
  private readonly lists = new Map<number, LiveList>();
  private readonly records: StreamRecords;
  /** The sessions of the last minute listed: a crawl narrows one minute by each of its languages in turn. */
  private lastSessions: { minute: number; sessions: readonly Session[] } | undefined;

  constructor(seed: number, averageLiveChannels: number, shape: PopulationShape = 'default') {
    this.pool = new ChannelPool(seed, averageLiveChannels, shape);
    // Room for the sessions live at a peak (above the daily mean) and those that just ended.
    this.records = new StreamRecords(this.pool, Math.ceil(2 * averageLiveChannels) + 1_000);
  }

  /**
   * Every stream live during the UTC minute that contains `at`, in Helix order.
   *
   * @example
   * population.liveAt(new Date()).entries.length;
   */
  liveAt(at: Date): LiveList {
    const minute = Math.floor(at.getTime() / 60_000);
    const cached = this.lists.get(minute);
    if (cached) return cached;
    const list = new LiveList(this.records, minute, () => this.computeLive(minute));
    rememberBounded(this.lists, minute, list, CACHED_MINUTES);
    return list;
  }

  /**
   * The live list at `at` narrowed by `filter` (an empty filter list means no filter).
   *
   * @example
   * population.matching(now, { languages: ['pt'], gameIds: [], userLogins: [], userIds: [] });
   */
  matching(at: Date, filter: StreamFilter): LiveList {
    const all = this.liveAt(at);
    const lists = [filter.languages, filter.gameIds, filter.userLogins, filter.userIds];
    if (lists.every((values) => values.length === 0)) return all;
    const key = JSON.stringify(lists.map((values) => [...values].sort()));
    const languages = new Set(filter.languages.map((code) => LANGUAGES.findIndex((language) => language.code === code)));
    if (filter.gameIds.length + filter.userLogins.length + filter.userIds.length === 0) {
      // A language filter (a crawl's usual query) sorts only its own languages' streams.
      return all.narrowedWith(key, () => this.computeLive(all.minute, languages));
    }
    const gameIds = new Set(filter.gameIds);
    const logins = new Set(filter.userLogins.map((login) => login.toLowerCase()));
    const userIds = new Set(filter.userIds);
    return all.narrowed(
      key,
      (entry) =>
        (languages.size === 0 || languages.has(entry.language)) &&
        (gameIds.size === 0 || gameIds.has(CATEGORIES[entry.category]?.id ?? '')) &&
        (logins.size === 0 || logins.has(loginOf(this.pool, entry.session.channel))) &&
        (userIds.size === 0 || userIds.has(userIdOf(this.pool, entry.session.channel))),
    );
  }

  /** The live entries of `minute` in Helix order; only those in `languages` (indexes into LANGUAGES) when given. */
  private computeLive(minute: number, languages?: ReadonlySet<number>): LiveEntry[] {
    const pool = this.pool;
    if (this.lastSessions?.minute !== minute) this.lastSessions = { minute, sessions: pool.liveSessions(minute) };
    const sessions = this.lastSessions.sessions;
    return (languages ? sessions.filter((session) => languages.has(pool.language[session.channel]!)) : sessions)
      .map((session) => ({
        session,
        streamId: pool.streamIdOf(session),
        viewers: pool.viewersAt(session, minute),
        category: pool.categoryOf(session),
        language: pool.language[session.channel]!,
      }))
      .sort(helixOrder);
  }
}
