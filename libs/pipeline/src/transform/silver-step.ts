import { parquetDataProblem, parquetFileProblem } from '@twitch-pipeline/duckdb';
import { installFeatureMacros } from '@twitch-pipeline/features';
import { MetricUnit } from '@twitch-pipeline/observability';
import { LAKE_PREFIXES, parseLakeKey, parseSnapshotKey, quarantineKey, silverKey } from '@twitch-pipeline/schemas';
import type { ObjectInfo, ObjectStore } from '@twitch-pipeline/storage';
import { recordedCrawlMinutesLate } from '../extract/crawl-lateness';
import { bronzeColumnDifferences, bronzeIdentityProblem } from './bronze-identity';
import { bronzeTimeZone } from './bronze-time-zone';
import { type CorruptObject, quarantineCorruptObject } from './corrupt-objects';
import { LakeWorkspace } from './lake-workspace';
import { pendingBronzeKeys } from './pending-bronze';
import { runOnEnginePool } from './engine-pool';
import { setAsideSupersededSnapshots } from './superseded-snapshots';
import { datesToRebuild } from './silver-neighbours';
import { type BronzeInput, transformBronzeObject } from './silver-object';
import type { SilverObjectResult, SilverOptions, SilverSummary } from './transform-types';

const DEFAULT_MAX_SKEW_MINUTES = 5;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Stray keys named in the log, the first of them: enough to find them, however many there are. */
const STRAYS_LOGGED = 20;

/**
 * Left alone like bronze's, but Athena's silver table reads every file under its partitions (the
 * CLI's views only the snapshots'): a copy there doubles rows, and a file of another format fails
 * the queries that reach it.
 */
const SILVER_STRAYS_WARNING = 'files in silver that name no snapshot, left alone: Athena reads every file of a partition, so move them out of the lake';

/** The bronze and silver listings the pending rule reads, from `listFrom`'s partitions on when given. */
async function listBronzeAndSilver(store: ObjectStore, listFrom: string | undefined): Promise<ObjectInfo[]> {
  const listing = (prefix: string) => store.list(prefix, listFrom === undefined ? {} : { startAfter: `${prefix}dt=${listFrom}` });
  const [bronze, silver] = await Promise.all([listing(LAKE_PREFIXES.bronze), listing(LAKE_PREFIXES.silver)]);
  return [...bronze, ...silver];
}

/**
 * Where the dates the processed objects change are read from: the lake, or, in a run that lists
 * only recent partitions, that listing and the objects it wrote, sparing three listings a run.
 * The dates only tell gold what to rebuild first: gold reads the markers silver wrote, and lists
 * their dates itself.
 */
function datesSource(store: ObjectStore, listFrom: string | undefined, listed: readonly ObjectInfo[], processed: readonly SilverObjectResult[]): Pick<ObjectStore, 'list'> {
  if (listFrom === undefined) return store;
  const keys = [...new Set([...listed.map((object) => object.key), ...processed.map((result) => result.silverKey)])].sort();
  const asListed = (key: string): ObjectInfo => ({ key, size: 0, lastModified: new Date(0), etag: '' });
  return { list: async (prefix) => keys.filter((key) => key.startsWith(prefix)).map(asListed) };
}

/**
 * The silver step: each bronze object becomes one silver object (typed, renamed, enriched
 * rows) and, when rows are rejected, one quarantine object with the reasons. Objects are
 * transformed side by side by a pool of single-threaded engines. A bronze object no run can
 * transform (empty, truncated, torn, of other columns, or not the snapshot its key names) is moved
 * to `quarantine/corrupt/` with a reason record and reported in `corrupt`; any other failure of
 * one object is reported in `failed`; the others still land.
 * Re-running rewrites identical rows; without `bronzeKeys` only new bronze objects are read.
 * Once `stop` says stopping, objects not yet started are left for the next run, in `skipped`.
 *
 * @example
 * const summary = await runSilver({ store: new LocalObjectStore('./data/lake'), timeZone: 'America/Sao_Paulo' });
 * await runGold({ store, dates: summary.dates });
 */
