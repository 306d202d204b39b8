import { randomBytes } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileDurably } from '../local/durable-files';
import { storedLineKey } from './stored-line-key';

/** Whole lines of one segment that are not a stored item. */
export interface SkippedInSegment {
  /** The segment's file name, in the table's `segments` folder. */
  segment: string;
  count: number;
  /** Their line numbers (from 1), the first few. */
  lines: number[];
}

/** Lines of the table's segments that readers skip, as `LocalRealtimeTable.skippedLines` reports them. */
export interface SkippedLines {
  /** Whole lines that are not a stored item: what a crash mid-append left, closed by the next append, or a line damaged on disk. */
  tornLines: number;
  /** Where those lines are: per segment, how many and the first line numbers, so that a damaged segment can be found. */
  segments: SkippedInSegment[];
  /** Segments ending in bytes with no newline: a torn last line, or an append still in progress. */
  unterminatedTails: number;
}

/** What one segment was found to hold, and the file it was found in (its size and time). */
interface Verdict {
  size: number;
  mtimeMs: number;
  /** Bytes read through the segment's last newline; a tail after it is read again next time. */
  scannedBytes: number;
  /** Lines (whole, newline-ended) within `scannedBytes`, so that a later scan numbers on from them. */
  lines: number;
  /** Lines that hold no stored item, and the first few of their numbers. */
  skipped: number;
  named: number[];
  /** Bytes after the last newline: a torn last line, or an append in progress. */
  unterminated: boolean;
  /** The bytes just before `scannedBytes`, in hex: a scan resumed there first checks the file still holds them. */
  seam: string;
}

const NEWLINE = 0x0a;
/** Line numbers kept per segment for a reader to find them; the count goes on past them. */
const NAMED_LINES = 5;
/** A segment is read in pieces of this size, so that a 64 MB one is never held whole. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const SEAM_BYTES = 32;
/** Bumped whenever a verdict's meaning or shape changes: a file of another version is ignored. */
const FORMAT = 1;

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A stored verdict, or undefined when any part of it is not what this code writes (the segment is then read again). */
function verdictFrom(value: unknown): Verdict | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { size, mtimeMs, scannedBytes, lines, skipped, named, unterminated, seam } = value as Record<string, unknown>;
  if (!isWholeNumber(size) || typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) return undefined;
  if (!isWholeNumber(scannedBytes) || scannedBytes > size || !isWholeNumber(lines) || !isWholeNumber(skipped) || skipped > lines) return undefined;
  if (!Array.isArray(named) || named.length !== Math.min(skipped, NAMED_LINES) || !named.every((line) => isWholeNumber(line) && line >= 1 && line <= lines)) return undefined;
  if (typeof unterminated !== 'boolean' || typeof seam !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(seam)) return undefined;
  return { size, mtimeMs, scannedBytes, lines, skipped, named: [...named], unterminated, seam };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Which lines of each local real-time segment hold no stored item (torn by a crash, or damaged),
 * remembered in one small JSON file beside the segments, per segment with the size and time of
 * the file it was found in. Segments are append-only, so a segment whose size and time are
 * unchanged is not read again, and one that grew is read from where the last scan stopped (its
 * last newline), once the bytes just before that point are found unchanged; any other change
 * reads the segment whole. Counting a two-day table (gigabytes) then costs a `stat` per segment
 * and a read of the current one, not a parse of every line. A missing, damaged or
 * other-version file only means every segment is read again: a verdict is never trusted beyond
 * the file it was found in.
 *
 * @example
 * const verdicts = await SegmentVerdicts.load('./data/realtime/segment-verdicts.json', './data/realtime/segments', '_versao');
 * const { tornLines } = await verdicts.skippedLines(['1764700000000-42-ab12cd34.ndjson']);
 * await verdicts.save();
 */
export class SegmentVerdicts {
  private changed = false;

  private constructor(
    private readonly path: string,
    private readonly segments: string,
    private readonly versionColumn: string,
    private readonly verdicts: Map<string, Verdict>,
  ) {}

