import type { HelixStream } from '@twitch-pipeline/schemas';
import { rememberBounded } from './bounded-map';
import type { Session } from './channel-pool';
import type { StreamRecords } from './stream-records';

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
 *
 * @example
 * const list = population.liveAt(new Date());
 * const firstPage = list.entries.slice(0, 20).map((entry) => list.recordOf(entry));
 * const portuguese = list.narrowed('pt', (entry) => LANGUAGES[entry.language]?.code === 'pt');
 */
export class LiveList {
  private readonly narrowedLists = new Map<string, LiveList>();
  private computed: readonly LiveEntry[] | undefined;

  /** `entries` may be given as a function: it then runs on first use, and only if needed. */
  constructor(
    private readonly streamRecords: StreamRecords,
    readonly minute: number,
    private readonly source: readonly LiveEntry[] | (() => readonly LiveEntry[]),
    private readonly records = new Map<number, HelixStream>(),
  ) {}

  /** The live streams in Helix order. */
  get entries(): readonly LiveEntry[] {
    this.computed ??= typeof this.source === 'function' ? this.source() : this.source;
    return this.computed;
  }

  /**
   * The Helix record of `entry` (built once per minute, then reused).
   *
   * @example
   * list.recordOf(list.entries[0]!).viewer_count;
   */
  recordOf(entry: LiveEntry): HelixStream {
    let record = this.records.get(entry.streamId);
    if (!record) {
      record = this.streamRecords.recordOf(entry.session, entry.viewers);
      this.records.set(entry.streamId, record);
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
    return this.narrowedWith(key, () => this.entries.filter(keep));
  }

  /**
   * A list cached under `key` whose entries `compute` returns (on first use): the same entries,
   * in the same order, as some filter of this list would give, found without building this one.
   *
   * @example
   * list.narrowedWith('pt', () => entriesOfLanguage(2));
   */
  narrowedWith(key: string, compute: () => readonly LiveEntry[]): LiveList {
    let list = this.narrowedLists.get(key);
    if (!list) {
      list = new LiveList(this.streamRecords, this.minute, compute, this.records);
      rememberBounded(this.narrowedLists, key, list, CACHED_FILTERS);
    }
    return list;
  }
}
