import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, TemporaryFolderError } from '@twitch-pipeline/duckdb';
import { type LocalTime, localTimesOf } from '@twitch-pipeline/features';
import { type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import {
  BRONZE_CRAWL_MINUTES_LATE_KEY,
  BRONZE_TIME_ZONE_KEY,
  bronzeKey,
  bronzeStreamRowSchema,
  DEFAULT_MAX_SNAPSHOT_AGE_MINUTES,
  duckdbLiteralPath,
  type PipelineConfig,
  quarantineKey,
  quarantineRowSchema,
  snapshotIdFor,
} from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { type SourceRecord, toBronzeRows } from './bronze-rows';
import { crawlFailure } from './crawl-failure';
import { crawlMinutesLate } from './crawl-lateness';
import { allQuarantinedProblem } from './all-quarantined';
import { EarlierSnapshotKeptError, keepEarlierSnapshot } from './earlier-snapshot';
import { FutureCollectionTimeError } from './future-collection-time-error';
import { StaleCollectionTimeError } from './stale-collection-time-error';

/** What a crawl spent: the Helix figures of an extract, whether it landed a snapshot or failed. */
export interface CrawlCounts {
  pages: number;
  /** Helix requests sent, retries included. */
  requests: number;
  retries: number;
  rateLimited: number;
  /** Restarts of a language from its first page after an invalid cursor. */
  restarts: number;
}

/** The Twitch side of the extract: a Helix client, or anything that crawls like one. */
export interface StreamSource {
  crawlStreams(request: {
    languages: string[];
    maxPerLanguage?: number;
    signal?: AbortSignal;
    stopRetrying?: AbortSignal;
    /** Counts the source adds to as it goes, so a crawl that fails still tells what it spent. */
    tally?: CrawlCounts;
  }): Promise<{
    records: SourceRecord[];
    pages: number;
    requests?: number;
    retries: number;
    rateLimited: number;
    restarts?: number;
    durationMs: number;
  }>;
}

/** Inputs of {@link extractSnapshot}. */
export interface ExtractSnapshotInput {
  source: StreamSource;
  store: ObjectStore;
  config: Pick<PipelineConfig, 'languages' | 'maxStreamsPerLanguage' | 'intervalMinutes' | 'timeZone'> &
    Partial<Pick<PipelineConfig, 'maxSnapshotAgeMinutes'>>;
  /** The scheduled collection time; it names the snapshot, so a re-run rewrites the same objects. */
  collectedAt: Date;
  /**
   * Set only by a backfill: allows a `collectedAt` older than `config.maxSnapshotAgeMinutes`.
   * Without it such a time is refused, since its snapshot would rewrite history with today's streams.
   */
  backfill?: boolean;
  /** The current time, for the age check (tests). */
  now?: Date;
  logger?: Logger;
  metrics?: Metrics;
  /** The cycle's abort signal: aborting it stops the crawl (and every wait in it) at once; nothing is written. */
  signal?: AbortSignal;
  /** Once aborted, a failing call of the crawl is not retried: the step fails at once, writing nothing. */
  stopRetrying?: AbortSignal;
  /**
   * An open engine to write with, left open (a backfill writes many snapshots in a row);
   * without it the step opens its own and closes it.
   */
  engine?: DuckDbEngine;
  /**
   * Folder for the step's temporary files (the objects before they are published, and DuckDB's
   * spill when the step opens its own engine); default: the OS temp folder. Each run works in its
   * own subfolder and removes it; a Lambda gives its function's folder, swept at Init.
   */
  scratchDirectory?: string;
}

/** How far ahead of the clock a collection time may be: a scheduler's clock and the function's may differ a little. */
const MAX_CLOCK_SKEW_MINUTES = 5;

/** What one extract wrote, for the state machine and the run log. */
export interface ExtractSummary {
  snapshotId: string;
  dt: string;
  /** ISO-8601 UTC. */
  collectedAt: string;
  bronzeKey: string;
  /** Present when some records were rejected. */
  quarantineKey?: string;
  /** Why the first rejected record was rejected, when some were. */
  firstQuarantineReason?: string;
  collected: number;
  written: number;
  quarantined: number;
  pages: number;
  retries: number;
  rateLimited: number;
  durationMs: number;
  /** Rows kept after cleaning their text (lone surrogates, control characters). */
  sanitised: number;
  /**
   * Streams collected per query language (`all` when crawling without a filter). Every requested
   * language is listed, with 0 when none of its streams was live: Twitch answers a mistyped code
   * with no streams, not an error.
   */
  byLanguage: Record<string, number>;
  /** The requested languages with no live stream (0 in `byLanguage`). */
  languagesWithoutStreams: string[];
}

function countByLanguage(languages: readonly string[], records: readonly SourceRecord[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(languages.map((language) => [language, 0]));
  for (const { queryLanguage } of records) counts[queryLanguage] = (counts[queryLanguage] ?? 0) + 1;
  return counts;
}

/**
 * Collects one snapshot of live streams and lands it in the lake: valid rows as one bronze
 * Parquet object, rejected records with their reasons as one quarantine object. Each object is
 * written to a temporary file and then published whole, quarantine first and bronze last, so
 * that a visible bronze object means a complete snapshot. If the crawl fails, nothing is
 * written. A re-run that quarantines every record keeps the slot's earlier snapshot if it has
 * rows (see `keepEarlierSnapshot`). Counts reconcile (collected = written + quarantined) or the step fails. A run that
 * fails once its crawl began still records the crawl's figures in `metrics` (never
 * `StreamsWritten`, which counts snapshots landed).
 *
 * @example
 * const summary = await extractSnapshot({
 *   source: new HelixClient({ apiUrl, authUrl, clientId, clientSecret }),
 *   store: new LocalObjectStore('./data/lake'),
 *   config: loadConfig(),
 *   collectedAt: new Date('2026-11-29T21:30:00Z'),
 * });
 * console.log(summary.bronzeKey, summary.written, summary.quarantined);
 */
export async function extractSnapshot(input: ExtractSnapshotInput): Promise<ExtractSummary> {
  const { source, store, config, collectedAt, logger, metrics } = input;
  const startedAt = Date.now();
  const maxAgeMinutes = config.maxSnapshotAgeMinutes ?? DEFAULT_MAX_SNAPSHOT_AGE_MINUTES;
  const now = input.now ?? new Date();
  const ageMs = now.getTime() - collectedAt.getTime();
  const ageMinutes = Math.floor(ageMs / 60_000);
  if (-ageMs > MAX_CLOCK_SKEW_MINUTES * 60_000) throw new FutureCollectionTimeError(collectedAt, Math.ceil(-ageMs / 60_000));
  if (!input.backfill && ageMinutes > maxAgeMinutes) throw new StaleCollectionTimeError(collectedAt, ageMinutes, maxAgeMinutes);
  const snapshotId = snapshotIdFor(collectedAt);
  const scratch = input.scratchDirectory ?? tmpdir();
  // Named for what to fix: a bare `ENOTDIR … mkdir` said neither TMPDIR nor that it must be writable.
  await mkdir(scratch, { recursive: true }).catch((error: unknown) => {
    throw new TemporaryFolderError(scratch, error);
  });
  const engine = input.engine ?? (await DuckDbEngine.open({ tempDirectory: scratch }));
  let directory: string | undefined;
  let summary: ExtractSummary;
  let crawled: CrawlCounts;
  // Set once the crawl starts: from then on a failed run still records what Twitch cost it.
  let counted: CrawlCounts | undefined;
  try {
    // The partition is the local date as silver's SQL computes it (DuckDB's time-zone data).
    const [{ date: dt }] = (await localTimesOf(engine, [collectedAt], config.timeZone)) as [LocalTime];
    const keys = { bronze: bronzeKey(dt, snapshotId), quarantine: quarantineKey(dt, snapshotId, 'bronze') };
    logger?.info('extract started', { snapshotId, dt, languages: config.languages, maxPerLanguage: config.maxStreamsPerLanguage });

    const tally: CrawlCounts = { pages: 0, requests: 0, retries: 0, rateLimited: 0, restarts: 0 };
    counted = tally;
    const crawl = await source
      .crawlStreams({ languages: config.languages, maxPerLanguage: config.maxStreamsPerLanguage, signal: input.signal, stopRetrying: input.stopRetrying, tally })
      .catch((error: unknown) => {
        throw crawlFailure(snapshotId, error);
      });
    // The crawl's own result: a source that keeps no tally still reports its figures here.
    const { pages, retries, rateLimited } = crawl;
    crawled = { pages, requests: crawl.requests ?? pages, retries, rateLimited, restarts: crawl.restarts ?? 0 };
    counted = crawled;
    // On the clock the age check used; a backfill lists its slot as it was, never late.
    const crawlEnded = new Date(now.getTime() + Date.now() - startedAt);
    const minutesLate = input.backfill ? 0 : crawlMinutesLate(collectedAt, crawlEnded);
    const { rows, quarantined, sanitised } = toBronzeRows(crawl.records, {
      snapshotId,
      collectedAt: collectedAt.toISOString(),
      intervalMinutes: config.intervalMinutes,
    });

    directory = await mkdtemp(join(scratch, 'extract-'));
    const bronzePath = join(directory, 'bronze.parquet');
    await engine.writeRowsToParquet(rows, bronzeStreamRowSchema, bronzePath, {
      [BRONZE_TIME_ZONE_KEY]: config.timeZone,
      [BRONZE_CRAWL_MINUTES_LATE_KEY]: String(minutesLate),
    });
    const [{ n: written } = { n: -1 }] = await engine.all<{ n: number }>('SELECT count(*) AS n FROM read_parquet($path)', {
      path: duckdbLiteralPath(bronzePath),
    });
    if (crawl.records.length !== written + quarantined.length) {
      throw new Error(
        `snapshot ${snapshotId} does not reconcile: collected ${crawl.records.length} != written ${written} + quarantined ${quarantined.length}`,
      );
    }
    const problem = allQuarantinedProblem({ written, quarantined: quarantined.length, firstQuarantineReason: quarantined[0]?.reason });
    if (problem) await keepEarlierSnapshot({ store, engine, directory, dt, snapshotId, bronzeKey: keys.bronze, problem, quarantined, refusedAt: crawlEnded });
    if (quarantined.length > 0) {
      const quarantinePath = join(directory, 'quarantine.parquet');
      await engine.writeRowsToParquet(quarantined, quarantineRowSchema, quarantinePath);
      await store.putFile(keys.quarantine, quarantinePath);
    } else {
      // A re-run that rejects nothing must not leave an earlier run's quarantine behind.
      await store.delete(keys.quarantine);
    }
    await store.putFile(keys.bronze, bronzePath);
    const byLanguage = countByLanguage(config.languages, crawl.records);
    summary = {
      snapshotId,
      dt,
      collectedAt: collectedAt.toISOString(),
      bronzeKey: keys.bronze,
      ...(quarantined.length > 0 ? { quarantineKey: keys.quarantine, firstQuarantineReason: quarantined[0]!.reason } : {}),
      collected: crawl.records.length,
      written: rows.length,
      quarantined: quarantined.length,
      sanitised,
      pages: crawl.pages,
      retries: crawl.retries,
      rateLimited: crawl.rateLimited,
      durationMs: Date.now() - startedAt,
      byLanguage,
      languagesWithoutStreams: Object.keys(byLanguage).filter((language) => byLanguage[language] === 0),
    };
  } catch (error) {
    // An outage or a 429 storm lands no snapshot, and is just when its pages, retries and 429s matter.
    if (metrics && counted) recordCrawlMetrics(metrics, counted, Date.now() - startedAt);
    // Kept apart rather than lost: the dashboard's quarantine figures must count them.
    if (metrics && error instanceof EarlierSnapshotKeptError) metrics.addMetric('StreamsQuarantined', MetricUnit.Count, error.quarantined);
    throw error;
  } finally {
    if (!input.engine) await engine.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  }
  if (summary.languagesWithoutStreams.length > 0) {
    logger?.warn('no live streams in requested languages', { snapshotId, languages: summary.languagesWithoutStreams });
  }
  if (summary.sanitised > 0) logger?.warn('records kept with cleaned text', { snapshotId, sanitised: summary.sanitised });
  const nothingKept = allQuarantinedProblem(summary);
  if (nothingKept) logger?.error(nothingKept, { snapshotId });
  else if (summary.quarantined > 0) {
    logger?.warn('records quarantined', { snapshotId, quarantined: summary.quarantined, firstReason: summary.firstQuarantineReason });
  }
  logger?.info('extract finished', { ...summary });
  if (metrics) recordMetrics(metrics, summary, crawled);
  return summary;
}

function recordMetrics(metrics: Metrics, summary: ExtractSummary, crawled: CrawlCounts): void {
  for (const [language, count] of Object.entries(summary.byLanguage)) {
    const single = metrics.singleMetric();
    single.addDimension('language', language);
    single.addMetric('StreamsCollected', MetricUnit.Count, count);
  }
  metrics.addMetric('StreamsWritten', MetricUnit.Count, summary.written);
  metrics.addMetric('StreamsQuarantined', MetricUnit.Count, summary.quarantined);
  metrics.addMetric('StreamsSanitised', MetricUnit.Count, summary.sanitised);
  recordCrawlMetrics(metrics, crawled, summary.durationMs);
}

/**
 * The figures every extract that began its crawl records, landed or failed. `StreamsWritten` is
 * not among them: its sample count is the number of snapshots landed, which the
 * no-fresh-snapshot alarm reads.
 */
function recordCrawlMetrics(metrics: Metrics, counts: CrawlCounts, durationMs: number): void {
  metrics.addMetric('HelixPages', MetricUnit.Count, counts.pages);
  metrics.addMetric('HelixRequests', MetricUnit.Count, counts.requests);
  metrics.addMetric('HelixRetries', MetricUnit.Count, counts.retries);
  metrics.addMetric('HelixRateLimited', MetricUnit.Count, counts.rateLimited);
  metrics.addMetric('HelixCursorRestarts', MetricUnit.Count, counts.restarts);
  metrics.addMetric('ExtractDuration', MetricUnit.Milliseconds, durationMs);
}
