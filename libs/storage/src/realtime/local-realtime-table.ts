import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { columnNames, duckdbColumns, duckdbLiteralPath, duckdbStructType, REALTIME_KEYS, type RealtimeItem, realtimeItemSchema } from '@twitch-pipeline/schemas';
import {
  checkQueryBounds,
  latestPerKey,
  type PutItemsResult,
  type QueryByStreamerOptions,
  type RealtimeTable,
} from './realtime-table';
import { SegmentChannels } from './segment-channels';
import { SegmentExpiries } from './segment-expiries';
import { dataSegmentNames, EMPTY_SEGMENT, isDataSegment, mayStillGrow, SEGMENT_MAX_AGE_MS, VERSION_COLUMN } from './segment-folder';
import { SegmentIndex } from './segment-index';
import { NEWEST_UNKNOWN, type StoredLine, summarizeSegment } from './segment-summary';
import { type SkippedLines, SegmentVerdicts } from './segment-verdicts';
import { SegmentWriter } from './segment-writer';

export type { SkippedLines } from './segment-verdicts';

/** Beside the segments folder, so the readers' glob never sees it. */
const EXPIRIES_FILE = 'segment-expiries.json';
/** Beside the segments folder too: what each segment was found to hold of torn lines (see SegmentVerdicts). */
const VERDICTS_FILE = 'segment-verdicts.json';
/** The newest collection time (epoch ms) of each finished segment's items, beside it for the same reason. */
const NEWEST_FILE = 'segment-newest.json';
/** The channels of each finished segment, a small filter file each (see SegmentChannels). */
const CHANNELS_FOLDER = 'segment-channels';
/** What {@link LocalRealtimeTable.newestSource} asks about. */
export interface NewestSourceOptions {
  /** The question is about this channel's items alone (`nome_streamer`). */
  channel?: string;
}

/** What {@link LocalRealtimeTable.removeExpiredSegments} did. */
export interface ExpiredSegments {
  /** Segments deleted: every item in them had expired. */
  removed: number;
  /** Segments that could not be read or removed, with the reason; the next call tries them again. */
  unchecked: { segment: string; reason: string }[];
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The real-time table as a folder of append-only NDJSON segments, one line per written item.
 * Each writer process appends to its own segment, one append per batch flushed to the disk
 * (`fsync`) before `putItems` resolves, so readers never block writers and another process
 * can query while a consumer writes. A key written again (a redelivered message) appends a
 * newer version; readers keep the latest version of each key and drop expired items. A
 * process killed (or a write failed) mid-append leaves at most a torn last line, which readers
 * skip and count ({@link LocalRealtimeTable.skippedLines}); the next append to that segment
 * starts on a fresh line, so it never merges with the torn one. The batch was not
 * acknowledged, so its message is delivered again and rewritten whole.
 *
 * @example
 * const table = new LocalRealtimeTable('./data/realtime');
 * await table.putItems(items);
 * await engine.run(`CREATE VIEW realtime_events AS SELECT * FROM ${table.duckdbSource()}`);
 */
export class LocalRealtimeTable implements RealtimeTable {
  readonly location: string;
  private readonly segments: string;
  private readonly writer: SegmentWriter;
  /** Built on the first query; keeps channel lookups cheap however large the table grows. */
  private index: SegmentIndex | undefined;

  constructor(
    directory: string,
    private readonly now: () => number = Date.now,
  ) {
    this.location = resolve(directory);
    this.segments = join(this.location, 'segments');
    this.writer = new SegmentWriter(this.segments, now);
    // Created only when missing: a reader of a data directory it may not write (mounted
    // read-only, or another user's) opens the table too, and where it cannot be created (a lake
    // copied without its table) reads an empty table; a writer fails on its first append.
    const emptySegment = join(this.segments, EMPTY_SEGMENT);
    if (!existsSync(emptySegment)) {
      try {
        mkdirSync(this.segments, { recursive: true });
        writeFileSync(emptySegment, '', { flag: 'a' });
      } catch {
        // EACCES, EROFS, EPERM, or ENOENT from a recursive mkdir on a read-only mount.
      }
    }
  }

  async putItems(items: readonly RealtimeItem[]): Promise<PutItemsResult> {
    const unique = latestPerKey(items);
    if (unique.length === 0) return { written: 0, requests: 0, retriedItems: 0 };
    await this.writer.append(unique);
    return { written: unique.length, requests: 1, retriedItems: 0 };
  }

  async queryByStreamer(nomeStreamer: string, options: QueryByStreamerOptions = {}): Promise<RealtimeItem[]> {
    checkQueryBounds(options);
    this.index ??= new SegmentIndex(this.segments, isDataSegment, VERSION_COLUMN, this.now);
    await this.index.refresh();
    const lines = await this.index.linesOf(nomeStreamer, {
      beforeMs: options.before ? Date.parse(options.before) : Number.POSITIVE_INFINITY,
      afterMs: options.after ? Date.parse(options.after) : undefined,
      limit: options.limit ?? 10,
      nowSeconds: Math.floor((options.asOf ? Date.parse(options.asOf) : this.now()) / 1000),
    });
    return lines.map((line) => {
      const { [VERSION_COLUMN]: _version, ...item } = JSON.parse(line) as StoredLine;
      return realtimeItemSchema.parse(item);
    });
  }