  /** Reads the file at `path`; a missing or unreadable one starts empty, and so does any entry not as written. */
  static async load(path: string, segments: string, versionColumn: string): Promise<SegmentVerdicts> {
    const verdicts = new Map<string, Verdict>();
    try {
      const stored = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; segments?: unknown };
      if (stored?.format === FORMAT && stored.segments && typeof stored.segments === 'object') {
        for (const [name, value] of Object.entries(stored.segments)) {
          const verdict = verdictFrom(value);
          if (verdict) verdicts.set(name, verdict);
        }
      }
    } catch {
      // Missing, unreadable or not JSON: every segment is read again.
    }
    return new SegmentVerdicts(path, segments, versionColumn, verdicts);
  }

  /**
   * The skipped lines of the segments named (the table's, in its `segments` folder), reading only
   * those that changed since their verdict; the verdicts of segments not named are forgotten.
   */
  async skippedLines(names: readonly string[]): Promise<SkippedLines> {
    const present = new Set<string>();
    for (const name of names) {
      if (await this.refresh(name)) present.add(name);
    }
    for (const name of this.verdicts.keys()) {
      if (!present.has(name)) {
        this.verdicts.delete(name);
        this.changed = true;
      }
    }
    let tornLines = 0;
    let unterminatedTails = 0;
    const segments: SkippedInSegment[] = [];
    for (const [segment, verdict] of [...this.verdicts].sort(([a], [b]) => a.localeCompare(b))) {
      tornLines += verdict.skipped;
      if (verdict.unterminated) unterminatedTails += 1;
      if (verdict.skipped > 0) segments.push({ segment, count: verdict.skipped, lines: [...verdict.named] });
    }
    return { tornLines, segments, unterminatedTails };
  }

  /** Writes the file whole (atomically) when any verdict changed since it was loaded or saved. */
  async save(): Promise<void> {
    if (!this.changed) return;
    const temporary = join(dirname(this.path), `.tmp-${basename(this.path)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFileDurably(this.path, JSON.stringify({ format: FORMAT, segments: Object.fromEntries(this.verdicts) }), temporary);
    this.changed = false;
  }

  /** Brings the verdict of one segment up to date with its file; false when it is gone. */
  private async refresh(name: string): Promise<boolean> {
    const path = join(this.segments, name);
    let found: { size: number; mtimeMs: number };
    try {
      found = await stat(path);
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    const known = this.verdicts.get(name);
    if (known && known.size === found.size && known.mtimeMs === found.mtimeMs) return true;
    const handle = await open(path, 'r').catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (!handle) return false;
    try {
      // Only an append makes a segment grow: one that changed at the same size was written in place.
      const resumable = known && found.size > known.size && (await this.bytesBefore(handle, known.scannedBytes)) === known.seam;
      const start: Verdict = resumable
        ? { ...known, named: [...known.named] }
        : { size: 0, mtimeMs: 0, scannedBytes: 0, lines: 0, skipped: 0, named: [], unterminated: false, seam: '' };
      const verdict = await this.scan(handle, start, found.size);
      verdict.size = found.size;
      verdict.mtimeMs = found.mtimeMs;
      verdict.seam = await this.bytesBefore(handle, verdict.scannedBytes);
      this.verdicts.set(name, verdict);
      this.changed = true;
    } finally {
      await handle.close();
    }
    return true;
  }

  /** The up to SEAM_BYTES bytes that end at `offset`, in hex. */
  private async bytesBefore(handle: Awaited<ReturnType<typeof open>>, offset: number): Promise<string> {
    const from = Math.max(0, offset - SEAM_BYTES);
    const buffer = Buffer.alloc(offset - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.toString('hex', 0, bytesRead);
  }

  /**
   * Reads the segment from `verdict.scannedBytes` up to `size` (what `stat` found: bytes appended
   * since are left to the next scan), checking each whole line with the channel index's own test.
   */
  private async scan(handle: Awaited<ReturnType<typeof open>>, verdict: Verdict, size: number): Promise<Verdict> {
    let position = verdict.scannedBytes;
    let carry = Buffer.alloc(0);
    while (position < size) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const end = buffer.lastIndexOf(NEWLINE);
      if (end < 0) {
        carry = buffer;
        continue;
      }
      let start = 0;
      while (start <= end) {
        const stop = buffer.indexOf(NEWLINE, start);
        verdict.lines += 1;
        if (stop > start && !storedLineKey(buffer.toString('utf8', start, stop), this.versionColumn)) {
          verdict.skipped += 1;
          if (verdict.named.length < NAMED_LINES) verdict.named.push(verdict.lines);
        }
        start = stop + 1;
      }
      verdict.scannedBytes += end + 1;
      // Copied, so that the whole chunk is not kept alive by the few bytes of a partial line.
      carry = Buffer.from(buffer.subarray(end + 1));
    }
    verdict.unterminated = verdict.scannedBytes < position;
    return verdict;
  }
}
