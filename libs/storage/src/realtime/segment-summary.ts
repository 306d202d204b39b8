import { type RealtimeItem, realtimeItemSchema } from '@twitch-pipeline/schemas';
import { VERSION_COLUMN } from './segment-folder';

/** Recorded for a segment with a line whose time this reader does not read as DuckDB does: such a segment is always read. */
export const NEWEST_UNKNOWN = Number.MAX_SAFE_INTEGER;
/** The only form the writer stores (`utcTimestamp`): Date.parse and DuckDB read it as the same instant. */
const STORED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** One line of a segment as the writer stores it: an item and its version. */
export type StoredLine = RealtimeItem & { [VERSION_COLUMN]: number };

/** What one segment holds, as {@link summarizeSegment} finds it. */
export interface SegmentSummary {
  /** The latest `expira_em` (epoch seconds) of its items; 0 when it holds none (only torn lines, or nothing). */
  latestExpiry: number;
  /** The newest `timestamp` (epoch ms, rounded down) of any line DuckDB could read as a row, or {@link NEWEST_UNKNOWN}. */
  newest: number;
  /**
   * The `nome_streamer` of every line DuckDB could read as a row, expired or not; undefined when
   * a line holds one that is not text (DuckDB may read it as a name this reader cannot tell).
   */
  channels: Set<string> | undefined;
}

/**
 * A line JSON.parse refuses that DuckDB's reader may still take as a row: it is laxer (a trailing
 * comma, NaN or Infinity for a number), so a whole object's braces are enough to count. A line
 * torn by a crash is cut before its closing brace (an item holds no nested object), so the torn
 * tails a killed writer leaves never count.
 */
const MAYBE_A_ROW = /^\s*\{[\s\S]*\}\s*$/;

/** True when `key` (quoted) is a key of the line twice: DuckDB reads the first, JSON.parse keeps the last. */
function namedTwice(line: string, key: string): boolean {
  const first = line.indexOf(key);
  return first >= 0 && line.indexOf(key, first + key.length) >= 0;
}

function storedLine(value: unknown): StoredLine | undefined {
  const line = value as StoredLine;
  return typeof line[VERSION_COLUMN] === 'number' && realtimeItemSchema.safeParse(line).success ? line : undefined;
}

/**
 * In one pass over a segment's text: the latest expiry of its items, and the newest collection
 * time and the channels of every line DuckDB could read as a row, expired or not, so that no
 * line a reader keeps is newer than the value recorded, nor of a channel left out. A line read
 * otherwise by DuckDB than by JSON.parse (a trailing comma, NaN, a key given twice) makes the
 * segment one of any channel and of an unknown newest time: it is then always read.
 *
 * @example
 * const { latestExpiry, newest, channels } = summarizeSegment(await readFile(path, 'utf8'));
 */
export function summarizeSegment(text: string): SegmentSummary {
  let latestExpiry = 0;
  let newest = 0;
  let channels: Set<string> | undefined = new Set();
  for (const line of text.split('\n')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // Its channel and time are not known here: the segment may hold any channel, of any time.
      if (MAYBE_A_ROW.test(line)) {
        channels = undefined;
        newest = NEWEST_UNKNOWN;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const { timestamp, nome_streamer: channel } = value as Record<string, unknown>;
    // A key's quoted text occurs in a string only with its quotes escaped; a value spelled so
    // (a title "timestamp") only has its segment read for any channel or time.
    if (namedTwice(line, '"nome_streamer"')) channels = undefined;
    else if (typeof channel === 'string') channels?.add(channel);
    else if (channel !== undefined && channel !== null) channels = undefined;
    if (namedTwice(line, '"timestamp"')) newest = NEWEST_UNKNOWN;
    else if (timestamp !== undefined && timestamp !== null) {
      newest = typeof timestamp === 'string' && STORED_TIMESTAMP.test(timestamp) ? Math.max(newest, Date.parse(timestamp)) : NEWEST_UNKNOWN;
    }
    // Only a line that would raise the latest expiry is checked against the schema: a check of
    // every line took minutes over a full table, and a segment's lines share a few expiries.
    const { expira_em: expiry } = value as Record<string, unknown>;
    if (typeof expiry === 'number' && expiry > latestExpiry && storedLine(value)) latestExpiry = expiry;
  }
  return { latestExpiry, newest, channels };
}
