import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { installFeatureMacros } from '@twitch-pipeline/features';
import { MetricUnit } from '@twitch-pipeline/observability';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { isCalendarDate } from '@twitch-pipeline/schemas';
import { refreshLaterTrends } from './gold-analytics';
import { ALL_TABLE_NAMES, buildDate, DATE_TABLES, ESTIMATE_WINDOW_SAMPLES, goldModelVersion } from './gold-date';
import { SilverInputCollector } from './gold-silver-inputs';
import { warnOfGoldStrays } from './gold-strays';
import { datesMissingGold, type GoldPendingMarker, listGoldPending, markGoldPending, type SilverVersionsTaken, settleGoldPending } from './gold-pending';
import { LakeWorkspace } from './lake-workspace';
import { MODEL_VERSION_KEY } from './model-version';
import { silverKeysOf } from './silver-neighbours';
import { ident } from './sql-columns';
import type { GoldOptions, GoldSummary, OutdatedSilverObject } from './transform-types';

/**
 * Dates one engine builds before a fresh one takes over: an engine holds on to memory from date to
 * date (about 5 MB a date of a small population, freed only when it closes), so a rebuild of a
 * year grew by gigabytes. A fresh engine costs milliseconds against seconds of work a date.
 */
const DATES_PER_ENGINE = 32;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Marks every silver object of a date whose build failed as not yet in gold, so the next run
 * that takes pending dates retries it even when no marker named it (a lake older than markers,
 * a `rebuild`). Returns what to add to the date's error when that fails too.
 */
async function keepPending(store: ObjectStore, date: string): Promise<string> {
  try {
    const keys = await silverKeysOf(store, date);
    for (const key of keys) await markGoldPending(store, key);
    return keys.length > 0 ? '' : ' (it has no silver object to mark pending: `rebuild` that date)';
  } catch (error) {
    return ` (and it could not be marked pending: ${messageOf(error)})`;
  }
}

/**
 * The dates of a run whose trends saw every earlier date of the run rebuilt: no earlier date was
 * built after them. The others (a date asked for, built before a missing partition of an earlier
 * date) get their trends refreshed like any later published date.
 */
function builtInOrder(order: readonly string[]): Set<string> {
  return new Set(order.filter((date, index) => order.slice(index + 1).every((later) => later > date)));
}

/**
 * The markers to settle: those listed at the start, with the markers of the silver objects this
 * run rebuilt from bronze (another model version's) as they are now. The silver step marks each
 * object it writes, after the start's listing: left out, they kept a date this run had just
 * built pending, for the next run to build again and `status` to report meanwhile.
 */
async function withRebuiltMarkers(store: ObjectStore, pending: GoldPendingMarker[], outdated: readonly OutdatedSilverObject[]): Promise<GoldPendingMarker[]> {
  const rebuilt = new Set(outdated.filter((entry) => entry.action === 'rebuilt').map((entry) => entry.key));
  if (rebuilt.size === 0) return pending;
  const now = (await listGoldPending(store)).filter((entry) => rebuilt.has(entry.silverKey));
  return [...pending.filter((entry) => !rebuilt.has(entry.silverKey)), ...now];
}

/**
 * The gold step: for each date, every gold table is recomputed from that date's silver
 * objects, plus the last snapshot of the day before and the first of the day after (hours
 * watched join consecutive snapshots, see `int_horas_estimadas`), and its partition rewritten
 * whole (`gold/<table>/dt=<date>/part-0.parquet`), so a rerun gives the same rows and late
 * snapshots are folded in. Then the analytics tables of the date: best hours from the date's
 * channels per snapshot (`int_canais_por_coleta`) and estimate, trends from the fresh daily
 * tables and the 7 earlier partitions. Only the listed dates' silver is read; dates go in
 * order, so a backfill's trends see the days before them.
 *
 * An unreadable silver object (empty, truncated, torn, or a damaged page that fails the date's
 * build, which is then built once more) is left out, moved to `quarantine/corrupt/` and reported
 * in `corrupt`; its bronze object is then pending again, so the next cycle's silver
 * run rebuilds it and gold folds it back in. After publishing a date, its silver keys are listed again; if another run
 * added one meanwhile, the date is rebuilt (up to 3 passes), so a published partition never
 * misses a silver object that was there when it was published.
 *
 * A date that fails is reported in `failed` with its error, the others are still published, and
 * its silver objects are marked pending. With `includePending`, the dates of every marked silver
 * object (a gold run that failed or never ran, a silver run retried or stopped) are rebuilt too,
 * and the markers honoured are removed (see `settleGoldPending`); so are the dates that have
 * silver but lack a gold partition (see `datesMissingGold`).
 *
 * @example
 * const summary = await runGold({ store, dates: ['2026-11-29'], includePending: true });
 * summary.tables.streamers_diario; // rows written
 */
