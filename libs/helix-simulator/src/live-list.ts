import type { HelixStream } from '@twitch-pipeline/schemas';
import { rememberBounded } from './bounded-map';
import type { ChannelPool, Session } from './channel-pool';
import { streamRecordOf } from './stream-records';

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

const CACHED_FILTERS = 64;

/**
 * The live streams of one minute in Helix order, with their records built on first use.
 * Narrowed lists (filters) share the records of the list they come from and are cached with
 * it, so dropping a minute drops everything built for it.
 */
export class LiveList {
  private readonly narrowedLists = new Map<string, LiveList>();

  constructor(
    private readonly pool: ChannelPool,
    readonly minute: number,
    readonly entries: readonly LiveEntry[],
    // Keyed by the entry object: narrowed lists share the entries, and an object key hashes
    // faster than a stream id beyond the small-integer range.
    private readonly records = new Map<LiveEntry, HelixStream>(),
  ) {}

  /**
   * The Helix record of `entry` (built once per minute, then reused).
   *
   * @example
   * list.recordOf(list.entries[0]!).viewer_count;
   */
  recordOf(entry: LiveEntry): HelixStream {
    let record = this.records.get(entry);
    if (!record) {
      record = streamRecordOf(this.pool, entry.session, this.minute);
      this.records.set(entry, record);
    }
    return record;
  }

  /**
   * The entries that `keep` accepts, as a list cached under `key`.
   *
   * @example
   * list.narrowed('pt', (entry) => entry.language === 2);
   */
  narrowed(key: string, keep: (entry: LiveEntry) => boolean): LiveList {
    let list = this.narrowedLists.get(key);
    if (!list) {
      list = new LiveList(this.pool, this.minute, this.entries.filter(keep), this.records);
      rememberBounded(this.narrowedLists, key, list, CACHED_FILTERS);
    }
    return list;
  }
}
