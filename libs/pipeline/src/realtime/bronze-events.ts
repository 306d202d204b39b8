import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { contentTypeOf, installFeatureMacros } from '@twitch-pipeline/features';
import { type DayPeriod, duckdbLiteralPath, type RealtimeEvent, realtimeEventSchema } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { recordedCrawlMinutesLate } from '../extract/crawl-lateness';

/** The silver step's default tolerance for a start time later than the collection time. */
export const DEFAULT_MAX_SKEW_MINUTES = 5;

/** Why a second stream of a channel in one snapshot is left out of the real-time path (silver keeps it). */
export const DUPLICATE_CHANNEL = 'duplicate channel within the snapshot (the real-time table keeps one item per channel)';

/** The bronze fields an event needs, as read from the Parquet object (any of them may be null in bad input). */
export interface BronzeEventSource {
  id: string | null;
  user_id: string | null;
  user_login: string | null;
  game_id: string | null;
  game_name: string | null;
  title: string | null;
  language: string | null;
  /** A bigint past 2^53 (DuckDB's BIGINT); a fraction only from a column of another type. */
  viewer_count: number | bigint | null;
  /** `started_at` parsed as DuckDB's silver model parses it (`try_cast … AS TIMESTAMPTZ`); null when unparsable. */
  started_at_utc: Date | null;
  collected_at: Date | null;
  /** `periodo_dia` of `collected_at`, as silver's SQL computes it; null when `collected_at` is. */
  periodo_dia: DayPeriod | null;
  /** A bigint past 2^53 (DuckDB's BIGINT); a fraction, NaN or ±∞ only from a column of another type. */
  collection_interval_minutes: number | bigint | null;
}

/** Events of one bronze object, and the rows left out with why; `events + skipped = rows`. */
export interface BronzeEvents {
  rows: number;
  events: RealtimeEvent[];
  /** Rows left out, by reason; the reasons are the silver step's quarantine reasons. */
  skipped: Record<string, number>;
}

/** Options of the bronze → event mapping. */
export interface EventMappingOptions {
  /** Minutes `started_at` may lie after `collected_at` (default: the silver step's, 5). */
  maxSkewMinutes?: number;
}

function blank(value: string | null): boolean {
  return value === null || value.trim() === '';
}

/** Whether a count or interval fits its silver column (BIGINT): a foreign writer's DOUBLE may hold a fraction, NaN or ±∞. */
function wholeNumber(value: number | bigint): boolean {
  return typeof value === 'bigint' || (Number.isInteger(value) && Math.abs(value) < 2 ** 63);
}

/** The silver model's quarantine checks, in the same order and with the same reasons. */
function rejectionOf(row: BronzeEventSource, maxSkewMinutes: number): string | undefined {
  if (blank(row.id)) return 'missing id';
  if (blank(row.user_id)) return 'missing user_id';
  if (blank(row.user_login)) return 'missing user_login';
  if (row.viewer_count === null) return 'missing viewer_count';
  if (row.viewer_count < 0) return 'negative viewer_count';
  if (!wholeNumber(row.viewer_count)) return 'viewer_count not a whole number';
  if (row.collected_at === null) return 'missing collected_at';
  if (row.started_at_utc === null) return 'unparsable started_at';
  if (row.started_at_utc.getTime() > row.collected_at.getTime() + maxSkewMinutes * 60_000) {
    return 'started_at after collected_at beyond the allowed skew';
  }
  if (row.collection_interval_minutes === null || row.collection_interval_minutes <= 0 || !wholeNumber(row.collection_interval_minutes)) {
    return 'invalid collection_interval_minutes';
  }
  return undefined;
}

/**
 * Maps bronze rows to real-time events with the shared TypeScript features, leaving out (and
 * counting, by reason) exactly the rows the silver step quarantines, so that the real-time
 * path and silver agree on which streams a snapshot has.
 *
 * @example
 * const { events, skipped } = eventsFromBronzeRows(rows);
 */
