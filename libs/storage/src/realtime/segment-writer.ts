import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealtimeItem } from '@twitch-pipeline/schemas';
import { syncDirectory } from '../local/durable-files';
import { dataSegmentNames, SEGMENT_MAX_AGE_MS, SEGMENT_MAX_BYTES, VERSION_COLUMN } from './segment-folder';

const NEWLINE = 0x0a;

let lastVersion = 0;

/** Microseconds since the epoch, strictly increasing within the process. */
function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

/**
 * How far a segment's time may lie behind the version of its last append: the kernel stamps a
 * file from a coarser clock than `Date.now()` (milliseconds behind, measured), and FAT and older
 * file systems keep times to 1 or 2 seconds.
 */
const SEGMENT_TIME_SLACK_MS = 2_000;

/** The highest floor a segment's time may set: one dated centuries ahead must not push versions past exact integers. */
const MAX_VERSION_FLOOR = 2 ** 52;

/** Makes every later version of this process larger than `version`. */
function versionsAfter(version: number): void {
  lastVersion = Math.max(lastVersion, version);
}

/**
 * The writing side of the local real-time table: appends items, each with a version, to this
 * process's own segment, one durable append (`fsync`) per group of concurrent writes. A new
 * segment is started every {@link SEGMENT_MAX_BYTES} or {@link SEGMENT_MAX_AGE_MS}, so old
 * segments can expire whole.
 *
 * @example
 * const writer = new SegmentWriter('./data/realtime/segments');
 * await writer.append(items);
 */
export class SegmentWriter {
  private segment: { path: string; bytes: number; openedAt: number } | undefined;
  private appending: Promise<void> = Promise.resolve();
  /** The texts waiting for the append in flight to finish; they go to the disk together next. */
  private gathering: { text: string; appended: Promise<void> } | undefined;
  /** Set once, before this writer's first append: its versions come after every version stored. */
  private versionsFloor: Promise<void> | undefined;

  constructor(
    private readonly segments: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The segment this writer appends to now, if it has appended yet. */
  get currentPath(): string | undefined {
    return this.segment?.path;
  }

  /**
   * Appends `items` (one key each) durably, each with a version newer than every version stored.
   *
   * @example
   * await writer.append(latestPerKey(items));
   */
  async append(items: readonly RealtimeItem[]): Promise<void> {
    this.versionsFloor ??= this.newestSegmentTime().then(
      (modifiedMs) => versionsAfter(Math.min(Math.ceil((modifiedMs + SEGMENT_TIME_SLACK_MS) * 1000), MAX_VERSION_FLOOR)),
      (error: unknown) => {
        // Asked again by the next write: a passing failure (EMFILE) must not fail every later one.
        this.versionsFloor = undefined;
        throw error;
      },
    );
    await this.versionsFloor;
    const text = items.map((item) => `${JSON.stringify({ ...item, [VERSION_COLUMN]: nextVersion() })}\n`).join('');
    await this.appendWithOthers(text);
  }

  /**
   * Appends `text` durably, in one write and one `fsync` with the texts of every other
   * `append` call made while the previous append was still flushing (a group commit): a
   * consumer writing a batch of messages side by side waits for one flush, not one per message,
   * which is most of its time on a disk whose `fsync` is slow. Each call resolves only once its
   * own lines are on the disk, and all of the group's calls fail together (none acknowledged).
   * One append at a time per writer: a torn line (process killed mid-write) can then only be the
   * last line of its segment, never followed by a whole line it would corrupt.
   */
  private appendWithOthers(text: string): Promise<void> {
    if (this.gathering) {
      this.gathering.text += text;
      return this.gathering.appended;
    }
    const group = { text, appended: Promise.resolve() };
    this.gathering = group;
    group.appended = this.appending.then(async () => {
      this.gathering = undefined;
      const segment = this.currentSegment();
      segment.bytes += await this.appendDurably(segment.path, group.text);
    });
    this.appending = group.appended.catch(() => undefined);
    return group.appended;
  }

  /**
   * Appends whole lines and flushes them; a file that does not end in a newline (a torn last
   * line) gets one first. A new segment's directory entry is flushed too. Returns the bytes written.
   */
  private async appendDurably(path: string, text: string): Promise<number> {
    const handle = await open(path, 'a+');
    let size: number;
    let written: string;
    try {
      size = (await handle.stat()).size;
      const last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
      written = size > 0 && last[0] !== NEWLINE ? `\n${text}` : text;
      await handle.appendFile(written);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (size === 0) await syncDirectory(this.segments);
    return Buffer.byteLength(written);
  }

  private currentSegment(): { path: string; bytes: number; openedAt: number } {
    const now = this.now();
    if (!this.segment || this.segment.bytes >= SEGMENT_MAX_BYTES || now - this.segment.openedAt >= SEGMENT_MAX_AGE_MS) {
      const name = `${String(now).padStart(13, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.ndjson`;
      this.segment = { path: join(this.segments, name), bytes: 0, openedAt: now };
    }
    return this.segment;
  }

  /**
   * When the table was last written, by its segments' times: a version is taken from the clock
   * just before its append, so a segment's time is its newest version's, or a little behind it
   * (SEGMENT_TIME_SLACK_MS). An earlier process's items then never outrank this one's when the
   * clock was set back between them (a slot crawled again after an NTP correction kept the first
   * crawl's viewers).
   */
  private async newestSegmentTime(): Promise<number> {
    const times = await Promise.all(
      (await dataSegmentNames(this.segments)).map((name) =>
        stat(join(this.segments, name)).then(
          (found) => found.mtimeMs,
          () => 0,
        ),
      ),
    );
    return Math.max(0, ...times);
  }
}
