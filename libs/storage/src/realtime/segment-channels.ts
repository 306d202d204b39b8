import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectoryDurably, namesInFolder, writeFileDurably } from '../local/durable-files';
import { ChannelFilter } from './channel-filter';

const SUFFIX = '.channels';
const TEMPORARY_PREFIX = '.tmp-';

/**
 * The channels each finished segment of the local table holds, one small file per segment (a
 * {@link ChannelFilter}, written once, when the segment is first summarized) in a folder beside
 * the segments. "Which segments hold this channel" then costs a read of some kilobytes per
 * segment, not of the segments themselves: a channel offline for a day, or one the table never
 * held, is answered from none or a few of them instead of gigabytes. A segment without a
 * readable filter (still written, summarized before the filters were kept, or a damaged file)
 * may hold any channel.
 *
 * @example
 * const channels = await SegmentChannels.open('./data/realtime/segment-channels');
 * await channels.record('1764700000000-42-ab12cd34.ndjson', new Set(['gaules']));
 * await channels.mayHold(['1764700000000-42-ab12cd34.ndjson'], 'nobody'); // [] (one name in a hundred: the segment)
 */
export class SegmentChannels {
  private constructor(
    private readonly folder: string,
    private readonly recorded: Set<string>,
    /** Temporary files there when opened: a write cut off by a crash, since only the table's writer writes here. */
    private readonly leftovers: readonly string[],
  ) {}

  /** The filters in `folder`; a folder missing or unreadable holds none (every segment is then read). */
  static async open(folder: string): Promise<SegmentChannels> {
    const names = await namesInFolder(folder).catch(() => []);
    return new SegmentChannels(
      folder,
      new Set(names.filter((name) => name.endsWith(SUFFIX)).map((name) => name.slice(0, -SUFFIX.length))),
      names.filter((name) => name.startsWith(TEMPORARY_PREFIX)),
    );
  }

  /** True when `segment` has a filter file (written by {@link record}). */
  has(segment: string): boolean {
    return this.recorded.has(segment);
  }

  /** Writes the filter of `segment`'s channels (undefined: it may hold any), atomically. */
  async record(segment: string, channels: ReadonlySet<string> | undefined): Promise<void> {
    await makeDirectoryDurably(this.folder);
    const temporary = join(this.folder, `${TEMPORARY_PREFIX}${segment}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFileDurably(this.path(segment), ChannelFilter.of(channels).toBytes(), temporary);
    this.recorded.add(segment);
  }

  /** The segments of `segments` that may hold `channel`: those whose filter says so, and each one without a readable filter. */
  async mayHold(segments: readonly string[], channel: string): Promise<string[]> {
    const held = await Promise.all(
      segments.map(async (segment) => {
        if (!this.recorded.has(segment)) return true;
        const filter = await readFile(this.path(segment)).then(ChannelFilter.fromBytes, () => undefined);
        return filter === undefined || filter.mayHold(channel);
      }),
    );
    return segments.filter((_, index) => held[index]);
  }

  /**
   * Removes the filters of segments not in `present` (expired and removed, here or by another
   * process), and the temporary files a crashed write left when this was opened.
   */
  async keepOnly(present: ReadonlySet<string>): Promise<void> {
    for (const leftover of this.leftovers) await rm(join(this.folder, leftover), { force: true });
    for (const segment of this.recorded) {
      if (present.has(segment)) continue;
      await rm(this.path(segment), { force: true });
      this.recorded.delete(segment);
    }
  }

  private path(segment: string): string {
    return join(this.folder, `${segment}${SUFFIX}`);
  }
}