export async function runGold(options: GoldOptions): Promise<GoldSummary> {
  const started = performance.now();
  const { store, logger, metrics } = options;
  const asked = [...new Set(options.dates)].sort();
  const invalid = asked.filter((date) => !isCalendarDate(date));
  if (invalid.length > 0) throw new Error(`invalid dates (expected days of the calendar as YYYY-MM-DD): ${invalid.join(', ')}`);
  const windowSamples = options.estimateWindowSamples ?? ESTIMATE_WINDOW_SAMPLES;
  if (!(windowSamples > 0 && Number.isFinite(windowSamples))) throw new Error(`invalid estimateWindowSamples (expected a positive number): ${windowSamples}`);
  const pending = options.includePending ? await listGoldPending(store) : [];
  // Rare (a partition deleted by hand, a table an upgrade added) and never urgent: a run that lists
  // only recent partitions leaves it to the next that lists them all.
  const unpublished = options.includePending && options.listFrom === undefined ? await datesMissingGold(store, ALL_TABLE_NAMES) : [];
  if (unpublished.length > 0) logger?.warn('dates with silver but a gold partition missing are rebuilt', { dates: unpublished });
  const marked = [...new Set([...asked, ...pending.flatMap((entry) => entry.dates)])].sort();
  // After the dates asked for and marked: a lake kept from before a table existed lacks it on every
  // earlier date, and a stop (the Lambda's deadline) must not leave the newest date behind them.
  const dates = [...marked, ...unpublished.filter((date) => !marked.includes(date))];
  const pendingDates = dates.filter((date) => !asked.includes(date));
  if (pendingDates.length > 0) logger?.info('gold dates left pending by earlier runs', { dates: pendingDates });
  const tables: Record<string, number> = Object.fromEntries(ALL_TABLE_NAMES.map((table) => [table, 0]));
  const failed: GoldSummary['failed'] = [];
  const skipped: string[] = [];
  const trendsRefreshed: string[] = [];
  if (dates.length === 0) return { dates, pendingDates, failed, skipped, trendsRefreshed, tables, corrupt: [], outdated: [] };

  const workspace = await LakeWorkspace.create(store, 'gold', options.engineOptions?.tempDirectory);
  // Window after window, gold builds and drops large hash tables: reusing the freed blocks spares their page faults.
  const openEngine = () => DuckDbEngine.open({ ...options.engineOptions, reuseFreedBlocks: true });
  let engine = await openEngine();
  const silver = new SilverInputCollector(engine, workspace, options);
  const corrupt = silver.corrupt;
  /** Each published date, with the silver object versions its last build took. */
  const published = new Map<string, SilverVersionsTaken>();
  try {
    await installFeatureMacros(engine);
    for (const [index, date] of dates.entries()) {
      if (index > 0 && index % DATES_PER_ENGINE === 0) {
        await engine.close();
        engine = await openEngine();
        await installFeatureMacros(engine);
        silver.useEngine(engine);
      }
      if (options.stop?.stopping) {
        skipped.push(date);
        continue;
      }
      // One date that fails (a model error, a write refused) leaves the others to be published; it stays pending.
      for (let attempt = 1; ; attempt += 1) {
        try {
          const built = await buildDate({ engine, workspace, silver, date, windowSamples, logger });
          for (const [table, rows] of Object.entries(built.counts)) tables[table] = (tables[table] ?? 0) + rows;
          published.set(date, built.taken);
          break;
        } catch (error) {
          // What the failed build held (temporary tables, downloads) would otherwise weigh on the next
          // date; an engine too broken to drop them fails that date too, which reports it.
          await engine.run(DATE_TABLES.map((table) => `DROP TABLE IF EXISTS ${ident(table)}`).join('; ')).catch(() => undefined);
          await workspace.clear();
          // A silver object damaged behind a sound footer fails every build of its date until it is set aside.
          if (attempt === 1 && (await silver.setAsideDamaged(date).catch(() => 0)) > 0) continue;
          failed.push({ date, error: `${messageOf(error)}${await keepPending(store, date)}` });
          break;
        }
      }
      options.onDateDone?.(date);
    }
    // Even after a stop: the dates published here are settled below, so nothing would refresh these later.
    const trends = await refreshLaterTrends(engine, workspace, store, [...published.keys()], builtInOrder(dates), { [MODEL_VERSION_KEY]: goldModelVersion() });
    trendsRefreshed.push(...trends.refreshed);
    corrupt.push(...trends.skipped);
    for (const failure of trends.failed) failed.push({ date: failure.date, error: `${failure.error}${await keepPending(store, failure.date)}` });
  } finally {
    await engine.close();
    await workspace.dispose();
  }
  const outdated = silver.outdated;
  const settled = await settleGoldPending(store, await withRebuiltMarkers(store, pending, outdated), published);
  // Where no `status` lists the lake; its listing grows with the history, so not in a run that lists only recent partitions.
  if (logger && options.listFrom === undefined) await warnOfGoldStrays(store, ALL_TABLE_NAMES, logger);

  const durationMs = Math.round(performance.now() - started);
  for (const object of corrupt) logger?.error('unreadable lake object left out of gold', { ...object });
  for (const object of outdated.filter((entry) => entry.action === 'left out')) {
    logger?.error('silver object of another silver model version left out of gold', { ...object });
  }
  for (const failure of failed) logger?.error('gold date not rebuilt; it stays pending', failure);
  if (skipped.length > 0) logger?.warn('gold stopped before these dates; their markers stay for the next run', { dates: skipped });
  logger?.info('gold step finished', { dates, pendingDates, failed: failed.length, skipped: skipped.length, trendsRefreshed, settled, tables, corrupt: corrupt.length, outdated: outdated.length, durationMs });
  metrics?.addMetric('GoldDates', MetricUnit.Count, dates.length);
  metrics?.addMetric('GoldCorruptObjects', MetricUnit.Count, corrupt.length);
  metrics?.addMetric('GoldOutdatedSilverObjects', MetricUnit.Count, outdated.length);
  for (const [table, rows] of Object.entries(tables)) metrics?.addMetric(`GoldRows_${table}`, MetricUnit.Count, rows);
  metrics?.addMetric('GoldDuration', MetricUnit.Milliseconds, durationMs);
  return { dates, pendingDates, failed, skipped, trendsRefreshed, tables, corrupt, outdated };
}