  /**
   * Lines readers skip: torn lines (a crash mid-append) and unterminated segment tails. What each
   * segment holds is remembered in `segment-verdicts.json` (see {@link SegmentVerdicts}), so only
   * segments written since the last call are read, and only their new bytes: a full table of two
   * days costs a `stat` per segment, not a parse of gigabytes.
   *
   * @example
   * const { tornLines } = await table.skippedLines();
   */
  async skippedLines(): Promise<SkippedLines> {
    // Nothing it can list has lines to count; a reader names why (see unreadableReason).
    if (this.unreadableReason()) return { tornLines: 0, segments: [], unterminatedTails: 0 };
    const verdicts = await SegmentVerdicts.load(join(this.location, VERDICTS_FILE), this.segments, VERSION_COLUMN);
    const skipped = await verdicts.skippedLines(await this.segmentNames());
    // A reader that may not write the data directory (mounted read-only) still counts exactly;
    // it only reads the changed segments again next time.
    await verdicts.save().catch(() => undefined);
    return skipped;
  }

  /**
   * Why the table's segments cannot be listed (another user's folder, a file in its place), or
   * undefined when they can or there are none yet. {@link duckdbSource} then reads as empty, as
   * with no table at all: a reader names this reason so that empty is not taken for "no events".
   *
   * @example
   * const reason = table.unreadableReason(); // "EACCES: permission denied, scandir '…/segments'"
   */
  unreadableReason(): string | undefined {
    try {
      readdirSync(this.segments);
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : (error as Error).message;
    }
  }

  /**
   * A DuckDB table expression over every segment that yields exactly the columns of
   * `realtimeItemSchema`: the latest version of each key, torn lines and expired items left out.
   * Given `segments` (names in the segments folder, as {@link segmentsSince} lists them), it
   * reads only those. With `everyVersion`, every live version of a key is a row: the same keys,
   * and so the same distinct channels and newest time, without the cost of ranking versions.
   *
   * @example
   * await engine.run(`CREATE VIEW realtime_events AS SELECT * FROM ${table.duckdbSource()}`);
   */
  duckdbSource(options: { segments?: readonly string[]; everyVersion?: boolean } = {}): string {
    if (!existsSync(join(this.segments, EMPTY_SEGMENT))) {
      return `(SELECT ${duckdbColumns(realtimeItemSchema).map(({ name, type }) => `CAST(NULL AS ${type}) AS "${name}"`).join(', ')} WHERE false)`;
    }
    const struct = duckdbStructType(realtimeItemSchema).replace(/}$/, `, '${VERSION_COLUMN}': 'BIGINT'}`);
    const columns = columnNames(realtimeItemSchema)
      .map((name) => `"${name}"`)
      .join(', ');
    const { partitionKey, sortKey, ttlAttribute } = REALTIME_KEYS;
    const folder = duckdbLiteralPath(this.segments);
    // The empty segment keeps a list of none readable, as it keeps the glob matching.
    const files = options.segments
      ? `[${[EMPTY_SEGMENT, ...options.segments].map((name) => quoteLiteral(join(folder, name))).join(', ')}]`
      : quoteLiteral(join(folder, '*.ndjson'));
    return (
      `(SELECT ${columns} FROM read_json(${files}, format = 'newline_delimited', columns = ${struct}, ignore_errors = true) ` +
      `WHERE "${partitionKey}" IS NOT NULL AND "${sortKey}" IS NOT NULL AND "${ttlAttribute}" > epoch(current_timestamp)` +
      (options.everyVersion ? ')' : ` QUALIFY row_number() OVER (PARTITION BY "${partitionKey}", "${sortKey}" ORDER BY "${VERSION_COLUMN}" DESC) = 1)`)
    );
  }

