import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileDurably } from '../local/durable-files';

/**
 * One number per finished segment of the local table, kept in a small JSON file beside the
 * segments: its latest `expira_em` (epoch seconds, `segment-expiries.json`), or the newest
 * collection time of its items (epoch ms, `segment-newest.json`). A segment no writer has touched
 * for an hour is never appended to again (writers start a new one every hour), so it is read once
 * and remembered: deciding which segments have expired, or which can hold the newest items, then
 * costs a lookup, not a read of every segment of the last two days (gigabytes at the whole
 * platform's size).
 *
 * @example
 * const expiries = await SegmentExpiries.load('./data/realtime/segment-expiries.json');
 * expiries.set('1764700000000-42-ab12cd34.ndjson', 1764872800);
 * await expiries.save();
 */
export class SegmentExpiries {
  private changed = false;

  private constructor(
    private readonly path: string,
    private readonly latest: Map<string, number>,
  ) {}

  /** Reads the file at `path`; a missing or unreadable one starts empty (the segments are read again). */
  static async load(path: string): Promise<SegmentExpiries> {
    try {
      const stored = JSON.parse(await readFile(path, 'utf8')) as unknown;
      const entries = stored && typeof stored === 'object' ? Object.entries(stored) : [];
      return new SegmentExpiries(path, new Map(entries.filter((entry): entry is [string, number] => Number.isFinite(entry[1]))));
    } catch {
      return new SegmentExpiries(path, new Map());
    }
  }

  /** The number remembered for `segment`, if it was read before. */
  get(segment: string): number | undefined {
    return this.latest.get(segment);
  }

  set(segment: string, value: number): void {
    this.latest.set(segment, value);
    this.changed = true;
  }

  /** Forgets every segment not in `present` (removed here or by another process). */
  keepOnly(present: ReadonlySet<string>): void {
    for (const segment of this.latest.keys()) {
      if (!present.has(segment)) {
        this.latest.delete(segment);
        this.changed = true;
      }
    }
  }

  /** Writes the file whole (atomically) when anything changed since it was loaded or saved. */
  async save(): Promise<void> {
    if (!this.changed) return;
    const temporary = join(dirname(this.path), `.tmp-${basename(this.path)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFileDurably(this.path, JSON.stringify(Object.fromEntries(this.latest)), temporary);
    this.changed = false;
  }
}
