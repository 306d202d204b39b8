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

function storedLine(value: unknown): StoredLine | undefined {
  const line = value as StoredLine;
  return typeof line[VERSION_COLUMN] === 'number' && realtimeItemSchema.safeParse(line).success ? line : undefined;
}

/**
 * In one pass over a segment's text: the latest expiry of its items, and the newest collection
 * time and the channels of every line DuckDB could read as a row, expired or not, so that no
 * line a reader keeps is newer than the value recorded, nor of a channel left out.
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
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const { timestamp, nome_streamer: channel } = value as Record<string, unknown>;
    if (typeof channel === 'string') channels?.add(channel);
    else if (channel !== undefined && channel !== null) channels = undefined;
    if (timestamp !== undefined && timestamp !== null) {
      newest = typeof timestamp === 'string' && STORED_TIMESTAMP.test(timestamp) ? Math.max(newest, Date.parse(timestamp)) : NEWEST_UNKNOWN;
    }
    // Only a line that would raise the latest expiry is checked against the schema: a check of
    // every line took minutes over a full table, and a segment's lines share a few expiries.
    const { expira_em: expiry } = value as Record<string, unknown>;
    if (typeof expiry === 'number' && expiry > latestExpiry && storedLine(value)) latestExpiry = expiry;
  }
  return { latestExpiry, newest, channels };
}