  /**
   * Deletes segments whose items have all expired and that no writer may still append to: this
   * process's own other than the one it writes now (a process writes the table through one
   * instance), those of a process that is gone, and those no one has touched for an hour
   * (writers move to a new segment every hour). So a backfill's end removes the segments it
   * filled with items already past their TTL. Each finished segment is read once for its
   * latest expiry, remembered in `segment-expiries.json` (see {@link SegmentExpiries}), so a
   * collector can call this every cycle. A segment that cannot be checked or removed is named
   * with its reason and left for the next call; the others are still handled. Only the process
   * that writes the table (the one holding the data directory) calls it.
   *
   * @example
   * const { removed, unchecked } = await table.removeExpiredSegments();
   */
  async removeExpiredSegments(): Promise<ExpiredSegments> {
    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const expiries = await SegmentExpiries.load(join(this.location, EXPIRIES_FILE));
    const newest = await SegmentExpiries.load(join(this.location, NEWEST_FILE));
    const channels = await SegmentChannels.open(join(this.location, CHANNELS_FOLDER));
    const result: ExpiredSegments = { removed: 0, unchecked: [] };
    for (const name of await this.segmentNames()) {
      const path = join(this.segments, name);
      if (path === this.writer.currentPath) continue;
      try {
        let latest = expiries.get(name);
        if (latest === undefined || newest.get(name) === undefined || !channels.has(name)) {
          if (latest === undefined && mayStillGrow(name) && (await stat(path)).mtimeMs > nowMs - SEGMENT_MAX_AGE_MS) continue;
          // Read once for all three: a table written before the newest times, or the channels,
          // were kept gets them here.
          const summary = summarizeSegment(await this.readSegment(name));
          latest = summary.latestExpiry;
          expiries.set(name, latest);
          newest.set(name, summary.newest);
          if (latest > nowSeconds) await channels.record(name, summary.channels);
        }
        if (latest <= nowSeconds) {
          await rm(path, { force: true });
          result.removed += 1;
        }
      } catch (error) {
        if (!isMissing(error)) result.unchecked.push({ segment: name, reason: (error as Error).message });
      }
    }
    const present = new Set(await this.segmentNames());
    expiries.keepOnly(present);
    newest.keepOnly(present);
    await expiries.save();
    await newest.save();
    await channels.keepOnly(present);
    return result;
  }

  /**
   * The segments that can hold an item collected at `sinceMs` or later: each finished one whose
   * newest item (recorded by {@link removeExpiredSegments}) is that recent, and every one not
   * recorded (still written, or finished since the last call). A backfill writes old times into
   * a new segment, so a segment's name says nothing of its items' times: only what was recorded
   * of them does. Given `among`, only those of its segments.
   *
   * @example
   * const recent = await table.segmentsSince(Date.parse('2026-12-07T12:00:00Z'));
   */
  async segmentsSince(sinceMs: number, among?: readonly string[]): Promise<string[]> {
    const newest = await SegmentExpiries.load(join(this.location, NEWEST_FILE));
    const floorMs = Math.floor(sinceMs);
    return (among ?? (await this.segmentNames())).filter((name) => (newest.get(name) ?? NEWEST_UNKNOWN) >= floorMs);
  }

  /**
   * A {@link duckdbSource} over only the segments that can hold the newest live item a
   * question asks for ("the latest snapshot", "a channel's last sample"). `newestIn` answers it
   * over a source: the collection time (epoch ms) of that item there, or undefined when it holds
   * none. It is asked first over the segments whose newest item is the newest recorded (and
   * those not recorded); every segment that can hold an item at least that recent is then read,
   * which holds the answer and every version of its key (a key rewritten later, in another
   * segment, still wins by its version). With nothing recorded, or no answer there, it is every
   * segment. Given `channel` (a question about that channel's items alone), only the segments
   * that may hold it take part (see SegmentChannels): a channel offline for a day, or one the
   * table does not hold, is answered from the few segments holding it, or none, not from all.
   *
   * @example
   * const source = await table.newestSource(async (source) => msOf(`SELECT max("timestamp") FROM ${source} WHERE nome_streamer = 'gaules'`), { channel: 'gaules' });
   * await engine.all(`SELECT * FROM ${source} WHERE nome_streamer = 'gaules' ORDER BY "timestamp" DESC LIMIT 1`);
   */
  async newestSource(newestIn: (source: string) => Promise<number | undefined>, options: NewestSourceOptions = {}): Promise<string> {
    // Read as empty, as the whole table is (see unreadableReason).
    if (this.unreadableReason()) return this.duckdbSource();
    const newest = await SegmentExpiries.load(join(this.location, NEWEST_FILE));
    let names = await this.segmentNames();
    if (options.channel !== undefined) names = await (await SegmentChannels.open(join(this.location, CHANNELS_FOLDER))).mayHold(names, options.channel);
    // Without a channel the segments are listed again each time, so that one a writer started
    // while `newestIn` ran is read too; a channel's are those its filters allowed.
    const among = options.channel === undefined ? undefined : names;
    const recorded = names.map((name) => newest.get(name)).filter((ms): ms is number => ms !== undefined && ms !== NEWEST_UNKNOWN);
    if (recorded.length > 0) {
      const found = await newestIn(this.duckdbSource({ segments: await this.segmentsSince(Math.max(...recorded), among) }));
      if (found !== undefined) return this.duckdbSource({ segments: await this.segmentsSince(found, among) });
    }
    // Every segment: by the glob, which also finds one started since they were listed.
    return options.channel === undefined ? this.duckdbSource() : this.duckdbSource({ segments: names });
  }

  private segmentNames(): Promise<string[]> {
    return dataSegmentNames(this.segments);
  }

  private async readSegment(name: string): Promise<string> {
    try {
      return await readFile(join(this.segments, name), 'utf8');
    } catch (error) {
      if (isMissing(error)) return '';
      throw error;
    }
  }
}
