import { open, stat } from 'node:fs/promises';
import { namesInFolder } from '../local/durable-files';
import { join } from 'node:path';
import { storedLineKey } from './stored-line-key';

/** Where the latest version of one key is stored. */
interface IndexEntry {
  timestampMs: number;
  version: number;
  expiresAt: number;
  segment: string;
  offset: number;
  length: number;
}

const NEWLINE = 0x0a;

/** A line to read, and where its text goes. */
interface LineRequest {
  entry: IndexEntry;
  resolve: (line: string) => void;
  reject: (error: unknown) => void;
}

/** Lines closer than this are read in one span with the bytes between them. */
const SPAN_GAP_BYTES = 64 * 1024;
/** No span grows past this, so a batch never holds a whole large segment in memory at once. */
const SPAN_MAX_BYTES = 1024 * 1024;

/** The requests of one segment in runs of nearby lines, each run read at once. */
function spansOf(requests: readonly LineRequest[]): { start: number; end: number; requests: LineRequest[] }[] {
  const spans: { start: number; end: number; requests: LineRequest[] }[] = [];
  for (const request of [...requests].sort((a, b) => a.entry.offset - b.entry.offset)) {
    const { offset, length } = request.entry;
    const last = spans.at(-1);
    if (last && offset - last.end <= SPAN_GAP_BYTES && offset + length - last.start <= SPAN_MAX_BYTES) {
      last.end = Math.max(last.end, offset + length);
      last.requests.push(request);
    } else {
      spans.push({ start: offset, end: offset + length, requests: [request] });
    }
  }
  return spans;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * An in-process index of the local table's segments: for each channel, where the latest
 * version of each of its items is (segment, byte offset, length). It reads only the bytes
 * appended since its last refresh, so a channel lookup costs a few `stat`s and small reads
 * however large the table is; lines still being written (no newline yet) are picked up by the
 * next refresh. What it holds of a segment that expired and was removed is dropped; a segment
 * removed while it held live items makes it start over.
 *
 * @example
 * const index = new SegmentIndex(segmentsDir, isSegment, '_versao');
 * await index.refresh();
 * const lines = await index.linesOf('gaules', { before: Date.now(), limit: 1, nowSeconds });
 */
export class SegmentIndex {
  private indexedBytes = new Map<string, number>();
  private byStreamer = new Map<string, IndexEntry[]>();
  /** Lines asked for since the last batch of reads, per segment. */
  private pendingReads = new Map<string, LineRequest[]>();
  /** Refreshes run one after another, so concurrent lookups never index the same bytes at once. */
  private refreshing: Promise<void> = Promise.resolve();
  /** A refresh queued but not started yet: lookups arriving meanwhile share it instead of queueing more. */
  private queued: Promise<void> | undefined;

  constructor(
    private readonly directory: string,
    private readonly isSegment: (name: string) => boolean,
    private readonly versionColumn: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Indexes whatever was appended to any segment since the last refresh. */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.refreshing.then(() => {
      this.queued = undefined;
      return this.indexNewBytes();
    });
    this.queued = run;
    // A failed refresh is reported to its callers; the next one still runs.
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async indexNewBytes(): Promise<void> {
    // No folder (a lake copied without its table, where it could not be made): no segments.
    const names = (await namesInFolder(this.directory)).filter(this.isSegment).sort();
    const present = new Set(names);
    const gone = new Set([...this.indexedBytes.keys()].filter((name) => !present.has(name)));
    if (gone.size > 0 && !this.forgetExpired(gone, Math.floor(this.now() / 1000))) this.startOver();
    for (const name of names) await this.indexSegment(name);
  }

  /**
   * Drops what the index holds of segments that expired and were removed (one an hour in a
   * collector), keeping the rest: re-reading every surviving segment cost a collector seconds a
   * cycle with a full real-time table. Every version of an item expires at once (its collection
   * time plus the TTL), so no older version of an expired item elsewhere can still be live. False,
   * having changed nothing, when a segment held a live item (deleted by hand): an older version of
   * it in another segment may then be the latest live one, which only a new index finds.
   */
  private forgetExpired(gone: ReadonlySet<string>, nowSeconds: number): boolean {
    for (const entries of this.byStreamer.values()) {
      if (entries.some((entry) => gone.has(entry.segment) && entry.expiresAt > nowSeconds)) return false;
    }
    for (const name of gone) this.indexedBytes.delete(name);
    for (const [streamer, kept] of this.byStreamer) {
      if (!kept.some((entry) => gone.has(entry.segment))) continue;
      const left = kept.filter((entry) => !gone.has(entry.segment));
      if (left.length > 0) this.byStreamer.set(streamer, left);
      else this.byStreamer.delete(streamer);
    }
    return true;
  }

  private startOver(): void {
    this.indexedBytes.clear();
    this.byStreamer.clear();
  }

  /**
   * Raw stored lines of a channel's live items, newest first; with `afterMs`, only those
   * collected after it, oldest first. Only the lines returned are read from their segments (with
   * the bytes between nearby lines asked for at the same time).
   */
  async linesOf(nomeStreamer: string, options: { beforeMs: number; afterMs?: number; limit: number; nowSeconds: number }): Promise<string[]> {
    const { afterMs } = options;
    const entries = (this.byStreamer.get(nomeStreamer) ?? [])
      .filter((entry) => entry.expiresAt > options.nowSeconds && entry.timestampMs < options.beforeMs)
      .filter((entry) => afterMs === undefined || entry.timestampMs > afterMs)
      .sort((a, b) => (afterMs === undefined ? b.timestampMs - a.timestampMs : a.timestampMs - b.timestampMs))
      .slice(0, options.limit);
    // Asked for together, so a channel's lines are read in the same batch too.
    return Promise.all(entries.map((entry) => this.readLine(entry)));
  }

  /**
   * Reads one stored line. The lines asked for in one turn of the event loop (a queue message's
   * alert checks run together) are read at its end, one open per segment and one read per run of
   * nearby lines: a message's channels were written together a snapshot before, so their lines
   * lie close, and a read per line cost more in system calls than the bytes between them.
   */
  private readLine(entry: IndexEntry): Promise<string> {
    return new Promise((resolve, reject) => {
      // The first request since the last batch schedules the next one.
      if (this.pendingReads.size === 0) setImmediate(() => void this.readPending());
      const requests = this.pendingReads.get(entry.segment) ?? [];
      requests.push({ entry, resolve, reject });
      this.pendingReads.set(entry.segment, requests);
    });
  }

  private async readPending(): Promise<void> {
    const bySegment = this.pendingReads;
    this.pendingReads = new Map();
    await Promise.all([...bySegment].map(([segment, requests]) => this.readFromSegment(segment, requests)));
  }

  private async readFromSegment(segment: string, requests: LineRequest[]): Promise<void> {
    try {
      const handle = await open(join(this.directory, segment), 'r');
      try {
        for (const span of spansOf(requests)) {
          const buffer = Buffer.alloc(span.end - span.start);
          await handle.read(buffer, 0, buffer.length, span.start);
          for (const { entry, resolve } of span.requests) {
            resolve(buffer.toString('utf8', entry.offset - span.start, entry.offset - span.start + entry.length));
          }
        }
      } finally {
        await handle.close();
      }
    } catch (error) {
      for (const { reject } of requests) reject(error);
    }
  }

  private async indexSegment(name: string): Promise<void> {
    const path = join(this.directory, name);
    const from = this.indexedBytes.get(name) ?? 0;
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    if (size <= from) return;
    const handle = await open(path, 'r');
    const buffer = Buffer.alloc(size - from);
    try {
      await handle.read(buffer, 0, buffer.length, from);
    } finally {
      await handle.close();
    }
    // Bytes after the last newline are not a line yet (still being written, or torn by a crash):
    // the next refresh reads them again. Torn and damaged lines are left out of the index; their
    // count is SegmentVerdicts' to report.
    const end = buffer.lastIndexOf(NEWLINE);
    if (end < 0) return;
    let start = 0;
    while (start <= end) {
      const stop = buffer.indexOf(NEWLINE, start);
      if (stop > start) this.indexLine(name, buffer, start, stop, from);
      start = stop + 1;
    }
    this.indexedBytes.set(name, from + end + 1);
  }

  /** Indexes one line, unless it is not a stored item (torn or damaged). */
  private indexLine(segment: string, buffer: Buffer, start: number, stop: number, base: number): void {
    const key = storedLineKey(buffer.toString('utf8', start, stop), this.versionColumn);
    if (!key) return;
    const { timestampMs, version } = key;
    const entry: IndexEntry = { timestampMs, version, expiresAt: key.expiresAt, segment, offset: base + start, length: stop - start };
    const entries = this.byStreamer.get(key.nomeStreamer);
    if (!entries) {
      this.byStreamer.set(key.nomeStreamer, [entry]);
      return;
    }
    const same = entries.findIndex((existing) => existing.timestampMs === timestampMs);
    if (same < 0) entries.push(entry);
    else if (entries[same]!.version < version) entries[same] = entry;
  }
}