export function eventsFromBronzeRows(rows: readonly BronzeEventSource[], options: EventMappingOptions = {}): BronzeEvents {
  const maxSkewMinutes = options.maxSkewMinutes ?? DEFAULT_MAX_SKEW_MINUTES;
  const events: RealtimeEvent[] = [];
  const skipped: Record<string, number> = {};
  const seenIds = new Set<string>();
  const seenChannels = new Set<string>();
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  for (const row of rows) {
    const rejection = rejectionOf(row, maxSkewMinutes);
    if (rejection) {
      skip(rejection);
      continue;
    }
    // List drift while paging can return one stream twice: like silver, keep the first copy.
    if (seenIds.has(row.id!)) {
      skip('duplicate stream id within the snapshot');
      continue;
    }
    seenIds.add(row.id!);
    // A channel that restarted while the crawl paged comes back with a second stream id. Silver
    // keeps both streams, but the real-time table holds one item per channel and snapshot: the
    // first is kept here too, so that the events published are the items written.
    const channel = row.user_login!.trim().toLowerCase();
    if (seenChannels.has(channel)) {
      skip(DUPLICATE_CHANNEL);
      continue;
    }
    seenChannels.add(channel);
    const collectedAt = row.collected_at!;
    const parsed = realtimeEventSchema.safeParse({
      nome_streamer: channel,
      timestamp: collectedAt.toISOString(),
      id_stream: row.id,
      espectadores: row.viewer_count,
      // NFC, as silver's: one spelling per category name.
      nome_categoria: blank(row.game_name) ? 'Unknown' : row.game_name!.normalize('NFC'),
      tipo_conteudo: contentTypeOf(row.game_id),
      periodo_dia: row.periodo_dia,
      titulo: row.title ?? '',
      idioma: row.language ?? '',
      iniciado_em: row.started_at_utc!.toISOString(),
    });
    if (parsed.success) events.push(parsed.data);
    else skip(`invalid event: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  }
  return { rows: rows.length, events, skipped };
}

/**
 * Reads one bronze object (copied from the store to a temporary file) and maps its rows to
 * events with {@link eventsFromBronzeRows}.
 *
 * @example
 * const { events, skipped } = await readBronzeEvents(store, summary.bronzeKey, { timeZone: config.timeZone });
 */
export async function readBronzeEvents(
  store: ObjectStore,
  bronzeKey: string,
  options: EventMappingOptions & {
    /** Pipeline time zone of `periodo_dia`. */
    timeZone: string;
    scratchDirectory?: string;
  },
): Promise<BronzeEvents> {
  const scratch = options.scratchDirectory ?? tmpdir();
  await mkdir(scratch, { recursive: true });
  // A private folder (mode 0700) per read: a fixed shared one under the temp folder belongs to
  // whichever user made it first, and other users' runs could neither write nor trust it.
  const directory = await mkdtemp(join(scratch, 'publish-'));
  const path = join(directory, 'bronze.parquet');
  try {
    await store.getFile(bronzeKey, path);
    // The period of the day comes from the macro silver uses, with DuckDB's time-zone data.
    const { rows, minutesLate } = await withEngine({ tempDirectory: scratch }, async (engine) => {
      await installFeatureMacros(engine);
      const read = await engine.all<BronzeEventSource & Record<string, unknown>>(
        `SELECT id, user_id, user_login, game_id, game_name, title, language, viewer_count,
                try_cast(started_at AS TIMESTAMPTZ) AS started_at_utc, collected_at,
                periodo_dia(collected_at, $timeZone) AS periodo_dia, collection_interval_minutes
           FROM read_parquet($path)`,
        { path: duckdbLiteralPath(path), timeZone: options.timeZone },
      );
      return { rows: read, minutesLate: await recordedCrawlMinutesLate(engine, path) };
    });
    return eventsFromBronzeRows(rows, { maxSkewMinutes: (options.maxSkewMinutes ?? DEFAULT_MAX_SKEW_MINUTES) + minutesLate });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
