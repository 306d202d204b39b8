import type { HelixStream } from '@twitch-pipeline/schemas';
import { CATEGORIES } from './categories';
import { ChannelPool, type Session } from './channel-pool';
import { LANGUAGES } from './languages';
import { loginOf, streamRecordOf, userIdOf } from './stream-records';

/** A live stream at one minute, light enough to sort by the hundred thousand. */
export interface LiveEntry {
  readonly session: Session;
  readonly streamId: number;
  readonly viewers: number;
  /** Index into CATEGORIES, -1 when the category is unset. */
  readonly category: number;
  /** Index into LANGUAGES. */
  readonly language: number;
}

/** The `GET /helix/streams` filters that narrow the live list. */
export interface StreamFilter {
  readonly languages: readonly string[];
  readonly gameIds: readonly string[];
  readonly userLogins: readonly string[];
  readonly userIds: readonly string[];
}

/** The live streams of one minute in Helix order, with their records built on first use. */
export class LiveList {
  private readonly records = new Map<number, HelixStream>();

  constructor(
    private readonly pool: ChannelPool,
    readonly minute: number,
    readonly entries: readonly LiveEntry[],
  ) {}

  /**
   * The Helix record of `entry` (built once per minute, then reused).
   *
   * @example
   * list.recordOf(list.entries[0]!).viewer_count;
   */
  recordOf(entry: LiveEntry): HelixStream {
    let record = this.records.get(entry.streamId);
    if (!record) {
      record = streamRecordOf(this.pool, entry.session, this.minute);
      this.records.set(entry.streamId, record);
    }
    return record;
  }
}

const CACHED_MINUTES = 4;
const CACHED_FILTERS = 64;

/** Helix order: viewers descending, ties by stream id ascending. */
function helixOrder(a: LiveEntry, b: LiveEntry): number {
  return b.viewers - a.viewers || a.streamId - b.streamId;
}

/**
 * The simulated platform: the channel pool plus cached live lists per minute and filter.
 * Live status and viewer counts change on whole minutes, so a minute is the cache key and
 * every page of a crawl at one virtual instant sorts nothing.
 */
export class Population {
  readonly pool: ChannelPool;
  private readonly lists = new Map<number, LiveList>();
  private readonly filtered = new Map<string, LiveList>();

  constructor(seed: number, averageLiveChannels: number) {
    this.pool = new ChannelPool(seed, averageLiveChannels);
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
    const list = new LiveList(this.pool, minute, this.computeLive(minute));
    remember(this.lists, minute, list, CACHED_MINUTES);
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
    const key = `${all.minute}|${lists.map((values) => [...values].sort().join(',')).join('|')}`;
    const cached = this.filtered.get(key);
    if (cached) return cached;
    const languages = new Set(filter.languages.map((code) => LANGUAGES.findIndex((language) => language.code === code)));
    const gameIds = new Set(filter.gameIds);
    const logins = new Set(filter.userLogins.map((login) => login.toLowerCase()));
    const userIds = new Set(filter.userIds);
    const entries = all.entries.filter(
      (entry) =>
        (languages.size === 0 || languages.has(entry.language)) &&
        (gameIds.size === 0 || gameIds.has(CATEGORIES[entry.category]?.id ?? '')) &&
        (logins.size === 0 || logins.has(loginOf(this.pool, entry.session.channel))) &&
        (userIds.size === 0 || userIds.has(userIdOf(this.pool, entry.session.channel))),
    );
    const list = new LiveList(this.pool, all.minute, entries);
    remember(this.filtered, key, list, CACHED_FILTERS);
    return list;
  }

  private computeLive(minute: number): LiveEntry[] {
    const pool = this.pool;
    return pool
      .liveSessions(minute)
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

function remember<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): void {
  cache.set(key, value);
  if (cache.size > limit) cache.delete(cache.keys().next().value as K);
}