export async function runSilver(options: SilverOptions): Promise<SilverSummary> {
  const started = performance.now();
  const { store, logger, metrics } = options;
  // Listed whatever the keys given: a snapshot collected twice under two dates is found by any run.
  const listedFirst = await listBronzeAndSilver(store, options.listFrom);
  // A failure here (the store refusing a request) leaves the copies for the next run, not this one's objects undone.
  const superseded = await setAsideSupersededSnapshots(store, listedFirst).catch((error: unknown) => {
    logger?.error('snapshots collected under two dates not set aside; the next run tries again', { error: messageOf(error) });
    return { setAside: [], dates: [] };
  });
  const listed = superseded.setAside.length > 0 ? await listBronzeAndSilver(store, options.listFrom) : listedFirst;
  const pending = !options.bronzeKeys || options.includePending ? await pendingBronzeKeys(store, listed) : [];
  // Left alone (never taken for a snapshot), and named where no `status` lists the lake: the Lambda's log.
  const strays = listed.filter((object) => object.key.startsWith(LAKE_PREFIXES.bronze) && !parseSnapshotKey(object.key)).map((object) => object.key);
  if (strays.length > 0) logger?.warn('files in bronze that name no snapshot, left alone', { count: strays.length, keys: strays.slice(0, STRAYS_LOGGED) });
  const silverStrays = listed.filter((object) => object.key.startsWith(LAKE_PREFIXES.silver) && !parseSnapshotKey(object.key)).map((object) => object.key);
  if (silverStrays.length > 0) logger?.warn(SILVER_STRAYS_WARNING, { count: silverStrays.length, keys: silverStrays.slice(0, STRAYS_LOGGED) });
  const setAsideKeys = new Set(superseded.setAside.map((object) => object.key));
  const keys = [...new Set([...(options.bronzeKeys ?? []), ...pending])].filter((key) => !setAsideKeys.has(key)).sort();
  const failed: SilverSummary['failed'] = [];
  const inputs: BronzeInput[] = [];
  for (const key of keys) {
    const parsed = parseLakeKey(key);
    if (!parsed || !key.startsWith('raw/streams/')) {
      failed.push({ bronzeKey: key, error: 'not a bronze object key (raw/streams/dt=YYYY-MM-DD/<snapshot-id>.parquet)' });
      continue;
    }
    inputs.push({
      bronzeKey: key,
      dt: parsed.dt,
      snapshotId: parsed.snapshotId,
      silverKey: silverKey(parsed.dt, parsed.snapshotId),
      quarantineKey: quarantineKey(parsed.dt, parsed.snapshotId, 'silver'),
    });
  }

  const processed: SilverObjectResult[] = [];
  const corrupt: CorruptObject[] = [...superseded.setAside];
  const skipped: string[] = [];
  if (inputs.length > 0) {
    const params = {
      timeZone: options.timeZone,
      maxSkewMinutes: options.maxSkewMinutes ?? DEFAULT_MAX_SKEW_MINUTES,
      defaultIntervalMinutes: options.intervalMinutes ?? null,
    };
    const workspace = await LakeWorkspace.create(store, 'silver', options.engineOptions?.tempDirectory);
    try {
      type Outcome = SilverObjectResult | SilverSummary['failed'][number] | { corrupt: CorruptObject } | { skipped: string };
      const outcomes = await runOnEnginePool(options.engineOptions ?? {}, inputs, installFeatureMacros, async (engine, input): Promise<Outcome> => {
        if (options.stop?.stopping) return { skipped: input.bronzeKey };
        let paths: string[] = [];
        try {
          paths = await workspace.localPaths([input.bronzeKey]);
          const problem = await parquetFileProblem(paths[0]!, engine);
          if (problem) return { corrupt: await quarantineCorruptObject(store, input.bronzeKey, paths[0]!, problem) };
          const timeZone = await bronzeTimeZone(engine, workspace, { bronzePath: paths[0]!, dt: input.dt, silverKey: input.silverKey, configured: params.timeZone });
          const misplaced = await bronzeIdentityProblem(engine, { bronzePath: paths[0]!, snapshotId: input.snapshotId, dt: input.dt, timeZone });
          if (misplaced) return { corrupt: await quarantineCorruptObject(store, input.bronzeKey, paths[0]!, misplaced) };
          const minutesLate = await recordedCrawlMinutesLate(engine, paths[0]!);
          return await transformBronzeObject(engine, workspace, input, paths[0]!, { ...params, timeZone, maxSkewMinutes: params.maxSkewMinutes + minutesLate });
        } catch (error) {
          // A key named by the caller whose object is gone fails on its download or set-aside copy; say so plainly.
          const gone = !(await store.exists(input.bronzeKey).catch(() => true));
          if (gone) return { bronzeKey: input.bronzeKey, error: 'no such bronze object' };
          // A damaged data page behind a sound footer fails the model's read; the object is then set
          // aside like a torn one, rather than failing every cycle from now on.
          const damaged = paths[0] ? await parquetDataProblem(paths[0], engine).catch(() => undefined) : undefined;
          if (damaged) return { corrupt: await quarantineCorruptObject(store, input.bronzeKey, paths[0]!, damaged) };
          // The extract has always written the same columns, so a file of other columns is none of
          // its snapshots and no later run can transform it: set aside too, naming each column.
          const columns = paths[0] ? await bronzeColumnDifferences(engine, paths[0]).catch(() => []) : [];
          if (columns.length === 0) return { bronzeKey: input.bronzeKey, error: messageOf(error) };
          return { corrupt: await quarantineCorruptObject(store, input.bronzeKey, paths[0]!, `its columns are not those the extract writes: ${columns.join('; ')}`) };
        } finally {
          await workspace.discard(paths);
          options.onObjectDone?.(input.bronzeKey);
        }
      });
      for (const outcome of outcomes) {
        if ('error' in outcome) failed.push(outcome);
        else if ('corrupt' in outcome) corrupt.push(outcome.corrupt);
        else if ('skipped' in outcome) skipped.push(outcome.skipped);
        else processed.push(outcome);
      }
    } finally {
      await workspace.dispose();
    }
  }

  const summary: SilverSummary = {
    processed,
    failed,
    corrupt,
    skipped,
    dates: [...new Set([...superseded.dates, ...(await datesToRebuild(datesSource(store, options.listFrom, listed, processed), processed.map((result) => result.silverKey)))])].sort(),
    rowsIn: processed.reduce((sum, result) => sum + result.rowsIn, 0),
    rowsOut: processed.reduce((sum, result) => sum + result.rowsOut, 0),
    quarantined: processed.reduce((sum, result) => sum + result.quarantined, 0),
  };
  const durationMs = Math.round(performance.now() - started);
  for (const failure of failed) logger?.error('bronze object not transformed', failure);
  for (const object of corrupt) logger?.error('bronze object moved to quarantine (unreadable, or superseded by a later copy)', { ...object });
  logger?.info('silver step finished', {
    objects: processed.length,
    failed: failed.length,
    corrupt: corrupt.length,
    skipped: skipped.length,
    dates: summary.dates,
    rowsIn: summary.rowsIn,
    rowsOut: summary.rowsOut,
    quarantined: summary.quarantined,
    durationMs,
  });
  metrics?.addMetric('SilverObjects', MetricUnit.Count, processed.length);
  metrics?.addMetric('SilverObjectsFailed', MetricUnit.Count, failed.length);
  metrics?.addMetric('SilverObjectsCorrupt', MetricUnit.Count, corrupt.length);
  metrics?.addMetric('SilverRowsIn', MetricUnit.Count, summary.rowsIn);
  metrics?.addMetric('SilverRowsOut', MetricUnit.Count, summary.rowsOut);
  metrics?.addMetric('SilverRowsQuarantined', MetricUnit.Count, summary.quarantined);
  metrics?.addMetric('SilverDuration', MetricUnit.Milliseconds, durationMs);
  return summary;
}
